from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.ingest.article import Article

from .cli_support import recorded_retries
from .digest_support import refused_url

HTML = """<!doctype html><html><head><title>Ferry Strike Ends | Example Times</title>
<meta property="og:site_name" content="Example Times"><meta name="author" content="Rosa Lind">
<script>var tracking = "do not include";</script><style>.x{}</style></head>
<body><nav>Home | World | Sport</nav><article><h1>Ferry Strike Ends</h1>
<p>The ferry workers' union ended its strike on Friday after a pay deal, the union said.</p>
<p>“We got what we asked for,” said union leader Marta Soler. Boats resume on Monday.</p>
<p style="display:none">hidden text</p></article><footer>Leave a Reply</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = Article.from_path(path, max_bytes=1_000_000)
    assert "ferry workers' union ended its strike" in article.text
    assert "tracking" not in article.text and "Home | World" not in article.text
    assert article.byline == "Rosa Lind"


def test_json_and_jsonl_records(tmp_path: Path) -> None:
    record = {
        "title": "Ferry Strike Ends",
        "text": "The strike ended on Friday.",
        "published": "2025-02-07",
        "url": "https://example.test/a",
    }
    (tmp_path / "a.json").write_text(json.dumps(record), encoding="utf-8")
    article = Article.from_path(tmp_path / "a.json", max_bytes=1_000_000)
    assert (article.title, article.published, article.url) == (
        "Ferry Strike Ends",
        dt.date(2025, 2, 7),
        "https://example.test/a",
    )
    (tmp_path / "b.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="2 records"):
        Article.from_path(tmp_path / "b.jsonl", max_bytes=1_000_000)
    (tmp_path / "c.json").write_text('{"title": "no text"}', encoding="utf-8")
    with pytest.raises(InputError, match="no text"):
        Article.from_path(tmp_path / "c.json", max_bytes=1_000_000)


def test_cli_reads_standard_input_and_refuses_empty_input() -> None:
    result = CliRunner().invoke(
        app, ["brief", "-", "--model", "x", "--base-url", "http://127.0.0.1:9/v1"], input="   \n"
    )
    assert result.exit_code == 3 and "standard input is empty" in result.output


def test_cli_reports_an_unreachable_server_as_a_backend_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = recorded_retries(monkeypatch)
    path = tmp_path / "a.txt"
    path.write_text("The strike ended on Friday, the union said.", encoding="utf-8")
    with refused_url() as url:
        result = CliRunner().invoke(app, ["brief", str(path)], env={"SUMMARIZER_MODEL": "x", "OPENAI_BASE_URL": url})
    assert result.exit_code == 5 and "could not reach the model server" in result.output
    assert len(sleeps) == 3  # the policy's four attempts, its waits recorded instead of slept
