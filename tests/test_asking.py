"""The re-ask engine over an in-process fake backend: what is re-asked, when it stops, what it judges."""

from __future__ import annotations

import asyncio
import json

import pytest

from summarizer._briefing.asking import Answer, ReaskBounds, StructuredCall, aask, ask, usable_draft
from summarizer._briefing.draft_checks import BriefingGround
from summarizer._briefing.drafts import HeadlineDraft, WriteDraft
from summarizer._briefing.prompting import default_prompts
from summarizer.backends.base import Reply, Request
from summarizer.errors import Deferred
from summarizer.grounding import GroundedText
from summarizer.testing.fake_backend import FakeBackend, Scripted

INVENTED = {"headline": "Council approves $99 million bridge plan"}  # the article says $48 million
GROUNDED = {"headline": "Council approves $48 million bridge repairs"}


def _call(harbor_text: str) -> StructuredCall[HeadlineDraft]:
    ground = BriefingGround(GroundedText(harbor_text))
    return StructuredCall([{"role": "user", "content": "Write a headline."}], HeadlineDraft, ground, 60)


def _bounds(max_reasks: int = 2, token_budget: int | None = None) -> ReaskBounds:
    return ReaskBounds(default_prompts(), max_reasks, token_budget)


def test_an_ungrounded_answer_is_re_asked_with_its_problems_and_the_next_one_kept(harbor_text: str) -> None:
    backend = FakeBackend([INVENTED, GROUNDED])
    [answer] = ask([_call(harbor_text)], backend, _bounds())
    assert answer.draft is not None and answer.draft.headline == GROUNDED["headline"]
    assert answer.attempts == 2
    first, reask = backend.requests
    assert reask.messages[: len(first.messages)] == first.messages  # the original messages, then the correction
    assert reask.messages[len(first.messages)] == {"role": "assistant", "content": json.dumps(INVENTED)}
    assert "99" in reask.messages[-1]["content"]  # the problem the model is asked to fix


def test_the_tokens_of_every_attempt_are_counted(harbor_text: str) -> None:
    backend = FakeBackend([Reply(json.dumps(INVENTED), 100, 10), Reply(json.dumps(GROUNDED), 120, 9)])
    [answer] = ask([_call(harbor_text)], backend, _bounds())
    assert (answer.input_tokens, answer.output_tokens) == (220, 19)


def test_re_asks_stop_at_the_bound_and_leave_the_last_raw_answer(harbor_text: str) -> None:
    spoiled = [{"headline": f"Council approves ${n} million plan"} for n in (91, 92, 93, 94)]
    backend = FakeBackend(spoiled)
    [answer] = ask([_call(harbor_text)], backend, _bounds(max_reasks=2))
    assert len(backend.requests) == 3 and answer.attempts == 3
    assert answer.draft is None and answer.last_raw == json.dumps(spoiled[2])


def test_the_same_answer_twice_ends_the_re_asks(harbor_text: str) -> None:
    backend = FakeBackend([INVENTED, INVENTED, GROUNDED])
    [answer] = ask([_call(harbor_text)], backend, _bounds(max_reasks=5))
    assert len(backend.requests) == 2 and answer.draft is None


def test_the_token_budget_ends_the_re_asks(harbor_text: str) -> None:
    backend = FakeBackend([Reply(json.dumps(INVENTED), 500, 20), GROUNDED])
    [answer] = ask([_call(harbor_text)], backend, _bounds(token_budget=400))
    assert len(backend.requests) == 1 and answer.draft is None


def test_an_answer_cut_off_at_the_token_limit_is_not_re_asked(harbor_text: str) -> None:
    backend = FakeBackend([Reply('{"headline": "Council appro', 90, 60, cut_off=True), GROUNDED])
    [answer] = ask([_call(harbor_text)], backend, _bounds())
    assert len(backend.requests) == 1
    assert answer.last_raw is None and answer.problems == ("the answer was cut off at the output token limit",)


def test_json_types_are_not_coerced(harbor_text: str) -> None:
    backend = FakeBackend([{"headline": 48}, GROUNDED])
    [answer] = ask([_call(harbor_text)], backend, _bounds())
    assert answer.attempts == 2 and answer.draft is not None
    assert "Input should be a valid string (at headline)" in backend.requests[1].messages[-1]["content"]


def test_sync_and_async_drivers_make_the_same_requests_and_answers(harbor_text: str) -> None:
    script: list[Scripted] = [INVENTED, GROUNDED, "not json at all", GROUNDED]
    calls = [_call(harbor_text), _call(harbor_text)]
    synchronous, asynchronous = FakeBackend(script), FakeBackend(script)
    answers = ask(calls, synchronous, _bounds())
    assert asyncio.run(aask(calls, asynchronous, _bounds())) == answers
    assert synchronous.requests == asynchronous.requests and len(synchronous.requests) == 4


def test_requests_left_to_a_batch_are_collected_across_the_task_then_raised_once(harbor_text: str) -> None:
    backend = FakeBackend([Deferred(("b-1",)), GROUNDED, Deferred(("b-3",))])
    with pytest.raises(Deferred) as deferred:
        ask([_call(harbor_text)] * 3, backend, _bounds())
    assert deferred.value.custom_ids == ("b-1", "b-3") and len(backend.requests) == 3


def test_the_backend_never_sees_the_ground(harbor_text: str) -> None:
    backend = FakeBackend([GROUNDED])
    ask([_call(harbor_text)], backend, _bounds())
    assert backend.requests == [Request([{"role": "user", "content": "Write a headline."}], HeadlineDraft, 60)]


def test_what_is_left_after_the_re_asks_keeps_its_grounded_items(harbor_text: str) -> None:
    ground = BriefingGround(GroundedText(harbor_text))
    invented_actor = {
        "headline": "Council approves bridge repairs",
        "summary": "Port Alder will repair the Harbor Bridge.",
        "key_points": [{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [1]}],
        "positions": [
            {"actor": "Tomas Reyes", "stance": "opposed the plan", "sentences": [3]},
            {"actor": "Zebulon Quartermaine", "stance": "backed the plan", "sentences": [2]},
        ],
    }
    answer: Answer[WriteDraft] = Answer(None, json.dumps(invented_actor), 3, 0, 0, ("an actor is not named",))
    draft, warnings = usable_draft(WriteDraft, answer, ground)
    assert draft is not None and [p.actor for p in draft.positions] == ["Tomas Reyes"]
    assert [w.code for w in warnings] == ["dropped_ungrounded"] and "Zebulon Quartermaine" in warnings[0].message
