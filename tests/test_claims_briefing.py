"""The claim checker on what the library writes: extractive key points pass it, contradicting model prose does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import summarizer
from summarizer._briefing.asking import ReaskBounds
from summarizer._briefing.draft_checks import claim_problem, sentence_case
from summarizer._briefing.drafts import CompressDraft, DraftPoint
from summarizer._briefing.pipeline import prepare
from summarizer._briefing.prompting import default_prompts
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


HARBOR = Path(__file__).parent / "articles" / "harbor_bridge.txt"


def test_model_prose_the_article_contradicts_is_a_problem_to_re_ask_with(nlp: Language) -> None:
    prepared = prepare(summarizer.Article.from_path(HARBOR), "write", ReaskBounds(default_prompts(), 2, None),
                  part_tokens=5000, analysis=nlp)  # fmt: skip
    assert prepared.ground.claims is not None  # the checker reads the NLP stage's own parse
    draft = CompressDraft(
        headline="Harbor Bridge repairs approved",
        summary="Port Alder will spend $48 million on the Harbor Bridge. Reyes said the cost could rise.",
        key_points=[
            DraftPoint(text="Tomas Reyes warned that the cost could rise.", sentences=[3]),
            DraftPoint(text="Tomas Reyes warned that the cost will rise.", sentences=[3]),
            DraftPoint(text='Reyes said: "Every week we waited, the bill got bigger."', sentences=[2]),
        ],
    )
    kept, problems = draft.grounded(prepared.ground)
    assert [p.text for p in kept.key_points] == ["Tomas Reyes warned that the cost could rise."]
    assert len(problems) == 2
    assert "modality changed" in problems[0].text and "wrong speaker" in problems[1].text


def test_a_title_case_headline_is_checked_in_sentence_case(nlp: Language) -> None:
    prepared = prepare(summarizer.Article.from_path(HARBOR), "write", ReaskBounds(default_prompts(), 2, None),
                  part_tokens=5000, analysis=nlp)  # fmt: skip
    assert prepared.ground.claims is not None
    names = prepared.ground.claims.ground.names
    assert sentence_case("Tomas Reyes Warns The Cost Will Rise", names) == "Tomas Reyes warns the cost will rise"
    assert "modality changed" in (claim_problem("Tomas Reyes Warns The Cost Will Rise", prepared.ground) or "")
    assert claim_problem("Tomas Reyes Warns The Cost Could Rise", prepared.ground) is None
