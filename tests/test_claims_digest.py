"""A digest's story is model prose too: what its member articles do not support is re-asked, then dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from spacy.language import Language

from summarizer._briefing.asking import ReaskBounds, ask
from summarizer._briefing.prompting import default_prompts
from summarizer.claims.api import checker_for
from summarizer.client import Summarizer
from summarizer.diagnostics import WarningCode
from summarizer.digests.drafts import DraftStory, Member, StoryGround, story_call
from summarizer.digests.schema import Source
from summarizer.digests.synthesis import StoryAnswer
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.testing.fake_backend import FakeBackend
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings

INVENTED_PERSON = "Ruth Adler voted to end the strike at the Port of Calder Bay."
NEGATED = "The Harbour Workers Union said the deal does not give workers a 6 percent raise this year."
GOOD_DEVELOPMENT = "Marta Okafor said the agreement also limits night shifts."
GOOD_SUMMARY = "Dockworkers at the Port of Calder Bay voted on Friday to end their strike."


@pytest.fixture(scope="module")
def story(nlp: Language) -> Iterator[StoryGround]:
    members, checkers = [], {}
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, Path("/nonexistent"))) as summarizer:
        for number, name in enumerate(["calder_herald_strike", "northshore_times_strike"], start=1):
            article = Article.from_path(DIGEST_ARTICLES / f"{name}.txt", max_bytes=10**6)
            source = Source(id=f"A{number}", input=name, title=article.title, outlet=article.outlet)
            members.append(Member(source, GroundedText(article.text), summarizer.brief(article)))
            checkers[source.id] = checker_for(article, nlp)
    yield StoryGround(members, claims=checkers)


def _draft(summary: str = GOOD_SUMMARY, development: str = GOOD_DEVELOPMENT) -> dict[str, object]:
    return {
        "headline": "Calder Bay dock strike ends",
        "summary": summary,
        "developments": [
            {"text": "The union voted 412 to 96 for the deal.", "sources": ["A1.S2"]},
            {"text": development, "sources": ["A2.S1"]},
        ],
        "positions": [],
    }


def test_a_story_its_articles_support_passes_the_checker(story: StoryGround) -> None:
    draft = DraftStory.model_validate(_draft(), context={"ground": story})
    assert draft.summary == GOOD_SUMMARY
    assert [d.text for d in draft.developments] == ["The union voted 412 to 96 for the deal.", GOOD_DEVELOPMENT]


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        (_draft(development=INVENTED_PERSON), "not in the article: adler, ruth"),
        (_draft(summary=f"{GOOD_SUMMARY} {NEGATED}"), "negation flipped"),
    ],
    ids=["development-names-someone-absent", "summary-sentence-negates"],
)
def test_prose_its_articles_contradict_is_refused_with_the_checkers_reason(
    story: StoryGround, draft: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match="is not what its sources say") as refused:
        DraftStory.model_validate(draft, context={"ground": story})
    assert problem in str(refused.value)


def test_unsupported_development_and_summary_sentence_are_re_asked_then_dropped(story: StoryGround) -> None:
    bad = _draft(summary=f"{GOOD_SUMMARY} {NEGATED}", development=INVENTED_PERSON)
    backend = FakeBackend([bad, bad])
    [answer] = ask([story_call(story, default_prompts())], backend, ReaskBounds(default_prompts(), 1, 100_000))
    assert answer.draft is None and len(backend.requests) == 2
    assert "is not what its sources say" in str(backend.requests[1].messages[-1])  # the re-ask gives the reason
    result = StoryAnswer.of(answer, story)
    dropped = {w.item for w in result.warnings if w.code == WarningCode.DROPPED_UNGROUNDED}
    assert dropped == {"developments", "summary"}
    written = result.written(story)
    assert written.by == "model" and written.summary.text == GOOD_SUMMARY
    assert all("Adler" not in d.text for d in written.developments)
