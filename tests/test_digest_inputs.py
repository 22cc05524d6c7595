"""What a digest takes from a folder: article files, not sidecars; globs to choose; pages that are no articles.

Fixture articles here are fictional and written for these tests.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli._exits import SOME_NOT_INCLUDED
from summarizer.digests.api import digest
from summarizer.digests.folders import FolderFilter, sidecar
from summarizer.digests.sources import expand
from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.dates import partial_day
from summarizer.settings import Settings

FERRY = "Title: Ferry service resumes in Skerra\n\nThe ferry to Skerra resumed on Monday after a week of storms.\n"
BAKERY = "Title: Bakery in Dunmore wins a prize\n\nA bakery in Dunmore won the national bread prize on Sunday.\n"
GOLD = json.dumps({"people": [], "quotes": [], "event_date": "2026-03-09"})
PAGE = """<!DOCTYPE html><html><head><title>Harbour council approves new ferry timetable</title>{meta}</head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Harbour council approves new ferry timetable</h1>
<p>The harbour council of Dunmore approved a new ferry timetable on Tuesday after a month of complaints.</p>
<p>Councillor Ines Marlow said the earlier sailing would let workers reach the mainland before eight.</p>
<p>The new timetable starts next Monday and adds two sailings on weekends.</p></article>
<footer><p>Copyright 2019 Dunmore Courier. All rights reserved.</p></footer></body></html>"""


def _extractive(tmp_path: Path) -> Settings:
    return Settings(model="extractive", cache_dir=tmp_path / "cache")


def _names(paths: list[Any]) -> list[str]:
    return [Path(e.label).name for e in paths]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Articles with the files that sit beside them in real folders: annotations, a log, an image, notes."""
    news = tmp_path / "news"
    (news / "wire").mkdir(parents=True)
    (news / "ferry.txt").write_text(FERRY)
    (news / "ferry.gold.json").write_text(GOLD)  # the ferry article's annotation
    (news / "wire" / "bakery.md").write_text(BAKERY)
    (news / "wire" / "bakery.meta.json").write_text(GOLD)
    (news / "conversion.log").write_text("converted 2 files\n")
    (news / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not an article")
    return news


def test_a_folder_gives_its_article_files_and_not_their_sidecars(folder: Path) -> None:
    entries = expand([folder], max_bytes=10**6)
    assert _names(entries) == ["ferry.txt", "bakery.md"]
    assert all(e.error is None for e in entries)


def test_a_file_named_outright_is_read_whatever_its_name(folder: Path) -> None:
    entries = expand([folder / "ferry.gold.json"], max_bytes=10**6)
    assert _names(entries) == ["ferry.gold.json"] and entries[0].error  # read, and refused as no article record


def test_include_and_exclude_globs_choose_by_name_or_by_path_below_the_folder(folder: Path) -> None:
    def chosen(**globs: Any) -> list[str]:
        return _names(expand([folder], max_bytes=10**6, folders=FolderFilter.of(**globs)))

    assert chosen(include=["*.TXT"]) == ["ferry.txt"]  # case does not matter
    assert chosen(exclude=["wire/*"]) == ["ferry.txt"]
    assert chosen(include=["*.gold.json"]) == ["ferry.gold.json"]  # your own include keeps sidecars
    assert chosen(include=["*"], exclude=["*.jpg", "*.json"]) == ["conversion.log", "ferry.txt", "bakery.md"]
    with pytest.raises(TypeError, match="list of globs"):
        FolderFilter.of(include="*.txt")


def test_a_sidecar_is_a_json_file_named_after_an_article_beside_it() -> None:
    assert sidecar("Story.Gold.json", ["story.txt", "Story.Gold.json"])
    assert sidecar("a.meta.json", ["a.json", "a.meta.json"])
    assert not sidecar("story.gold.json", ["other.txt"])  # nothing it describes: read, and listed if no article
    assert not sidecar("story.json", ["story.txt"])  # one suffix: an article record of its own


def test_the_cli_and_the_api_take_include_and_exclude(folder: Path, tmp_path: Path) -> None:
    result = digest([folder], settings=_extractive(tmp_path), exclude=["bakery*"])
    assert [Path(s.input).name for story in result.stories for s in story.sources] == ["ferry.txt"]
    assert not result.not_included  # sidecars, the log and the image are not failures
    args = ["digest", str(folder), "--model", "extractive", "--out", str(tmp_path / "out"), "--format", "json"]
    ran = CliRunner().invoke(app, [*args, "--include", "*.md", "--include", "*.log"], env=_env(tmp_path))
    assert ran.exit_code == 0, ran.output
    written = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert sorted(Path(s["input"]).name for story in written["stories"] for s in story["sources"]) == [
        "bakery.md",
        "conversion.log",
    ]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "SUMMARIZER_MODEL": "extractive"}


