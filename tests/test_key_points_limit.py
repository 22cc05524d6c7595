"""A key point the model writes is never shown past 25 words, whatever the model does.

A model's key point that runs long and has no clause boundary to cut at takes its cited
sentence's gist (as the extractive key points do); when that sentence has no gist either, the
point is dropped with a structured warning. The articles are fictional, written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from summarizer._briefing.draft_checks import POINT_WORDS
from summarizer.client import Summarizer
from summarizer.diagnostics import WarningCode, WarningEntry, left_out
from summarizer.settings import Settings
from summarizer.testing.fake_backend import FakeBackend

# 37 words and not one comma, semicolon or dash: no clause boundary shortens it
UNBROKEN = (
    "The engineer added that lanes on the Harbor Bridge would close in stages from May so that crews can "
    "replace the corroded deck while the city keeps at least one lane open in each direction for traffic"
)

# fictional: the last sentence's only subject is a dangling "it", so it has no gist
FERRY = (
    "Port Alder opened its new ferry terminal on Monday after two years of building work by the harbor board. "
    "Mayor Elena Varga said the terminal would carry 4,000 passengers a day across the bay to Kellan Point. "
    "It is not hard to see why the harbor board wanted the terminal finished before the summer season."
)


def _written(text: str, point: str, sentence: int, tmp_path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The key points and (code, item) warnings of a ``write`` briefing whose model wrote ``point``."""
    answer = {
        "headline": "A new ferry terminal and bridge repairs",
        "summary": "Port Alder is building.",
        "key_points": [{"text": point, "sentences": [sentence]}],
        "positions": [],
    }
    settings = Settings(model="fake", strategy="write", cache_dir=tmp_path, max_reasks=0)
    with Summarizer(settings, backend=FakeBackend([json.dumps(answer)])) as summarizer:
        briefing = summarizer.brief(text)
    return [p.text for p in briefing.key_points], [(w.code, w.item) for w in briefing.meta.warnings]


def test_a_long_key_point_no_clause_shortens_takes_its_sentence_s_gist(harbor_text: str, tmp_path: Path) -> None:
    points, _ = _written(harbor_text, UNBROKEN, 8, tmp_path)
    assert UNBROKEN not in points
    assert "The engineer added that lanes would close in stages from May." in points
    assert all(len(p.split()) <= POINT_WORDS for p in points)


def test_a_long_key_point_whose_sentence_has_no_gist_is_dropped_with_a_warning(tmp_path: Path) -> None:
    point = (
        "It is not hard to see why the harbor board of Port Alder wanted the new ferry terminal finished and "
        "open to passengers well before the busy summer season began this year"
    )
    points, warnings = _written(FERRY, point, 3, tmp_path)
    assert point not in points
    assert all(len(p.split()) <= POINT_WORDS for p in points)
    # too long is no sign the point was made up: the warning says which it was, and the reader's line too
    assert ("dropped_too_long", "key_points") in warnings and ("dropped_ungrounded", "key_points") not in warnings


def test_the_reader_s_line_tells_a_point_too_long_from_an_ungrounded_one() -> None:
    long = WarningEntry.of(WarningCode.DROPPED_TOO_LONG, "key_points", "dropped: key point 'X' is 40 words long")
    made_up = WarningEntry.of(WarningCode.DROPPED_UNGROUNDED, "key_points", "dropped: key point 'Y' has numbers")
    assert long.severity == "dropped"
    assert left_out([long, made_up]) == (
        "1 item was left out as ungrounded; 1 key point was left out as too long; see the JSON."
    )
