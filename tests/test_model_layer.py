from __future__ import annotations

import json
from typing import Any

import instructor
import pytest

from summarizer._briefing.asking import Answer, StructuredCall, judged
from summarizer._briefing.draft_checks import BriefingGround
from summarizer._briefing.drafts import WriteDraft
from summarizer._briefing.schema import Briefing
from summarizer.backends.base import ModelInfo
from summarizer.backends.connection import Connection, retry_after_seconds
from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.client import Summarizer
from summarizer.errors import BackendError, ConfigurationError, GroundingError
from summarizer.grounding import GroundedText
from summarizer.retry import RetryPolicy
from summarizer.settings import Settings

from .scripted_server import Reply, completion, scripted_server, tool_call

SUMMARY = {
    "headline": "Council approves bridge repairs",
    "summary": "Port Alder will spend $48 million on the Harbor Bridge.",
    "key_points": [{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [1]}],
    "positions": [{"actor": "Tomas Reyes", "stance": "opposed the plan", "sentences": [4]}],
}


def _summarizer(url: str, sleeps: list[float], **overrides: object) -> Summarizer:
    policy = RetryPolicy(attempts=3, initial_wait=0.5, jitter=0, sleep=sleeps.append)
    settings = Settings(model="test-model", base_url=url, strategy="write", retry=policy, **overrides)  # type: ignore[arg-type]
    return Summarizer(settings)


def test_rate_limit_and_server_error_are_retried_honouring_retry_after(harbor_text: str) -> None:
    sleeps: list[float] = []
    replies = [
        Reply(429, '{"error": {"message": "slow down"}}', {"retry-after": "7", "content-type": "application/json"}),
        Reply(503, '{"error": {"message": "busy"}}', {"content-type": "application/json"}),
        completion(json.dumps(SUMMARY)),
    ]
    with scripted_server(replies) as (url, script), _summarizer(url, sleeps) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 3  # one layer retries: 2 faults + 1 answer, nothing multiplied
    assert sleeps[0] == 7.0 and 0 < sleeps[1] <= 30
    assert briefing.headline == "Council approves bridge repairs"  # the answer after the faults was used


def test_non_retryable_error_fails_at_once_with_a_typed_error(harbor_text: str) -> None:
    sleeps: list[float] = []
    with (
        scripted_server(
            [Reply(400, '{"error": {"message": "bad request"}}', {"content-type": "application/json"})]
        ) as (
            url,
            script,
        ),
        _summarizer(url, sleeps) as summarizer,
    ):
        with pytest.raises(BackendError) as caught:
            summarizer.brief(harbor_text)
    assert not caught.value.retryable and "400" in str(caught.value)
    assert len(script.requests) == 1 and sleeps == []


def test_retries_are_bounded(harbor_text: str) -> None:
    sleeps: list[float] = []
    faults = [Reply(500, '{"error": {"message": "down"}}', {"content-type": "application/json"})] * 5
    with scripted_server(faults) as (url, script), _summarizer(url, sleeps) as summarizer:
        with pytest.raises(BackendError):
            summarizer.brief(harbor_text)
    assert len(script.requests) == 3 and len(sleeps) == 2


def _invented_ids_three_times(harbor_text: str) -> tuple[Briefing, list[list[dict[str, str]]]]:
    """A key point citing a sentence that does not exist, answered, re-asked twice (once cut off in between)."""
    invented = dict(SUMMARY, key_points=[{"text": "Something invented.", "sentences": [99]}])
    truncated = completion('{"headline": "Council appro')
    replies = [completion(json.dumps(invented)), truncated, completion(json.dumps(invented))]
    with scripted_server(replies) as (url, script), _summarizer(url, []) as summarizer:
        briefing = summarizer.brief(harbor_text)
    return briefing, [r["messages"] for r in script.requests]


def test_a_re_ask_carries_the_rejected_answer_and_its_problems(harbor_text: str) -> None:
    _, (first, second, _third) = _invented_ids_three_times(harbor_text)
    assert second[-2]["role"] == "assistant" and "do not exist" in second[-1]["content"]