def _deny_inside(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``folder`` unreadable, as ``chmod 0`` makes it for anyone but root: not listed, nothing inside reached.

    Root reads anything, so there the refusal is made at the OS calls: listing the folder and
    looking up any path inside it (``stat``, which ``Path.exists`` and ``open`` rest on).
    """
    folder.chmod(0)
    if os.geteuid() != 0:
        return
    inside = str(folder) + os.sep
    real_scandir, real_stat, real_open = os.scandir, os.stat, os.open

    def denied(path: Any) -> PermissionError:
        return PermissionError(errno.EACCES, "Permission denied", str(path))

    def scandir(target: Any = ".") -> Any:
        if os.fspath(target) == str(folder):
            raise denied(target)
        return real_scandir(target)

    def stat(target: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(target, (str, os.PathLike)) and os.fspath(target).startswith(inside):
            raise denied(target)
        return real_stat(target, *args, **kwargs)

    def open_(target: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(target, (str, os.PathLike)) and os.fspath(target).startswith(inside):
            raise denied(target)
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "open", open_)


def test_an_unreadable_subfolder_is_listed_not_a_traceback(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = folder / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(BAKERY)
    _deny_inside(locked, monkeypatch)
    try:
        args = ["digest", str(folder), "--model", "extractive", "--out", str(tmp_path / "out"), "--format", "json"]
        ran = CliRunner().invoke(app, args, env=_env(tmp_path))
    finally:
        monkeypatch.undo()
        locked.chmod(0o755)
    assert ran.exit_code == SOME_NOT_INCLUDED, ran.output
    written = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert [(Path(i["input"]).name, i["reason"]) for i in written["not_included"]] == [
        ("locked", "the folder cannot be listed (Permission denied); check its permissions")
    ]


def test_a_copyright_year_is_not_a_publication_date() -> None:
    article = Article.from_html(PAGE.format(meta=""))
    assert article.published is None and article.title == "Harbour council approves new ferry timetable"
    dated = Article.from_html(PAGE.format(meta='<meta property="article:published_time" content="2026-03-01T08:00">'))
    assert dated.published == dt.date(2026, 3, 1)  # a first of the month the page states is kept


@pytest.mark.parametrize(
    ("day", "page", "partial"),
    [
        (dt.date(2019, 1, 1), "Copyright 2019 Dunmore Courier", True),
        (dt.date(2019, 3, 1), "Published in March 2019", True),
        (dt.date(2019, 3, 1), "Published March 1, 2019", False),
        (dt.date(2019, 3, 1), "Published 1 March 2019", False),
        (dt.date(2019, 3, 1), '<time datetime="2019-03-01T09:00">', False),
        (dt.date(2019, 3, 1), "Posted 03/01/2019", False),
        (dt.date(2019, 3, 2), "Copyright 2019 Dunmore Courier", False),  # only a first of the month is filled in
    ],
)
def test_a_first_of_the_month_the_page_does_not_state_is_taken_for_a_year_or_month_alone(
    day: dt.date, page: str, partial: bool
) -> None:
    assert partial_day(day, page) is partial


def test_a_page_of_navigation_links_is_no_article(tmp_path: Path) -> None:
    nav = '<!DOCTYPE html><html><body><nav><a href="/">Home</a> | <a href="/about">About</a></nav></body></html>'
    with pytest.raises(InputError, match="only navigation links"):
        Article.from_html(nav)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "index.html").write_text(nav)
    (tmp_path / "news" / "ferry.txt").write_text(FERRY)
    result = digest([tmp_path / "news"], settings=_extractive(tmp_path))
    assert [story.headline for story in result.stories] == ["Ferry service resumes in Skerra"]
    assert [(Path(i.input).name, i.reason) for i in result.not_included] == [
        ("index.html", "the page holds only navigation links, no article text")
    ]
