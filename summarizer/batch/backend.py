"""A backend that answers from a batch job's results and records the requests still to send.

The briefing and digest pipelines run unchanged over it: a request whose result has come in
is validated and grounded exactly as a live answer; one that has not is recorded and the task
waits (:class:`~summarizer.errors.Deferred`). Re-asks and story syntheses are new requests,
so they surface as the next round's requests by themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from summarizer.backends.base import Answer, Backend, D, StructuredCall
from summarizer.errors import BackendError, Deferred

from .files import BatchResult

STORY_STAGE = "stories"
BRIEFING_STAGE = "briefings"


@runtime_checkable
class Batchable(Backend, Protocol):
    """A backend whose requests can be written down and sent later by a batch engine."""

    def request_body(self, call: StructuredCall[D]) -> dict[str, Any]:
        """The JSON body of ``call``'s ``/v1/chat/completions`` request, exactly as a live request sends it."""
        ...

    def answer_from(self, call: StructuredCall[D], completion: dict[str, Any]) -> Answer[D]:
        """Validate a chat completion that came back from the batch, as a live answer would be."""
        ...


@dataclass(frozen=True)
class Wanted:
    """A request to put in the next batch file."""

    body: dict[str, Any]
    stage: str


@dataclass
class BatchBackend:
    """Answers from ``results`` (by custom id); everything else is wanted for the next batch.

    ``resend_failed`` treats failed results as missing, for an export that asks them again.
    """

    inner: Batchable
    batch: str
    results: Mapping[str, BatchResult]
    resend_failed: bool = False
    wanted: dict[str, Wanted] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def parallel_requests(self) -> int | None:
        return None  # nothing is sent from here

    @property
    def default_strategy(self) -> str:
        return self.inner.default_strategy

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        return self.inner.cost(input_tokens, output_tokens)

    def custom_id(self, body: dict[str, Any]) -> str:
        """The batch and a hash of the request: the same question always gets the same id."""
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"{self.batch}-{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        body = self.inner.request_body(call)
        custom_id = self.custom_id(body)
        result = self.results.get(custom_id)
        if result is not None and result.completion is not None:
            self.used.add(custom_id)
            return self.inner.answer_from(call, result.completion)
        self.wanted[custom_id] = Wanted(body, self._stage(call))  # failed requests are sent again too
        if result is not None and result.error is not None and not self.resend_failed:
            self.used.add(custom_id)
            self.failed[custom_id] = result.error
            raise BackendError(f"batch request {custom_id} failed: {result.error}", retryable=False)
        raise Deferred((custom_id,))

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        return self.complete(call)

    def close(self) -> None:
        """Nothing to release: the wrapped backend never connects."""

    async def aclose(self) -> None:
        """Nothing to release: the wrapped backend never connects."""

    @staticmethod
    def _stage(call: StructuredCall[Any]) -> str:
        from summarizer.digests.drafts import DraftStory

        return STORY_STAGE if call.response_model is DraftStory else BRIEFING_STAGE
