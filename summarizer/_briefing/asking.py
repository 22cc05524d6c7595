"""The re-ask engine: make a task's model calls, judge each answer, re-ask the ones that fail.

A backend only sends requests and returns raw JSON text (:mod:`summarizer.backends.base`);
here, in one place for every backend, the text is validated against the call's pydantic model
with its ground in context (an article, or a story's sources), so a validated draft is a
grounded one. A re-ask is built from the step's original messages plus the rejected answer and
its problems, never a growing history, within per-step and per-task bounds. Briefings and
digest stories go through the same engine, in sync and asyncio forms driven by one generator
so they cannot drift.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Generator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer._briefing.drafts import Draft
from summarizer._briefing.prompting import Prompts
from summarizer.backends.base import Backend, Reply, Request
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.errors import Deferred
from summarizer.events import Dropped, Reasked, RequestSent, ResponseReceived, emit

D = TypeVar("D", bound=BaseModel)
G = TypeVar("G", bound=Draft)

RequestSlot = Callable[[], AbstractAsyncContextManager[None]]
"""Entered around each model request: a batch's bound on requests in flight."""


@dataclass(frozen=True)
class StructuredCall(Generic[D]):
    """One model call: messages, the model its answer must validate as, what it is grounded in, a token limit."""

    messages: list[dict[str, str]]
    response_model: type[D]
    ground: Any = field(repr=False)  # what the answer is checked against: an article, or a story's sources
    max_tokens: int

    @property
    def request(self) -> Request:
        """What the backend sends: everything but the ground, which never leaves the library."""
        return Request(self.messages, self.response_model, self.max_tokens)


@dataclass(frozen=True)
class Answer(Generic[D]):
    """What came back: a validated (grounded) value, or the raw answer and what was wrong with it."""

    draft: D | None
    last_raw: str | None
    attempts: int
    input_tokens: int
    output_tokens: int
    problems: tuple[str, ...] = ()


def judged(call: StructuredCall[D], reply: Reply) -> Answer[D]:
    """Validate ``reply`` as ``call.response_model`` with ``call.ground`` in context.

    Validation is strict (no coercion of the model's JSON types) and, for drafts, grounds the
    value: a draft validated with its ground in context is the grounded, re-anchored copy.
    """
    tokens = (reply.input_tokens, reply.output_tokens)
    if reply.cut_off:  # stopped at max_tokens: nothing parseable to keep
        return Answer(None, None, 1, *tokens, ("the answer was cut off at the output token limit",))
    try:
        value = call.response_model.model_validate_json(reply.text or "", strict=True, context={"ground": call.ground})
    except ValidationError as exc:
        return Answer(None, reply.text, 1, *tokens, _problems_of(exc))
    return Answer(value, None, 1, *tokens)


def _problems_of(failure: ValidationError) -> tuple[str, ...]:
    """Each validation error as a line the model can act on in a re-ask."""
    return tuple(
        str(e["msg"]).removeprefix("Value error, ") + (f" (at {'.'.join(map(str, e['loc']))})" if e["loc"] else "")
        for e in failure.errors()
    )


@dataclass(frozen=True)
class ReaskBounds:
    """How hard to try: re-asks per call and the tokens a whole task may spend on them."""

    prompts: Prompts
    max_reasks: int
    token_budget: int | None


def ask(calls: list[StructuredCall[D]], backend: Backend, bounds: ReaskBounds) -> list[Answer[D]]:
    """Make ``calls`` in order, re-asking bad answers within ``bounds``."""
    conversation = _conversation(calls, bounds)
    waiting: list[str] = []
    try:
        call = next(conversation)
        while True:
            started = time.perf_counter()
            try:
                answer = _received(call, judged(call, backend.send(call.request)), started)
            except Deferred as deferred:
                answer = _not_yet(deferred, waiting)
            call = conversation.send(answer)
    except StopIteration as finished:
        return _answers(finished.value, waiting)


async def aask(
    calls: list[StructuredCall[D]], backend: Backend, bounds: ReaskBounds, *, slot: RequestSlot | None = None
) -> list[Answer[D]]:
    """The asyncio form of :func:`ask`; ``slot`` is entered around each request and nothing else.

    A batch bounds requests in flight with it, so preparing prompts and validating answers
    never hold a request slot while the model sits idle.
    """
    conversation = _conversation(calls, bounds)
    waiting: list[str] = []
    try:
        call = next(conversation)
        while True:
            try:
                async with slot() if slot is not None else contextlib.nullcontext():
                    started = time.perf_counter()
                    reply = await backend.asend(call.request)
            except Deferred as deferred:
                answer = _not_yet(deferred, waiting)
            else:  # validation grounds the answer in the article (CPU, long for a long one): off the loop
                answer = _received(call, await asyncio.to_thread(judged, call, reply), started)
            call = conversation.send(answer)
    except StopIteration as finished:
        return _answers(finished.value, waiting)