def test_re_asks_are_built_from_the_original_messages_and_never_pile_up(harbor_text: str) -> None:
    _, (first, second, third) = _invented_ids_three_times(harbor_text)
    assert len(second) == len(third) == len(first) + 2  # re-asks never pile up (instructor #2056)
    assert third[: len(first)] == first  # built from the untouched original messages (#2645)


def test_what_still_fails_after_the_re_asks_is_dropped_with_a_warning(harbor_text: str) -> None:
    briefing, requests = _invented_ids_three_times(harbor_text)
    assert len(requests) == 3 and briefing.meta.attempts == 3  # the answer + 2 re-asks
    assert all(p.evidence[0].sentence_id != 99 for p in briefing.key_points)
    assert any("do not exist" in w.message and w.code == "dropped_ungrounded" for w in briefing.meta.warnings)


def test_strict_mode_raises_instead_of_dropping(harbor_text: str) -> None:
    invented = dict(SUMMARY, positions=[{"actor": "Zorro", "stance": "x", "sentences": [1]}])
    replies = [completion(json.dumps(invented))] * 2
    with scripted_server(replies) as (url, _), _summarizer(url, [], max_reasks=2) as summarizer:
        with pytest.raises(GroundingError) as caught:
            summarizer.brief(harbor_text, strict=True)
    assert "Zorro" in str(caught.value)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "Wed, 21 Oct 2026 07:28:10 GMT"}, 10.0),  # an HTTP date, 10 s after "now"
        ({}, None),
    ],
)
def test_retry_after_forms(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after_seconds(headers, now=1792567680.0) == seconds


@pytest.mark.parametrize(
    ("settings", "name", "strategy"),
    [
        (Settings(model="openai/gpt-4o-mini", api_key="sk-test"), "openai/gpt-4o-mini", "write"),
        (Settings(model="llama3", base_url="http://127.0.0.1:1/v1"), "llama3", "write"),
        (Settings(model="extractive"), "extractive", "extractive"),
        (Settings(model="openai/llama3", base_url="http://127.0.0.1:1/v1"), "llama3", "write"),  # a compatible server
    ],
    ids=["openai", "compatible", "extractive", "openai-prefix-with-base-url"],
)
def test_model_specs_choose_the_backend_and_its_default_strategy(settings: Settings, name: str, strategy: str) -> None:
    from summarizer.backends.registry import create_backend

    info = create_backend(settings).info
    assert (info.name, info.default_strategy) == (name, strategy)


@pytest.mark.parametrize(
    ("model", "message"),
    [("openai/gpt-4o-mini", "OPENAI_API_KEY"), ("local/nope", "unknown local model"), ("gpt-4o", "unknown model spec")],
)
def test_model_specs_that_cannot_work_say_what_to_fix(model: str, message: str) -> None:
    from summarizer.backends.registry import create_backend

    with pytest.raises(ConfigurationError, match=message):
        create_backend(Settings(model=model))


def test_token_budget_stops_reasks(harbor_text: str) -> None:
    invented = dict(SUMMARY, key_points=[{"text": "Something invented.", "sentences": [99]}])
    replies = [completion(json.dumps(invented))]
    with scripted_server(replies) as (url, script), _summarizer(url, [], token_budget=100) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 1  # the scripted answer spends 120 tokens: no re-ask
    assert briefing.meta.attempts == 1 and briefing.meta.input_tokens == 100
    assert any("do not exist" in w.message and w.code == "dropped_ungrounded" for w in briefing.meta.warnings)


def test_async_brief_retries_the_same_way(harbor_text: str) -> None:
    import asyncio

    sleeps: list[float] = []
    replies = [
        Reply(
            429, '{"error": {"message": "slow down"}}', {"retry-after-ms": "250", "content-type": "application/json"}
        ),
        completion(json.dumps(SUMMARY)),
    ]
    with scripted_server(replies) as (url, script), _summarizer(url, sleeps) as summarizer:
        briefing = asyncio.run(summarizer.abrief(harbor_text))
    assert len(script.requests) == 2 and sleeps == [0.25]
    assert briefing.headline == "Council approves bridge repairs"


def test_a_timeout_is_retried(harbor_text: str) -> None:
    sleeps: list[float] = []
    replies = [Reply(delay=1.0), completion(json.dumps(SUMMARY))]
    with scripted_server(replies) as (url, script), _summarizer(url, sleeps, timeout=0.3) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 2 and len(sleeps) == 1
    assert briefing.headline == "Council approves bridge repairs"


def test_a_reask_that_repeats_the_same_answer_is_not_repeated_again(harbor_text: str) -> None:
    invented = json.dumps(dict(SUMMARY, key_points=[{"text": "Something invented.", "sentences": [99]}]))
    replies = [completion(invented), completion(invented)]
    with scripted_server(replies) as (url, script), _summarizer(url, []) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 2  # the answer, and one re-ask that came back identical
    assert briefing.meta.attempts == 2 and all(p.evidence[0].sentence_id != 99 for p in briefing.key_points)


def test_validated_key_points_carry_their_re_anchored_evidence(harbor_text: str) -> None:
    # the model cites S6 for a fact stated in S1: the library re-anchors it before use
    misplaced = dict(
        SUMMARY, key_points=[{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [6]}]
    )
    replies = [completion(json.dumps(misplaced))]
    with scripted_server(replies) as (url, script), _summarizer(url, []) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 1
    assert [e.sentence_id for e in briefing.key_points[0].evidence] == [1]


@pytest.mark.parametrize(
    ("stance", "kept"),
    [("President", False), ("Secretary of State", False), ("leader", False), ("wants new sanctions soon", True)],
)
def test_a_title_is_not_a_position(stance: str, kept: bool) -> None:
    from summarizer._briefing.draft_checks import stance_problem

    assert (stance_problem(stance) is None) == kept


INVENTED_ACTOR = dict(
    SUMMARY, positions=[{"actor": "Zebulon Quartermaine", "stance": "opposed the plan", "sentences": [4]}]
)


def _tool_calls(harbor_text: str) -> tuple[list[Answer[WriteDraft]], list[dict[str, Any]]]:
    """Two tool-calling requests (the mode openai/ models use): an invented actor, then a grounded answer."""
    replies = [tool_call("WriteDraft", json.dumps(INVENTED_ACTOR)), tool_call("WriteDraft", json.dumps(SUMMARY))]
    with scripted_server(replies) as (url, script):
        info = ModelInfo("gpt-test", "write")
        backend = OpenAICompatBackend("gpt-test", Connection(lambda: url), instructor.Mode.TOOLS, info)
        call = StructuredCall(MESSAGES, WriteDraft, BriefingGround(GroundedText(harbor_text)), 300)
        try:
            answers = [judged(call, backend.send(call.request)) for _ in range(2)]
        finally:
            backend.close()
    return answers, script.requests


MESSAGES = [{"role": "user", "content": "Brief the article."}]


def test_tool_calling_mode_forces_the_draft_as_the_one_tool(harbor_text: str) -> None:
    _, (request, again) = _tool_calls(harbor_text)
    assert request["messages"] == MESSAGES and "response_format" not in request
    assert [t["function"]["name"] for t in request["tools"]] == [request["tool_choice"]["function"]["name"]]
    assert again == request  # the body is built once per draft class and reused


def test_tool_call_arguments_are_judged_against_the_article(harbor_text: str) -> None:
    (rejected, accepted), _ = _tool_calls(harbor_text)
    assert rejected.draft is None and rejected.last_raw == json.dumps(INVENTED_ACTOR)
    assert rejected.problems and "Zebulon Quartermaine" in rejected.problems[0]
    assert accepted.draft is not None and [p.actor for p in accepted.draft.positions] == ["Tomas Reyes"]
