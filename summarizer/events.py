"""What a brief does, as it does it: typed events for hooks, and the ``summarizer`` logger.

The library logs to ``logging.getLogger("summarizer")``, which has only a ``NullHandler``: it is
silent until the application configures logging, and the library never calls ``basicConfig``.
At DEBUG each brief logs its steps with timings (the NLP stage, each request and its answer,
re-asks); WARNING is kept for what the caller may need to act on (a transport retry, an answer
dropped after its re-asks); the embedded server's start is INFO. Article text and keys are never
logged at INFO or above: messages carry names of steps, counts, timings and error classes.

Hooks are the programmatic form, as httpx's ``event_hooks`` or instructor's hooks:
``Summarizer(event_hooks=[callback])`` calls each callback with every :class:`Event` of the
briefs it makes, in the thread or task that makes them. A hook that raises stops the brief, as
in httpx: keep hooks small. The hooks in force travel in a :class:`contextvars.ContextVar`, set
around each brief, so the layers below (re-asks, retries) report to the right summarizer without
threading an argument through every call.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

log = logging.getLogger("summarizer")
log.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Event:
    """Something a brief did; the subclasses say what."""


@dataclass(frozen=True)
class NlpStageDone(Event):
    """The NLP stage of one article ran, and how long it took (waiting for a free parser included)."""

    characters: int
    seconds: float


@dataclass(frozen=True)
class BackendReady(Event):
    """The model backend was built (and the embedded server started, for ``local/`` models)."""

    model: str
    seconds: float


@dataclass(frozen=True)
class RequestSent(Event):
    """A request for ``draft`` goes to the model; ``reask`` counts the re-asks before it (0: the first)."""

    draft: str
    reask: int


@dataclass(frozen=True)
class ResponseReceived(Event):
    """The model answered: whether the answer validated, its tokens, and what was wrong (model text, not article)."""

    draft: str
    seconds: float
    valid: bool
    input_tokens: int
    output_tokens: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reasked(Event):
    """An answer failed validation and is asked again with its problems."""

    draft: str
    reask: int
    problems: int


@dataclass(frozen=True)
class RetryScheduled(Event):
    """A transient transport fault (a 429, a 503, a timeout): the request is sent again after ``wait`` s."""

    attempt: int
    wait: float
    error: str


@dataclass(frozen=True)
class Dropped(Event):
    """An answer that still failed after its re-asks: its ungrounded items are dropped (or strict mode raises)."""

    draft: str
    problems: int


@dataclass(frozen=True)
class BriefDone(Event):
    """A briefing is ready."""

    seconds: float
    attempts: int
    input_tokens: int
    output_tokens: int
    warnings: int


EventHook = Callable[[Event], None]
"""A callback that receives every :class:`Event` of the briefs a summarizer makes."""

_HOOKS: contextvars.ContextVar[tuple[EventHook, ...]] = contextvars.ContextVar("summarizer_event_hooks", default=())
_WARNINGS = (RetryScheduled, Dropped)


@contextlib.contextmanager
def hooked(hooks: Sequence[EventHook]) -> Iterator[None]:
    """Send the events of the work inside the block to ``hooks`` (in this context and the tasks/threads it starts)."""
    token = _HOOKS.set(tuple(hooks))
    try:
        yield
    finally:
        _HOOKS.reset(token)


def emit(event: Event) -> None:
    """Log ``event`` (see the module for levels) and call the hooks in force."""
    level = (
        logging.WARNING
        if isinstance(event, _WARNINGS)
        else logging.INFO
        if isinstance(event, BackendReady)
        else logging.DEBUG
    )
    if log.isEnabledFor(level):
        log.log(level, describe(event), extra={"summarizer_event": event})
    for hook in _HOOKS.get():
        hook(event)


def describe(event: Event) -> str:
    """One line about ``event`` for the log: names, counts and timings, never article text."""
    match event:
        case NlpStageDone(characters, seconds):
            return f"NLP stage: {characters:,} characters in {seconds:.3f} s"
        case BackendReady(model, seconds):
            return f"model backend {model} ready in {seconds:.2f} s"
        case RequestSent(draft, reask):
            return f"request {draft}" + (f" (re-ask {reask})" if reask else "")
        case ResponseReceived(draft, seconds, valid, tokens_in, tokens_out, problems):
            verdict = "valid" if valid else f"invalid ({len(problems)} problems: {'; '.join(problems)[:300]})"
            return f"answer {draft} in {seconds:.2f} s, {tokens_in}+{tokens_out} tokens, {verdict}"
        case Reasked(draft, reask, problems):
            return f"re-asking {draft} ({reask}) with {problems} problems"
        case RetryScheduled(attempt, wait, error):
            return f"model request failed ({error}); retry {attempt} in {wait:.1f} s"
        case Dropped(draft, problems):
            return f"{draft}: no valid answer after its re-asks ({problems} problems); ungrounded items dropped"
        case BriefDone(seconds, attempts, tokens_in, tokens_out, warnings):
            return (
                f"briefing done in {seconds:.2f} s: {attempts} model calls, {tokens_in}+{tokens_out} tokens, "
                f"{warnings} warnings"
            )
    return type(event).__name__
