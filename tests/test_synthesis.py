"""Story synthesis is grounded: labels must exist, numbers must be cited, actors named where cited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer.client import Summarizer
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.digests.drafts import DraftStory, Member, StoryGround, normalize_labels
from summarizer.digests.schema import Source
from summarizer.digests.synthesis import from_briefings, from_draft, from_own_words
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings


@pytest.fixture(scope="module")
def story() -> Iterator[StoryGround]:
    members = []
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, Path("/nonexistent"))) as summarizer:
        for number, name in enumerate(["calder_herald_strike", "northshore_times_strike"], start=1):
            article = Article.from_path(DIGEST_ARTICLES / f"{name}.txt", max_bytes=10**6)
            source = Source(id=f"A{number}", input=name, title=article.title, outlet=article.outlet)
            members.append(Member(source, GroundedText(article.text), summarizer.brief(article)))
    yield StoryGround(members)


def _draft(**changes: object) -> dict[str, object]:
    draft: dict[str, object] = {
        "headline": "Calder Bay dock strike ends",
        "summary": "Dockworkers at the Port of Calder Bay voted on Friday to end their strike.",
        "developments": [{"text": "The union voted 412 to 96 for the deal.", "sources": ["A1.S2"]}],
        "positions": [{"actor": "Helen Vos", "stance": "the strike hurt the port", "sources": ["A2.S8"]}],
    }
    return {**draft, **changes}


def test_labels_are_normalized_and_unknown_ones_reported(story: StoryGround) -> None:
    assert normalize_labels(["[A1 S2]", "a2.s1", "A1.S2", "A9.S1"], story) == (["A1.S2", "A2.S1"], ["A9.S1"])


def test_a_grounded_story_validates_and_its_summary_is_cited_sentence_by_sentence(story: StoryGround) -> None:
    draft = DraftStory.model_validate(_draft(), context={"ground": story})
    written = from_draft(draft, story, [])
    assert written.by == "model"
    assert [(c.article, c.sentence_id) for c in written.summary.citations] == [("A2", 1)]
    assert [c.sentence_id for c in written.developments[0].citations] == [2]
    assert written.positions[0].actor == "Helen Vos"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"developments": [{"text": "Dockers occupied the harbour master's office.", "sources": ["A1.S99"]}]},
            "valid labels",
        ),
        ({"developments": [{"text": "The union voted 500 to 9 for the deal.", "sources": ["A1.S2"]}]}, "numbers"),
        ({"positions": [{"actor": "Daniel Price", "stance": "wants more", "sources": ["A2.S8"]}]}, "do not name"),
        ({"headline": " "}, "must not be empty"),
    ],
    ids=["invented-label", "invented-number", "actor-not-in-sentence", "empty-headline"],
)
def test_ungrounded_answers_are_refused_with_a_reason_the_model_can_act_on(
    story: StoryGround, changes: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        DraftStory.model_validate(_draft(**changes), context={"ground": story})


def test_a_wrong_citation_is_re_anchored_to_the_sentence_that_states_it(story: StoryGround) -> None:
    moved = {"developments": [{"text": "The union voted 412 to 96 to approve the agreement.", "sources": ["A1.S1"]}]}
    draft = DraftStory.model_validate(_draft(**moved), context={"ground": story})
    assert draft.developments[0].sources == ["A1.S2"]


def test_an_unsupported_summary_sentence_is_dropped_with_a_warning(story: StoryGround) -> None:
    draft = DraftStory.model_validate(
        _draft(summary="Aliens landed in the harbour. Dockworkers voted on Friday to end their strike."),
        context={"ground": story},
    )
    warnings: list[WarningEntry] = []
    written = from_draft(draft, story, warnings)
    assert "Aliens" not in written.summary.text and "Friday" in written.summary.text
    assert [(w.code, w.item) for w in warnings if "Aliens" in w.message] == [("dropped_ungrounded", "summary")]


def test_without_the_model_the_story_is_told_by_its_briefings(story: StoryGround) -> None:
    failed = WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", "the model failed")
    written = from_briefings(story, [failed])
    assert written.by == "briefing" and written.warnings == [failed]
    assert {c.article for d in written.developments for c in d.citations} == {"A1", "A2"}


def test_without_the_model_the_story_is_told_in_its_articles_own_sentences(story: StoryGround) -> None:
    failed = WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", "the model failed")
    written = from_own_words(story, [failed])
    assert written.by == "extractive" and written.warnings == [failed]
    assert written.headline == story.members[0].source.title
    assert [(c.article, c.sentence_id) for c in written.summary.citations][0] == ("A1", 1)
    assert {d.citations[0].article for d in written.developments} == {"A1", "A2"}  # each article in turn
    for statement in [written.summary, *written.developments]:
        assert statement.text.rstrip(".") in statement.citations[0].text


def test_a_model_story_without_a_headline_is_told_in_its_articles_own_sentences(story: StoryGround) -> None:
    draft = DraftStory.model_validate(_draft(headline=" "))  # kept leniently: no ground in context
    written = from_draft(draft, story, [])
    assert written.by == "extractive" and written.headline
    assert written.warnings[-1].code == "told_in_own_words" and "no headline" in written.warnings[-1].message
