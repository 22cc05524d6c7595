"""Duplicates, dates mentioned and story grouping: deterministic, tunable, explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.client import Summarizer
from summarizer.digests.grouping import Grouper, GroupingOptions, Profile, find_duplicates
from summarizer.ingest.article import Article
from summarizer.ingest.dates import mentioned_dates
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings

FRIDAY = dt.date(2026, 3, 13)


def test_dates_are_resolved_against_the_reference_day() -> None:
    text = "Talks ended on Friday. They began on Tuesday, March 10, after the Nov. 16 summit and on 2025-12-01."
    assert mentioned_dates(text, FRIDAY) == {
        FRIDAY, dt.date(2026, 3, 10), dt.date(2025, 11, 16), dt.date(2025, 12, 1)
    }  # fmt: skip
    assert mentioned_dates("It was announced yesterday.", FRIDAY) == {dt.date(2026, 3, 12)}
    assert mentioned_dates("On February 30 nothing happened.", FRIDAY) == set()


def test_republished_text_is_a_duplicate_and_a_rewrite_is_not() -> None:
    wire = " ".join(f"Sentence {i} of the wire story says something about the harbour strike." for i in range(30))
    rewrite = " ".join(f"Our reporter heard point {i} about the strike at the harbour today." for i in range(30))
    texts = [wire, rewrite, "Republished. " + wire + " (Reporting by a wire service.)"]
    assert find_duplicates(texts, 0.7) == {2: 0}
    assert find_duplicates(texts, 0.99) == {}


@pytest.fixture(scope="module")
def profiles() -> Iterator[dict[str, Profile]]:
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, Path("/nonexistent"))) as summarizer:
        found = {}
        for path in sorted(DIGEST_ARTICLES.glob("*.txt")):
            article = Article.from_path(path, max_bytes=10**6)
            found[path.stem] = Profile.of(article, summarizer.brief(article), FRIDAY)
        yield found


def test_the_same_event_scores_high_and_unrelated_events_low(profiles: dict[str, Profile]) -> None:
    names = list(profiles)
    grouper = Grouper(list(profiles.values()))

    def score(a: str, b: str) -> float:
        return grouper.score(names.index(a), names.index(b)).score

    same = score("calder_herald_strike", "northshore_times_strike")
    unrelated = score("calder_herald_strike", "millbrook_library")
    assert same >= 0.3 > unrelated
    explained = grouper.score(names.index("calder_herald_strike"), names.index("coastal_wire_strike"))
    assert "Marta Okafor" in explained.shared_names and FRIDAY in explained.shared_days
    assert {"calder", "bay"} <= set(explained.shared_terms)


def test_the_threshold_is_the_knob(profiles: dict[str, Profile]) -> None:
    everything = list(profiles.values())
    assert len(Grouper(everything, GroupingOptions(threshold=0.99)).groups()) == len(everything)
    default = Grouper(everything).groups()
    assert len(default) == 3  # strike (with the republished copy as a member here), library, comet
    assert Grouper(everything).groups() == default  # deterministic


def test_articles_published_days_apart_are_never_one_story(profiles: dict[str, Profile]) -> None:
    herald = profiles["calder_herald_strike"]
    months_later = Profile(herald.names, herald.terms, herald.days, dt.date(2026, 6, 1))
    grouper = Grouper([herald, months_later, profiles["coastal_wire_strike"]])
    assert grouper.score(0, 1).score == 0.0
    assert [members for members, _ in grouper.groups()] == [[0, 2], [1]]


def test_unrelated_events_on_the_same_day_stay_apart_in_a_large_batch(tmp_path: Path) -> None:
    import shutil

    from summarizer.digests.api import digest

    from .test_faults import _towns

    _towns(tmp_path / "batch", 70)  # 70 unrelated towns, every one "on Monday": more than are all scored
    for name in ("calder_herald_strike", "northshore_times_strike", "coastal_wire_strike"):
        shutil.copy(DIGEST_ARTICLES / f"{name}.txt", tmp_path / "batch" / f"{name}.txt")
    with stub_model_server() as stub:
        result = digest([tmp_path / "batch"], settings=stub_settings(stub.url, tmp_path / "cache"))
    sizes = sorted((len(story.sources) for story in result.stories), reverse=True)
    assert sizes == [3] + [1] * 70
