"""Stories of several articles without a model, and stories kept in the cache whatever their answer held.

The extractive mode has no model to write a story: it is told in its articles' own sentences,
and so is a story whose model answer could not be used. A story the model answered badly is
kept too, so an unchanged re-run asks nothing. The story's claim checks reuse the NLP stage its
members' briefings ran.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from summarizer.digests.api import digest
from summarizer.errors import InputError
from summarizer.events import NlpStageDone
from summarizer.settings import Settings
from summarizer.testing import stub_answers, stub_model
from summarizer.testing.stub_model import FaultPlan, stub_model_server

from .digest_support import DIGEST_ARTICLES, STRIKE, stub_settings

ROOT = Path(__file__).parent.parent
BRIEFINGS = 5  # distinct articles in DIGEST_ARTICLES (one is a republished copy), one request each on the stub


def _sentences_of(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def test_an_extractive_digest_tells_a_story_of_several_articles_in_their_own_sentences(tmp_path: Path) -> None:
    result = digest([DIGEST_ARTICLES], settings=Settings(model="extractive", cache_dir=tmp_path))
    strike = result.stories[0]
    assert {Path(s.input).name for s in strike.sources} == STRIKE
    assert strike.written_by == "extractive" and not strike.warnings  # the mode chosen, not a failure
    assert strike.headline == strike.sources[0].title
    texts = {s.id: _sentences_of(s.input) for s in strike.sources}
    for statement in [strike.summary, *strike.developments]:
        own = statement.citations[0].text
        assert statement.text.rstrip(".") in own  # the articles' own words (a long sentence cut at a clause)
        assert all(c.text in texts[c.article] for c in statement.citations)
    assert 2 <= len(strike.developments) <= 5
    assert len({d.citations[0].article for d in strike.developments}) >= 2, "every outlet is heard"
    assert len({d.text for d in strike.developments}) == len(strike.developments)
    told = [strike.summary, *strike.developments]
    assert sum("412" in s.text for s in told) == 1, "one fact once, however each outlet words it"
    assert result.meta.model_calls == 0 and not result.not_included


def test_a_fact_several_outlets_report_is_cited_to_each(tmp_path: Path) -> None:
    strike = digest([DIGEST_ARTICLES], settings=Settings(model="extractive", cache_dir=tmp_path)).stories[0]
    cited = [{c.article for c in s.citations} for s in [strike.summary, *strike.developments]]
    assert any(len(articles) >= 2 for articles in cited)


def test_an_error_of_the_digest_does_not_chain_a_stray_event_loop_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        digest([tmp_path / "no-such-folder"], settings=Settings(model="extractive", cache_dir=tmp_path))
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_a_story_the_model_cannot_answer_is_told_in_its_articles_own_sentences(tmp_path: Path) -> None:
    # the briefings answer; the story's request and its re-ask get JSON that breaks the schema
    with stub_model_server(faults=FaultPlan(script=[None] * BRIEFINGS + ["schema"] * 4)) as stub:
        result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    strike = result.stories[0]
    assert len(strike.sources) == 3 and strike.written_by == "extractive"
    assert [w.code for w in strike.warnings] == ["invalid_answer", "told_in_own_words"]
    assert strike.developments and strike.summary.citations


def _with_labels_in_the_summary(request: dict[str, Any], fault: str | None, completion_id: str) -> dict[str, Any]:
    """The stub's answer, but a story's summary cites labels inline, as small models do."""
    answer = _STUB_COMPLETION(request, fault, completion_id)
    content = json.loads(answer["choices"][0]["message"]["content"])
    if "developments" in content:
        content["summary"] += " [A1.S1]"
        answer["choices"][0]["message"]["content"] = json.dumps(content)
    return answer


_STUB_COMPLETION = stub_answers.completion


def test_a_story_kept_with_problems_is_not_asked_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # An answer whose summary carries markup is refused, re-asked, and kept leniently (the markup
    # noted); validated strictly when read back, the kept answer was refused and the model asked again.
    monkeypatch.setattr(stub_model, "completion", _with_labels_in_the_summary)
    with stub_model_server() as stub:
        settings = stub_settings(stub.url, tmp_path)
        first = digest([DIGEST_ARTICLES], settings=settings)
        made = len(stub.requests)
        second = digest([DIGEST_ARTICLES], settings=settings)
        assert len(stub.requests) == made, "an unchanged re-run makes no model call, stories included"
    assert made == BRIEFINGS + 2  # the story and its one re-ask
    assert first.stories[0].written_by == "model"
    assert second.meta.model_calls == 0 and second.meta.stories_from_cache == 1
    assert second.model_dump(exclude={"generated_at", "meta"}) == first.model_dump(exclude={"generated_at", "meta"})


def test_a_story_s_claim_checks_reuse_its_members_nlp_stage(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    # The checkers of the story the model writes read each member's NLP stage: the one its
    # briefing ran just before, not a second run (about half a second of CPU per long member).
    caplog.set_level(logging.DEBUG, logger="summarizer")
    with stub_model_server() as stub:
        result = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path))
    assert result.stories[0].written_by == "model" and len(result.stories[0].sources) == len(STRIKE)
    stages = [r for r in caplog.records if isinstance(getattr(r, "summarizer_event", None), NlpStageDone)]
    assert len(stages) == BRIEFINGS
