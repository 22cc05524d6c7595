"""Transport retries: one bounded, explicit policy, owned by exactly one layer.

The openai SDK's own retries are switched off (``max_retries=0``) wherever we build a client,
so a 429 is retried here and only here, never multiplied by a second loop. Validation re-asks
are a different mechanism (the re-ask engine's, :mod:`summarizer._briefing.asking`), counted separately.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from summarizer.errors import BackendError, ConfigurationError
from summarizer.events import RetryScheduled, emit


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, BackendError) and exc.retryable


@dataclass(frozen=True)
class RetryPolicy:
    """How transient faults are retried: at most ``attempts`` tries, exponential backoff with jitter.

    A server's ``Retry-After`` wins over the backoff, capped at ``max_wait`` so a hostile or
    confused server cannot park a batch job for hours.
    """

    attempts: int = 4
    initial_wait: float = 1.0
    max_wait: float = 30.0
    jitter: float = 1.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1 or min(self.initial_wait, self.max_wait, self.jitter) < 0:
            raise ConfigurationError(
                f"a RetryPolicy needs attempts >= 1 and waits >= 0, not attempts={self.attempts}, "
                f"initial_wait={self.initial_wait}, max_wait={self.max_wait}, jitter={self.jitter}"
            )

    def retrying(self) -> Retrying:
        """A fresh tenacity controller for one call."""
        return Retrying(**self._options())

    def async_retrying(self) -> AsyncRetrying:
        """The same policy for asyncio; waits through ``asyncio.sleep`` unless a sleep was injected."""
        options = self._options()
        injected = options.pop("sleep")
        if injected is not time.sleep:

            async def sleep(seconds: float) -> None:
                injected(seconds)

            options["sleep"] = sleep
        return AsyncRetrying(**options)

    def _options(self) -> dict[str, Any]:
        backoff = wait_exponential(multiplier=self.initial_wait, max=self.max_wait) + wait_random(0, self.jitter)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, BackendError) and exc.retry_after is not None:
                return min(max(exc.retry_after, 0.0), self.max_wait)
            return float(backoff(state))

        return {
            "stop": stop_after_attempt(self.attempts),
            "wait": wait,
            "retry": retry_if_exception(_is_retryable),
            "sleep": self.sleep,
            "reraise": True,
            "before_sleep": _report,
        }


def _report(state: RetryCallState) -> None:
    """A retry about to wait: a WARNING in the ``summarizer`` log and a :class:`RetryScheduled` event for the hooks."""
    exc = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    emit(RetryScheduled(state.attempt_number, float(wait), f"{type(exc).__name__}: {exc}"[:300]))


NO_RETRIES = RetryPolicy(attempts=1)