def _received(call: StructuredCall[D], answer: Answer[D], started: float) -> Answer[D]:
    """Report an answer to the event hooks and the log, and pass it on."""
    emit(ResponseReceived(call.response_model.__name__, time.perf_counter() - started, answer.draft is not None,
                          answer.input_tokens, answer.output_tokens, answer.problems))  # fmt: skip
    return answer


def _not_yet(deferred: Deferred, waiting: list[str]) -> Answer[Any]:
    """Note a request left to a batch job and go on to the task's other steps.

    The steps' first attempts do not depend on each other's answers, so one batch carries them
    all; an answer that is not there yet is never re-asked.
    """
    waiting.extend(deferred.custom_ids)
    return Answer(None, None, 0, 0, 0, ("deferred to a batch job",))


def _answers(answers: list[Answer[D]], waiting: list[str]) -> list[Answer[D]]:
    """The task's answers, or :class:`Deferred` with every request it is still waiting on."""
    if waiting:
        raise Deferred(tuple(waiting))
    return answers


def _conversation(
    calls: list[StructuredCall[D]], bounds: ReaskBounds
) -> Generator[StructuredCall[D], Answer[D], list[Answer[D]]]:
    """Yield each call to make and receive its answer; re-ask bad answers within the bounds.

    Written once as a generator so the sync and async drivers cannot drift apart. A re-ask is
    built from the step's original messages plus the rejected answer and its problems, and stops
    at ``max_reasks`` per step, once the article has spent its token budget, or when a re-ask
    returns the very same answer (a model at temperature 0 that repeats itself will go on doing so).
    """
    answers: list[Answer[D]] = []
    for call in calls:
        emit(RequestSent(call.response_model.__name__, 0))
        answer = yield call
        reasks = 0
        while answer.draft is None and answer.last_raw is not None and reasks < bounds.max_reasks:
            spent = sum(a.input_tokens + a.output_tokens for a in [*answers, answer])
            if bounds.token_budget is not None and spent >= bounds.token_budget:
                break
            retry = dataclasses.replace(
                call, messages=bounds.prompts.reask(call.messages, answer.last_raw, answer.problems)
            )
            emit(Reasked(call.response_model.__name__, reasks + 1, len(answer.problems)))
            emit(RequestSent(call.response_model.__name__, reasks + 1))
            again = yield retry
            stuck = again.last_raw is not None and again.last_raw.strip() == answer.last_raw.strip()
            answer = dataclasses.replace(
                again,
                attempts=answer.attempts + again.attempts,
                input_tokens=answer.input_tokens + again.input_tokens,
                output_tokens=answer.output_tokens + again.output_tokens,
            )
            reasks += 1
            if stuck:
                break  # the same answer again: another re-ask would only repeat it
        if answer.draft is None and answer.problems != ("deferred to a batch job",):
            emit(Dropped(call.response_model.__name__, len(answer.problems)))
        answers.append(answer)
    return answers


def usable_draft(model: type[G], answer: Answer[G], ground: object) -> tuple[G | None, list[WarningEntry]]:
    """The validated draft, or what is left of the last answer once ungrounded items are dropped."""
    if answer.draft is not None:  # validated against the article: already grounded and re-anchored
        return answer.draft, []
    if answer.last_raw is None:
        message = f"{model.__name__}: no usable answer ({'; '.join(answer.problems) or 'empty'})"
        return None, [WarningEntry.of(WarningCode.NO_ANSWER, "answer", message)]
    try:
        lenient = model.model_validate_json(answer.last_raw)  # no context: shape only
    except ValidationError as exc:
        message = f"{model.__name__}: answer was not valid after re-asks ({exc.error_count()} errors)"
        return None, [WarningEntry.of(WarningCode.INVALID_ANSWER, "answer", message)]
    kept, dropped = lenient.grounded(ground)
    return kept, [WarningEntry.of(flaw.code, flaw.field, f"dropped: {flaw}") for flaw in dropped]
