"""A backend that answers from a batch job's results and records the requests still to send.

The briefing and digest pipelines run unchanged over it: a request whose result has come in
is read exactly as a live answer (and judged by the same re-ask engine); one that has not is
recorded and the task waits (:class:`~summarizer.errors.Deferred`). Re-asks and story syntheses are new requests,
so they surface as the next round's requests by themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from summarizer.backends.base import Backend, ModelInfo, Reply, Request
from summarizer.errors import BackendError, Deferred

from .files import BatchResult

STORY_STAGE = "stories"
BRIEFING_STAGE = "briefings"


@runtime_checkable
class Batchable(Backend, Protocol):
    """A backend whose requests can be written down and sent later by a batch engine."""

    def request_body(self, request: Request) -> dict[str, Any]:
        """The JSON body of ``request``'s ``/v1/chat/completions`` request, exactly as a live request sends it."""
        ...

    def reply_from(self, completion: dict[str, Any]) -> Reply:
        """Read a chat completion that came back from the batch, as a live answer is read."""
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
    def info(self) -> ModelInfo:
        return dataclasses.replace(self.inner.info, parallel_requests=None)  # nothing is sent from here

    def custom_id(self, body: dict[str, Any]) -> str:
        """The batch and a hash of the request: the same question always gets the same id."""
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"{self.batch}-{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"

    def send(self, request: Request) -> Reply:
        body = self.inner.request_body(request)
        custom_id = self.custom_id(body)
        result = self.results.get(custom_id)
        if result is not None and result.completion is not None:
            self.used.add(custom_id)
            return self.inner.reply_from(result.completion)
        self.wanted[custom_id] = Wanted(body, self._stage(request))  # failed requests are sent again too
        if result is not None and result.error is not None and not self.resend_failed:
            self.used.add(custom_id)
            self.failed[custom_id] = result.error
            raise BackendError(f"batch request {custom_id} failed: {result.error}", retryable=False)
        raise Deferred((custom_id,))

    async def asend(self, request: Request) -> Reply:
        return self.send(request)

    def close(self) -> None:
        """Nothing to release: the wrapped backend never connects."""

    async def aclose(self) -> None:
        """Nothing to release: the wrapped backend never connects."""

    @staticmethod
    def _stage(request: Request) -> str:
        from summarizer.digests.drafts import DraftStory

        return STORY_STAGE if request.response_model is DraftStory else BRIEFING_STAGE
