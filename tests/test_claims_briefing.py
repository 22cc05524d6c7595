"""The claim checker on what the library itself writes: every extractive key point must pass it."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import summarizer
from summarizer.claims.api import checker_for

ARTICLES = sorted((Path(__file__).parent / "articles").rglob("*.txt"))


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_every_extractive_key_point_is_supported(path: Path, nlp: Language) -> None:
    with summarizer.Summarizer(summarizer.Settings(model="extractive")) as client:
        briefing = client.brief(path)
    points = [point.text for point in briefing.key_points]
    assert points
    verdicts = checker_for(client.read(path), nlp).check(points)
    unsupported = [(v.claim, v.problems) for v in verdicts if not v.supported]
    assert not unsupported
    for point, verdict in zip(briefing.key_points, verdicts, strict=True):  # found where the point says it rests
        assert {e.sentence_id for e in point.evidence} & set(verdict.evidence), point.text
