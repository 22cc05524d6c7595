"""What a digest run spends and the bounds on it: model calls and tokens, requests in flight, the cost budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from summarizer.client import Summarizer
from summarizer.errors import ConfigurationError, CostBudgetReached

from .schema import NotIncluded


@dataclass
class Tally:
    """A run's count: cache hits, model work done, and the inputs left out."""

    cache_hits: int = 0
    stories_from_cache: int = 0
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    not_included: list[NotIncluded] = field(default_factory=list)

    def spent(self, attempts: int, input_tokens: int, output_tokens: int) -> None:
        """Count model work done in this run (cache hits cost none)."""
        self.model_calls += attempts
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens

    def cost(self, summarizer: Summarizer) -> float | None:
        """This run's estimated spend; a run served from the cache spent nothing (and built no backend)."""
        return summarizer.backend.info.cost(self.input_tokens, self.output_tokens) if self.model_calls else 0.0


def within_budget(summarizer: Summarizer, tally: Tally) -> None:
    """Refuse a new request once the run's estimated cost reaches ``Settings.cost_budget``.

    Spend is counted as tasks finish, so requests already under way may take it past the
    budget by at most ``concurrency`` tasks' worth.
    """
    budget = summarizer.settings.cost_budget
    if budget is None:
        return
    spent = summarizer.backend.info.cost(tally.input_tokens, tally.output_tokens)
    if spent is None:
        raise ConfigurationError(
            f"no price is known for {summarizer.backend.info.name}, so a cost budget cannot be kept: "
            "drop --max-cost (Settings.cost_budget)"
        )
    if spent >= budget:
        raise CostBudgetReached(spent, budget)


class Slots:
    """Model requests in flight: at most ``concurrency``, and no more than the backend serves at once.

    The embedded server has one slot; sending it more requests would only queue them against
    the client's timeout. The bound is found when the first request needs the backend, so a run
    served from the cache never builds one. ``check`` runs before each request (the cost budget).
    """

    def __init__(self, summarizer: Summarizer, concurrency: int, check: Callable[[], None]) -> None:
        self._summarizer = summarizer
        self._concurrency = max(concurrency, 1)
        self._check = check
        self._semaphore: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self._semaphore is None:
            served = self._summarizer.backend.info.parallel_requests
            self._semaphore = asyncio.Semaphore(min(self._concurrency, served or self._concurrency))
        async with self._semaphore:
            self._check()  # checked with the slot in hand: a request that waited sees what was spent meanwhile
            yield
