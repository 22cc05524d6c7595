"""The Python API and the command line as a user meets them: settings, sources, errors, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from summarizer._oneshot import brief
from summarizer.cli import app
from summarizer.cli._exits import fail
from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.errors import BackendError, ConfigurationError, SummarizerError
from summarizer.settings import Settings

from .digest_support import DIGEST_ARTICLES

TEXT = "The council met on Monday. It approved a budget of 12 million dollars."


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"max_reasks": -5}, "max_reasks"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"part_tokens": 0}, "part_tokens"),
        ({"token_budget": 0}, "token_budget"),
        ({"max_input_bytes": 0}, "max_input_bytes"),
        ({"model": " "}, "model"),
        ({"base_url": "not-a-url"}, "must be an http"),
        ({"base_url": "ftp://models.example/v1"}, "must be an http"),
        ({"base_url": "http://localhost:port/v1"}, "not a URL"),
    ],
)
def test_settings_that_cannot_work_are_refused_up_front(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["not-a-url", "ftp://models.example/v1"])
def test_the_cli_refuses_a_base_url_that_is_not_http_with_exit_4(tmp_path: Path, url: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["brief", str(article), "--model", "x", "--base-url", url])
    assert result.exit_code == 4 and "http(s) URL" in result.output


def test_an_unknown_strategy_is_refused_when_the_settings_are_made() -> None:
    with pytest.raises(ConfigurationError, match="strategy must be one of .*compress.* not 'fast'"):
        Settings(model="x", base_url="http://127.0.0.1:9/v1", strategy="fast")  # type: ignore[arg-type]


def test_date_and_since_together_are_a_configuration_error(tmp_path: Path) -> None:
    settings = Settings(model="x", base_url="http://127.0.0.1:9/v1", cache_dir=tmp_path)
    with pytest.raises(ConfigurationError, match="not both"):
        digest([DIGEST_ARTICLES], date=dt.date(2026, 3, 13), since=dt.timedelta(days=1), settings=settings)


class _RateLimited(BackendError):
    """A subclass the library does not define: it exits as its base does."""


@pytest.mark.parametrize(
    ("error", "code"),
    [(_RateLimited("slow down", retryable=True), 5), (ConfigurationError("bad"), 4), (SummarizerError("other"), 1)],
)
def test_exit_codes_come_from_the_error_class_and_subclasses_inherit_them(error: SummarizerError, code: int) -> None:
    with pytest.raises(typer.Exit) as exited:
        fail(error)
    assert exited.value.exit_code == code


def test_settings_strict_is_honoured_by_the_one_shot_brief(harbor_text: str) -> None:
    import json

    from summarizer.errors import GroundingError

    from .scripted_server import completion, scripted_server

    invented = {"headline": "Bridge", "summary": "Repairs.", "positions": [],
                "key_points": [{"text": "Something invented.", "sentences": [99]}]}  # fmt: skip
    with scripted_server([completion(json.dumps(invented))] * 3) as (url, _):
        settings = Settings(model="m", base_url=url, strict=True, max_reasks=0)
        with pytest.raises(GroundingError, match="could not be fully grounded"):
            brief(harbor_text, settings=settings)


def test_model_given_beside_settings_is_used_not_ignored(harbor_text: str) -> None:
    from summarizer.testing.stub_model import stub_model_server

    from .digest_support import stub_settings

    with stub_model_server() as stub:
        settings = stub_settings(stub.url, Path("unused"))
        made = brief(harbor_text, model="other-model", settings=settings)
        result = digest([DIGEST_ARTICLES / "rivervale_comet.txt"], model="third-model", settings=settings, cache=False)
    assert made.meta.model == "other-model" and result.meta.model == "third-model"
    assert [r["model"] for r in stub.requests] == ["other-model", "third-model"]


def test_summarizer_and_brief_read_the_same_environment(monkeypatch: pytest.MonkeyPatch, harbor_text: str) -> None:
    from summarizer.testing.stub_model import stub_model_server

    with stub_model_server() as stub:
        monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
        monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
        assert Summarizer().settings == Settings.from_env()
        made = brief(harbor_text)  # no settings, no model: the environment's, as Summarizer() takes them
    assert made.meta.model == "env-model" and [r["model"] for r in stub.requests] == ["env-model"]


def test_digest_reads_strings_as_paths_and_says_how_to_pass_text(tmp_path: Path) -> None:
    from summarizer.errors import InputError

    settings = Settings(model="x", base_url="http://127.0.0.1:9/v1", cache_dir=tmp_path)
    with pytest.raises(InputError, match="Article.from_text"):
        digest(["The council met on Monday.\nIt approved a budget."], settings=settings)


def test_the_sync_digest_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    import asyncio

    from summarizer.testing.stub_model import stub_model_server

    from .digest_support import stub_settings

    async def notebook_cell() -> int:
        return len(digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path)).stories)

    with stub_model_server() as stub:
        assert asyncio.run(notebook_cell()) == 3


def test_each_cli_option_name_means_one_thing_in_every_command() -> None:
    from typer.core import TyperOption

    meanings: dict[str, set[str]] = {}

    def walk(command: Any) -> None:
        for param in command.params:
            for name in param.opts if isinstance(param, TyperOption) else []:
                meanings.setdefault(name, set()).add(str(param.name))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    assert {name: found for name, found in meanings.items() if len(found) > 1} == {}
    assert meanings["-o"] == {"output"} and meanings["--out"] == {"out"} and meanings["--requests"] == {"requests"}
