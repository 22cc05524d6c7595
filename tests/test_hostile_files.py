"""Hostile users' inputs: every path found is briefed or listed, odd encodings and scripts read right.

Issue 14: what a demanding, slightly hostile user tried, and what happens now. Each test pins one
probe of ``docs/reliability.md``'s "hostile user" table. Fixture articles are hand-written and fictional.
"""

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli._exits import SOME_NOT_INCLUDED
from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.digests.sources import expand
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.ingest.sentences import split_sentences
from summarizer.testing.stub_model import StubModel

from .digest_support import stub_settings
from .hostile_support import ARTICLE, OTHER


def _refuse(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` unreadable. Root reads anything, so there the refusal is made at the OS call."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    denied = PermissionError(errno.EACCES, "Permission denied", str(path))
    real_open, real_scandir = Path.open, os.scandir

    def path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise denied
        return real_open(self, *args, **kwargs)

    def scandir(target: Any = ".") -> Any:
        if Path(target) == path:
            raise denied
        return real_scandir(target)

    monkeypatch.setattr(Path, "open", path_open)
    monkeypatch.setattr(os, "scandir", scandir)


def test_every_path_in_a_folder_is_briefed_or_listed_with_its_reason(
    stub: StubModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bakery.txt").write_text(OTHER)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ferry.txt").write_text(ARTICLE)
    (folder / "linked").symlink_to(elsewhere)  # followed
    (folder / "again").symlink_to(folder)  # a loop: read once
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "locked").mkdir()
    (folder / "locked" / "secret.txt").write_text(OTHER)
    _refuse(folder / "locked", monkeypatch)
    runner = CliRunner()
    args = ["digest", str(folder), "--base-url", stub.url, "--model", "stub", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == SOME_NOT_INCLUDED, result.output
    written = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    briefed = {Path(s["input"]).name for story in written["stories"] for s in story["sources"]}
    assert briefed == {"ferry.txt", "bakery.txt"}
    reasons = {Path(item["input"]).name: item["reason"] for item in written["not_included"]}
    assert reasons == {
        "again": "a symlink to a folder already read (a loop, or a second link to it)",
        "dangling.txt": "a symlink to a missing file",
        "self.txt": "a symlink loop (a link that leads back to itself)",
        "pipe.txt": "not a regular file (a FIFO)",
        "locked": "the folder cannot be listed (Permission denied); check its permissions",
    }


def test_an_unreadable_file_is_an_input_error_for_brief_and_listed_by_a_digest(
    stub: StubModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "in" / "locked.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE)
    (tmp_path / "in" / "ferry.txt").write_text(OTHER)
    _refuse(path, monkeypatch)
    briefed = CliRunner().invoke(app, ["brief", str(path), "--base-url", stub.url, "--model", "stub"])
    assert briefed.exit_code == 3 and "permission denied" in briefed.stderr
    result = digest([tmp_path / "in"], settings=stub_settings(stub.url, tmp_path / "cache"))
    assert [(Path(i.input).name, i.reason) for i in result.not_included] == [
        ("locked.txt", "permission denied; check the file's permissions")
    ]
    assert len(result.stories) == 1


NESTED = '{"text": "The ferry resumed.", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"


def test_json_nested_100000_deep_is_an_input_error_and_the_digest_goes_on(stub: StubModel, tmp_path: Path) -> None:
    record = tmp_path / "deep.json"
    record.write_text(NESTED)
    briefed = CliRunner().invoke(app, ["brief", str(record), "--base-url", stub.url, "--model", "stub"])
    assert briefed.exit_code == 3 and "nested too deeply" in briefed.stderr
    feed = tmp_path / "feed.jsonl"
    feed.write_text(NESTED + "\n" + json.dumps({"title": "Bakery prize", "text": OTHER.split("\n\n")[1]}) + "\n")
    result = digest([feed, record], settings=stub_settings(stub.url, tmp_path / "cache"))
    assert {i.input: i.reason for i in result.not_included} == {
        f"{feed}:1": "the JSON is nested too deeply to be an article record",
        str(record): "the JSON is nested too deeply to be an article record",
    }
    assert [s.headline for s in result.stories] == ["Bakery prize"]


def test_plain_text_keeps_its_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title: Fans chant at the derby\n\nFans held a banner reading s*** free and __init__ all game.\n")
    article = Article.from_path(path, max_bytes=10**6)
    assert article.text == "Fans held a banner reading s*** free and __init__ all game."


def test_combining_accents_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    body = "Vendors sold pin\u0303atas in Jose\u0301 Mart\u00ed Park on Sunday."  # decomposed and composed
    path.write_text(f"Title: Market day\n\n{body}\n", encoding="utf-8")
    article = Article.from_path(path, max_bytes=10**6)
    assert article.text == body


def test_a_feed_larger_than_the_input_limit_is_read_record_by_record(stub: StubModel, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [{"title": f"Town {i} opens a library", "text": f"Town {i} opened a new library on Monday. " * 20}
               for i in range(30)]  # fmt: skip
    oversized = {"title": "Too long", "text": "A council met. " * 400}
    feed.write_text("\n".join(json.dumps(r) for r in [*records, oversized]) + "\n")
    assert feed.stat().st_size > 30_000
    entries = expand([feed], max_bytes=5_000)
    assert [e.error for e in entries if e.error] == ["the record is over the 5,000-byte limit"]
    assert len([e for e in entries if e.article]) == 30


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_read(codec: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(codec))  # Python writes the BOM
    assert Article.from_path(path, max_bytes=10**6).title == "Ferry service resumes in Skerra"


@pytest.mark.parametrize(
    "expected",
    [
        [
            "أعلن الميناء انتهاء الإضراب.",
            "هل تعود السفن؟",
            "تعود يوم السبت.",
        ],
        [
            "הנמל נפתח היום.",
            "הספינות חוזרות.",
        ],
    ],
)
def test_scripts_without_capitals_are_split_into_sentences(expected: list[str]) -> None:
    assert [s.text for s in split_sentences(" ".join(expected))] == expected  # Arabic (with its "?"), Hebrew


def test_a_chinese_title_is_taken_as_the_title_not_repeated_as_s1(tmp_path: Path) -> None:
    article = Article.from_text("卡尔德湾港口罢工结束\n\n卡尔德湾港口的罢工在星期五结束。港口将于周六重新开放。")
    assert article.title == "卡尔德湾港口罢工结束"
    assert GroundedText(article.text).sentences[0].text == "卡尔德湾港口的罢工在星期五结束。"
    page = Article.from_html(
        "<html><head><title>卡尔德湾港口罢工结束</title></head><body><article><h1>卡尔德湾港口罢工结束</h1>"
        "<p>卡尔德湾港口的罢工在星期五结束。港口将于周六重新开放。</p></article></body></html>"
    )
    assert page.title == "卡尔德湾港口罢工结束" and not page.text.startswith(page.title)


def test_record_metadata_is_cleaned_and_bounded_like_the_body(stub: StubModel, tmp_path: Path) -> None:
    record = {"title": "Ferry\u202e resumes\u200b in\nSkerra " + "very " * 20_000, "outlet": "Isle\u200d News",
              "text": "The ferry to Skerra resumed on Monday after a week of storms."}  # fmt: skip
    article = Article.from_record(record)
    assert article.outlet == "Isle News"
    assert article.title is not None and article.title.startswith("Ferry resumes in Skerra very")
    assert len(article.title) <= 300 and article.title.endswith("\u2026")
    with Summarizer(stub_settings(stub.url, tmp_path)) as client:
        client.brief(article)
    prompt = json.dumps(stub.requests, ensure_ascii=False)
    assert "\u202e" not in prompt and "very " * 100 not in prompt
