"""Hostile users and outputs: never lost, never half-written, checked before the model works.

Issue 14: what a demanding, slightly hostile user tried, and what happens now. Each test pins one
probe of ``docs/reliability.md``'s "hostile user" table. Fixture articles are hand-written and fictional.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.atomic import atomic_text, atomic_texts
from summarizer.cli import app
from summarizer.digests import render as render_module
from summarizer.digests.api import digest
from summarizer.digests.render import claimed, write
from summarizer.digests.schema import Digest
from summarizer.testing.stub_model import StubModel, stub_model_server

from .digest_support import stub_settings
from .hostile_support import two_articles


def test_a_second_run_writing_to_the_same_folder_is_refused_not_silently_replacing(
    stub: StubModel, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["digest", str(two_articles(tmp_path / "in")), "--base-url", stub.url, "--model", "stub", "--out", str(out)]
    with claimed(out):  # another run holds the folder
        second = CliRunner().invoke(app, args)
    assert second.exit_code == 4 and "another summarizer run is writing its digest to" in second.stderr
    assert not stub.requests and not list(out.glob("*.md"))
    assert CliRunner().invoke(app, args).exit_code == 0  # free again


@pytest.mark.parametrize(
    "where",
    [
        lambda tmp: ["brief", "ARTICLE", "-o", str(tmp)],  # a folder
        lambda tmp: ["brief", "ARTICLE", "-o", "/proc/summarizer/brief.md"],
        lambda tmp: ["digest", "ARTICLE", "--out", str(tmp / "in" / "ferry.txt")],  # a regular file
        lambda tmp: ["digest", "ARTICLE", "--out", "/proc/summarizer"],
        lambda tmp: ["batch", "export", "ARTICLE", "--requests", str(tmp)],
    ],
    ids=["brief-folder", "brief-proc", "digest-file", "digest-proc", "export-folder"],
)
def test_unwritable_output_fails_before_any_model_call(where: Any, stub: StubModel, tmp_path: Path) -> None:
    source = str(two_articles(tmp_path / "in") / "ferry.txt")
    args = [source if a == "ARTICLE" else a for a in where(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--base-url", stub.url, "--model", "stub"])
    assert result.exit_code == 4, result.output
    assert "error: cannot write" in result.stderr and "choose another" in result.stderr
    assert not stub.requests


def test_brief_creates_a_missing_parent_folder(stub: StubModel, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "today" / "ferry.md"
    source = str(two_articles(tmp_path / "in") / "ferry.txt")
    result = CliRunner().invoke(app, ["brief", source, "-o", str(target), "--base-url", stub.url, "--model", "stub"])
    assert result.exit_code == 0 and target.read_text().startswith("# ")


def _digest_of(stub: StubModel, tmp_path: Path) -> Digest:
    return digest([two_articles(tmp_path / "in")], settings=stub_settings(stub.url, tmp_path / "cache"))


def test_an_interrupted_write_leaves_no_temporary_and_no_partial_set(
    stub: StubModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, out = _digest_of(stub, tmp_path), tmp_path / "out"
    real = render_module.render

    def stopped_at_html(digest: Digest, fmt: str) -> str:
        if fmt == "html":
            raise KeyboardInterrupt
        return real(digest, fmt)

    monkeypatch.setattr(render_module, "render", stopped_at_html)
    with pytest.raises(KeyboardInterrupt):
        write(result, out)
    assert not out.exists()
    with pytest.raises(KeyboardInterrupt), atomic_texts([out / "a.md", out / "a.json"]) as (first, _):
        first.write("half")
        raise KeyboardInterrupt
    assert list(out.iterdir()) == []


def test_a_stale_temporary_of_a_dead_process_is_removed_by_the_next_write(stub: StubModel, tmp_path: Path) -> None:
    result, out = _digest_of(stub, tmp_path), tmp_path / "out"
    out.mkdir()
    name = f"{result.date.isoformat()}.md"
    dead, alive = out / f".{name}.4194305.0badf00d.tmp", out / f".{name}.1.0badf00d.tmp"
    dead.write_text("half a digest")
    alive.write_text("being written by a running process")
    write(result, out, ("md",))
    assert not dead.exists() and alive.exists()


def test_written_files_follow_the_umask(stub: StubModel, tmp_path: Path) -> None:
    result = _digest_of(stub, tmp_path)
    previous = os.umask(0o027)
    try:
        written = write(result, tmp_path / "out", ("md", "json"))
        brief_out = tmp_path / "brief.md"
        with atomic_text(brief_out) as stream:
            stream.write("# A briefing\n")
    finally:
        os.umask(previous)
    assert {oct(p.stat().st_mode & 0o777) for p in [*written, brief_out]} == {oct(0o640)}


def test_sigterm_stops_a_digest_like_ctrl_c(tmp_path: Path, child_env: dict[str, str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for town in ("Arden", "Balmore", "Corrin", "Dunmore", "Elstow", "Fenwick"):
        (folder / f"{town}.txt").write_text(f"Title: {town} opens a footbridge\n\n{town} opened a footbridge today.\n")
    out = tmp_path / "out"
    with stub_model_server(latency=0.3) as stub:
        command = [sys.executable, "-m", "summarizer", "digest", str(folder), "--base-url", stub.url,
                   "--model", "stub", "--out", str(out), "--concurrency", "1"]  # fmt: skip
        env = {**child_env, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
        running = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while not stub.requests and running.poll() is None:
            time.sleep(0.02)
        running.send_signal(signal.SIGTERM)
        _, stderr = running.communicate(timeout=60)
    assert running.returncode == 143, stderr
    assert "terminated: finished briefings are cached" in stderr and "Traceback" not in stderr
    assert [p.name for p in out.iterdir()] == [".summarizer.lock"]
