"""Hostile users' options and environment: bad values are usage or configuration errors, never tracebacks.

Issue 14: what a demanding, slightly hostile user tried, and what happens now. Each test pins one
probe of ``docs/reliability.md``'s "hostile user" table. Fixture articles are hand-written and fictional.
"""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch.files import read_results, request_line, write_lines
from summarizer.cli import app
from summarizer.cli._progress import download_progress
from summarizer.digests.selection import Window
from summarizer.errors import InputError
from summarizer.testing.stub_model import StubModel

from .hostile_support import two_articles


def test_a_span_beyond_any_date_is_an_option_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["digest", str(tmp_path), "--since", "99999999999d"])
    assert result.exit_code == 2 and "too long a span" in result.output
    assert Window.since(dt.timedelta(days=999_999_999)).first == dt.date.min


def test_models_pull_with_the_cache_home_a_file_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "cache-home"
    home.write_text("not a folder")
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    result = CliRunner().invoke(app, ["models", "pull"])
    assert result.exit_code == 4 and "cannot keep the NLP model in" in result.stderr


def test_weight_download_progress_is_plain_lines_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    update = download_progress()
    for megabytes in range(0, 101, 5):
        update(megabytes * 10**6, 100 * 10**6)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 11 and lines[-1] == "assembling model weights: 100 of 100 MB"


def test_a_bad_environment_is_a_configuration_error_for_every_command(tmp_path: Path) -> None:
    env = {"SUMMARIZER_MAX_INPUT_BYTES": "lots"}
    for command in (["models", "list"], ["cache", "stats"], ["brief", "-"], ["digest", str(tmp_path)]):
        result = CliRunner().invoke(app, command, env=env, input="The ferry resumed.")
        assert result.exit_code == 4 and "SUMMARIZER_MAX_INPUT_BYTES must be" in result.stderr, command


def test_progress_is_plain_lines_when_standard_error_is_not_a_terminal(stub: StubModel, tmp_path: Path) -> None:
    args = ["digest", str(two_articles(tmp_path / "in")), "--base-url", stub.url, "--model", "stub",
            "--out", str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    lines = result.stderr.splitlines()
    assert "briefing 1/2: failed 0 · cached 0 · " in lines[0] and lines[1].startswith("briefing 2/2: ")
    assert not any("\x1b" in line or "━" in line for line in lines)


def test_batch_import_reports_and_skips_damaged_lines(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text('{"custom_id": "sbx-1", "response": "oops"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match="holds no batch results: line 1: sbx-1: the response is not an object"):
        read_results(path)
    good = {"custom_id": "sbx-2", "response": {"status_code": 500}, "error": None}
    path.write_text(path.read_text() + json.dumps(good) + "\n")
    results, damaged = read_results(path)
    assert [r.custom_id for r in results] == ["sbx-2"]
    assert damaged == ["line 1: sbx-1: the response is not an object", "line 2: nested too deeply to be a batch result"]


def test_digests_written_inside_an_input_folder_are_never_read_back(stub: StubModel, tmp_path: Path) -> None:
    folder = two_articles(tmp_path / "in")
    args = ["digest", str(folder), "--base-url", stub.url, "--model", "stub", "--out", str(folder / "digests")]
    assert CliRunner().invoke(app, args).exit_code == 0
    copied = folder / "archive"
    shutil.copytree(folder / "digests", copied, ignore=shutil.ignore_patterns(".*"))  # digests without the lock
    write_lines(copied / "requests.jsonl", [request_line("sb1-a", {"model": "stub", "messages": []})])
    (copied / "results.jsonl").write_text(json.dumps({"id": "r1", "custom_id": "sb1-a", "response": None}) + "\n")
    again = CliRunner().invoke(app, [*args, "--format", "json"])
    assert again.exit_code == 0, again.output
    written = json.loads(next((folder / "digests").glob("*.json")).read_text())
    assert written["meta"]["inputs"] == 2 and written["not_included"] == []
