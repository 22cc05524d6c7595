"""The second opinion replayed from a cassette recorded on the real embedded model (see CONTRIBUTING to re-record).

The article is the fictional storm article of ``tests/articles`` (hand-written, no real events).
"""

from __future__ import annotations

from pathlib import Path

import summarizer

from .cassette_support import recorded_settings

STORM = Path(__file__).parent / "articles" / "storm_coast.txt"
CLAIMS = ["Rescue crews were praised by the mayor on Monday.", "Okafor said the crews would rebuild every pier."]


def test_the_embedded_model_gives_its_opinion_on_each_claim(tmp_path: Path) -> None:
    with recorded_settings("claims_second_opinion", tmp_path) as settings:
        verdicts = summarizer.check(STORM, CLAIMS, settings=settings, model=settings.model)
        plain = summarizer.check(STORM, CLAIMS, settings=settings)
    assert [v.claim for v in verdicts] == CLAIMS
    assert all(isinstance(v.model_opinion, bool) for v in verdicts)  # every request was answered and validated
    for judged, alone in zip(verdicts, plain, strict=True):
        assert (judged.score, judged.evidence) == (alone.score, alone.evidence)
        assert alone.model_opinion is None
