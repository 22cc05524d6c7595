from __future__ import annotations

import json

import instructor
import pytest

from summarizer.backends.base import StructuredCall
from summarizer.backends.connection import Connection, retry_after_seconds
from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.client import Summarizer
from summarizer.draft_checks import BriefingGround
from summarizer.drafts import DraftSummary
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
    assert briefing.headline == "Council approves bridge repairs"
    assert briefing.key_points[0].evidence[0].sentence_id == 1
    assert {e.name for e in briefing.entities} >= {"Elena Varga", "Tomas Reyes", "Port Alder"}


def test_non_retryable_error_fails_at_once_with_a_typed_error(harbor_text: str) -> None:
    sleeps: list[float] = []
    with (
        scripted_server([Reply(401, '{"error": {"message": "bad key"}}', {"content-type": "application/json"})]) as (
            url,
            script,
        ),
        _summarizer(url, sleeps) as summarizer,
    ):
        with pytest.raises(BackendError) as caught:
            summarizer.brief(harbor_text)
    assert not caught.value.retryable and "401" in str(caught.value)
    assert len(script.requests) == 1 and sleeps == []


def test_retries_are_bounded(harbor_text: str) -> None:
    sleeps: list[float] = []
    faults = [Reply(500, '{"error": {"message": "down"}}', {"content-type": "application/json"})] * 5
    with scripted_server(faults) as (url, script), _summarizer(url, sleeps) as summarizer:
        with pytest.raises(BackendError):
            summarizer.brief(harbor_text)
    assert len(script.requests) == 3 and len(sleeps) == 2


def test_invented_ids_are_reasked_then_dropped_with_a_warning(harbor_text: str) -> None:
    invented = dict(SUMMARY, key_points=[{"text": "Something invented.", "sentences": [99]}])
    truncated = completion('{"headline": "Council appro')
    replies = [completion(json.dumps(invented)), truncated, completion(json.dumps(invented))]
    with scripted_server(replies) as (url, script), _summarizer(url, []) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert len(script.requests) == 3  # the answer + 2 re-asks
    first, second, third = (r["messages"] for r in script.requests[:3])
    assert "do not exist" in second[-1]["content"] and second[-2]["role"] == "assistant"
    assert len(second) == len(third) == len(first) + 2  # re-asks never pile up (instructor #2056)
    assert third[: len(first)] == first  # built from the untouched original messages (#2645)
    assert all(p.evidence[0].sentence_id != 99 for p in briefing.key_points)
    assert any("do not exist" in w.message and w.code == "dropped_ungrounded" for w in briefing.meta.warnings)
    assert briefing.meta.attempts == 3


def test_strict_mode_raises_instead_of_dropping(harbor_text: str) -> None:
    invented = dict(SUMMARY, positions=[{"actor": "Zorro", "stance": "x", "sentences": [1]}])
    replies = [completion(json.dumps(invented))] * 2
    with scripted_server(replies) as (url, _), _summarizer(url, [], max_reasks=2) as summarizer:
        with pytest.raises(GroundingError) as caught:
            summarizer.brief(harbor_text, strict=True)
    assert "Zorro" in str(caught.value)


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2026 07:28:10 GMT"}, now=1792567680.0) == 10.0
    assert retry_after_seconds({}) is None


def test_model_specs_choose_provider_and_mode() -> None:
    from summarizer.backends.registry import create_backend

    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        create_backend(Settings(model="openai/gpt-4o-mini"))
    backend = create_backend(Settings(model="openai/gpt-4o-mini", api_key="sk-test"))
    assert (backend.model_name, backend.default_strategy) == ("openai/gpt-4o-mini", "write")
    compatible = create_backend(Settings(model="llama3", base_url="http://127.0.0.1:1/v1"))
    assert compatible.default_strategy == "write"
    assert create_backend(Settings(model="extractive")).default_strategy == "extractive"
    assert create_backend(Settings(model="openai/llama3", base_url="http://127.0.0.1:1/v1")).model_name == "llama3"
    with pytest.raises(ConfigurationError, match="unknown local model"):
        create_backend(Settings(model="local/nope"))
    with pytest.raises(ConfigurationError, match="unknown model spec"):
        create_backend(Settings(model="gpt-4o"))


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
    from summarizer.draft_checks import stance_problem

    assert (stance_problem(stance) is None) == kept


def test_tool_calling_mode_forces_the_draft_as_the_one_tool_and_grounds_its_arguments(harbor_text: str) -> None:
    # the mode openai/ models use; the request body is built once per draft class and reused
    invented = dict(
        SUMMARY, positions=[{"actor": "Zebulon Quartermaine", "stance": "opposed the plan", "sentences": [4]}]
    )
    replies = [tool_call("DraftSummary", json.dumps(invented)), tool_call("DraftSummary", json.dumps(SUMMARY))]
    with scripted_server(replies) as (url, script):
        backend = OpenAICompatBackend("gpt-test", Connection(lambda: url), instructor.Mode.TOOLS, "write")
        messages = [{"role": "user", "content": "Brief the article."}]
        call = StructuredCall(messages, DraftSummary, BriefingGround(GroundedText(harbor_text)), 300)
        try:
            rejected, accepted = backend.complete(call), backend.complete(call)
        finally:
            backend.close()
    request = script.requests[0]
    assert request["messages"] == messages and "response_format" not in request
    assert [t["function"]["name"] for t in request["tools"]] == [request["tool_choice"]["function"]["name"]]
    assert rejected.draft is None and rejected.last_raw == json.dumps(invented)
    assert rejected.problems and "Zebulon Quartermaine" in rejected.problems[0]
    assert accepted.draft is not None and [p.actor for p in accepted.draft.positions] == ["Tomas Reyes"]
    assert script.requests[1] == request
