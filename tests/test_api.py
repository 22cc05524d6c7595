"""The Python API and the command line as a user meets them: settings, sources, errors, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from summarizer.cli import _fail, app
from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.errors import ConfigurationError, Deferred, SummarizerError
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


def test_an_unknown_strategy_is_a_configuration_error() -> None:
    settings = Settings(model="x", base_url="http://127.0.0.1:9/v1", strategy="fast")
    with Summarizer(settings) as client, pytest.raises(ConfigurationError, match="unknown strategy 'fast'"):
        client.brief(TEXT)


def test_date_and_since_together_are_a_configuration_error(tmp_path: Path) -> None:
    settings = Settings(model="x", base_url="http://127.0.0.1:9/v1", cache_dir=tmp_path)
    with pytest.raises(ConfigurationError, match="not both"):
        digest([DIGEST_ARTICLES], date=dt.date(2026, 3, 13), since=dt.timedelta(days=1), settings=settings)


@pytest.mark.parametrize(
    ("error", "code"),
    [(Deferred(("sb1-x",)), 5), (ConfigurationError("bad"), 4), (SummarizerError("other"), 1)],
)
def test_exit_codes_come_from_the_error_class_and_subclasses_inherit_them(error: SummarizerError, code: int) -> None:
    with pytest.raises(typer.Exit) as exited:
        _fail(error)
    assert exited.value.exit_code == code
