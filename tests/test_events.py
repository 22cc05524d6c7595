"""Items 5 and 11 of issue 20: nothing blocking on the event loop; a ``summarizer`` logger and event hooks.

Hand-written: the fictional sample article and the stub model server. No assertion depends on
speed: the tests check which thread did the blocking work, and what was logged and reported.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer import events
from summarizer.client import Summarizer
from summarizer.events import (
    BriefDone,
    Dropped,
    Event,
    NlpStageDone,
    Reasked,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
)
from summarizer.retry import RetryPolicy
from summarizer.settings import Settings
from summarizer.testing.stub_model import FaultPlan, stub_model_server

ARTICLE = Path(__file__).parent / "articles" / "harbor_bridge.txt"


def _settings(url: str, tmp: Path, **overrides: Any) -> Settings:
    policy = RetryPolicy(attempts=3, initial_wait=0.5, jitter=0.0, sleep=lambda seconds: None)
    values: dict[str, Any] = {"model": "stub", "base_url": url, "cache_dir": tmp, "retry": policy, **overrides}
    return Settings(**values)


def test_the_library_logger_is_silent_by_default() -> None:
    logger = logging.getLogger("summarizer")
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    assert not [h for h in logger.handlers if not isinstance(h, logging.NullHandler)]


def test_hooks_receive_each_step_of_a_brief_in_order(tmp_path: Path) -> None:
    seen: list[Event] = []
    with stub_model_server() as stub, Summarizer(_settings(stub.url, tmp_path), event_hooks=[seen.append]) as s:
        briefing = s.brief(ARTICLE)
    kinds = [type(e) for e in seen]
    assert kinds[0] is NlpStageDone and kinds[-1] is BriefDone
    assert kinds.count(RequestSent) == kinds.count(ResponseReceived) == briefing.meta.attempts >= 1
    answer = next(e for e in seen if isinstance(e, ResponseReceived))
    assert answer.valid and answer.input_tokens > 0


def test_a_retry_and_a_reask_are_reported_and_logged_at_warning_without_article_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Event] = []
    plan = FaultPlan(script=["503", "schema"])
    with (
        caplog.at_level(logging.DEBUG, logger="summarizer"),
        stub_model_server(faults=plan) as stub,
        Summarizer(_settings(stub.url, tmp_path), event_hooks=[seen.append]) as summarizer,
    ):
        summarizer.brief(ARTICLE)
    retry = next(e for e in seen if isinstance(e, RetryScheduled))
    assert retry.attempt == 1 and "503" in retry.error
    assert any(isinstance(e, Reasked) and e.reask == 1 for e in seen)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("retry 1" in r.getMessage() for r in warnings)
    debug = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert "NLP stage" in debug and "re-asking" in debug and "briefing done" in debug
    sentences = [line.strip() for line in ARTICLE.read_text().splitlines() if len(line.strip()) > 30]
    loud = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert not any(sentence[:30] in loud for sentence in sentences)  # never article text at INFO or above


def test_an_answer_that_stays_invalid_is_reported_as_dropped(tmp_path: Path) -> None:
    seen: list[Event] = []
    plan = FaultPlan(script=["schema", "schema", "schema"])
    with stub_model_server(faults=plan) as stub:
        settings = _settings(stub.url, tmp_path, max_reasks=1)
        with Summarizer(settings, event_hooks=[seen.append]) as summarizer:
            summarizer.brief(ARTICLE)
    assert [type(e) for e in seen].count(Reasked) == 1
    assert any(isinstance(e, Dropped) for e in seen)


def test_a_hook_sees_only_its_own_summarizer_s_events(tmp_path: Path) -> None:
    mine: list[Event] = []
    with stub_model_server() as stub:
        with Summarizer(_settings(stub.url, tmp_path), event_hooks=[mine.append]) as first:
            first.brief(ARTICLE)
        count = len(mine)
        with Summarizer(_settings(stub.url, tmp_path)) as second:
            second.brief(ARTICLE)
    assert count > 0 and len(mine) == count


def _threads_starting_the_server(summarizer: Summarizer) -> list[threading.Thread]:
    """The threads that start ``summarizer``'s server (its connection asks for the base URL once per start)."""
    connection = summarizer.backend.connection  # type: ignore[attr-defined]
    threads: list[threading.Thread] = []
    original = connection.base_url

    def recording() -> str:
        threads.append(threading.current_thread())
        return str(original())

    connection.base_url = recording
    return threads


def test_astart_starts_the_server_in_a_worker_thread_not_on_the_loop(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        summarizer = Summarizer(_settings(stub.url, tmp_path))
        threads = _threads_starting_the_server(summarizer)

        async def main() -> threading.Thread:
            await summarizer.astart()
            await summarizer.abrief(ARTICLE)  # already started: the first brief starts nothing
            await summarizer.aclose()
            return threading.current_thread()

        loop_thread = asyncio.run(main())
    assert len(threads) == 1 and threads[0] is not loop_thread


def test_the_first_abrief_starts_the_server_off_the_loop_and_assembles_off_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer._briefing.pipeline as pipeline

    finished_in: list[threading.Thread] = []
    finish = pipeline._finish

    def recording(*args: Any, **kwargs: Any) -> Any:
        finished_in.append(threading.current_thread())
        return finish(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_finish", recording)
    with stub_model_server() as stub:
        summarizer = Summarizer(_settings(stub.url, tmp_path))
        started_in = _threads_starting_the_server(summarizer)

        async def main() -> threading.Thread:
            async with summarizer:
                await summarizer.abrief(ARTICLE)
            return threading.current_thread()

        loop_thread = asyncio.run(main())
    assert started_in and started_in[0] is not loop_thread  # before: the server started on the loop
    assert finished_in and finished_in[0] is not loop_thread  # before: assembly ran on the loop


def test_describe_names_every_event_without_text() -> None:
    assert events.describe(Dropped("CompressDraft", 3)).startswith("CompressDraft: no valid answer")
    assert "retry 2" in events.describe(RetryScheduled(2, 1.5, "BackendError: 503"))
