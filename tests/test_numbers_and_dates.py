"""Figures are compared as numbers and publication dates are read in the forms feeds write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.digests.api import digest
from summarizer.grounding import missing_numbers
from summarizer.ingest.article import Article
from summarizer.ingest.clean import parse_date
from summarizer.testing.stub_model import stub_model_server

from .digest_support import stub_settings


@pytest.mark.parametrize(
    ("point", "evidence", "missing"),
    [
        ("The council voted 4 to 2.", "The council voted 48 to 21.", ["4", "2"]),
        ("It cost 1,604 dollars.", "It cost 1604 dollars.", []),
        ("Turnout was 40%.", "Turnout was 40 percent.", []),
        ("The bridge costs $48 million.", "The bridge costs 48 million dollars.", []),
        ("The bridge costs 48 million.", "The bridge costs $48,000,000.", []),
        ("The fund holds 4 million.", "The fund holds 4 billion.", ["4"]),
        ("Rates rose 6.5 points.", "Rates rose 6.50 points.", []),
        ("The vote was 7-2 on 2026-03-13.", "On 2026-3-13 the council voted 7-2.", []),
        ("Work takes 18 months.", "Work takes 180 months.", ["18"]),
    ],
)
def test_numbers_are_compared_as_numbers_not_substrings(point: str, evidence: str, missing: list[str]) -> None:
    assert missing_numbers(point, evidence) == missing


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("Fri, 13 Mar 2026 09:00:00 GMT", dt.date(2026, 3, 13)),
        ("Fri, 13 Mar 2026 23:30:00 -0500", dt.date(2026, 3, 13)),  # the writer's day, not UTC's
        ("March 13, 2026 9:00 AM", dt.date(2026, 3, 13)),
        ("2026/03/13", dt.date(2026, 3, 13)),
        ("4/26/2024", dt.date(2024, 4, 26)),
        ("2026-03-13T09:00:00Z", dt.date(2026, 3, 13)),
        ("Mar. 13, 2026", dt.date(2026, 3, 13)),
        ("March 13", None),
        ("5", None),
        ("yesterday", None),
    ],
)
def test_publication_dates_in_feed_and_page_forms(value: str, day: dt.date | None) -> None:
    assert parse_date(value) == day


def test_an_rss_dated_article_is_kept_or_left_out_by_date(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "today.txt").write_text(
        "Published: Fri, 13 Mar 2026 09:00:00 GMT\n\nThe ferry to Skerra resumed on Friday.\n", encoding="utf-8"
    )
    (folder / "old.txt").write_text(
        "Published: March 2, 2026 9:00 AM\n\nA bakery in Dunmore won a bread prize on Monday.\n", encoding="utf-8"
    )
    assert Article.from_text((folder / "today.txt").read_text()).published == dt.date(2026, 3, 13)
    with stub_model_server() as stub:
        result = digest([folder], date=dt.date(2026, 3, 13), settings=stub_settings(stub.url, tmp_path / "cache"))
    assert [Path(s.input).name for story in result.stories for s in story.sources] == ["today.txt"]
    assert [(Path(i.input).name, i.stage) for i in result.not_included] == [("old.txt", "window")]
