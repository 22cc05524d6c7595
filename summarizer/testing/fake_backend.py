"""An in-process backend at the seam, for unit tests of the re-ask engine and of assembly.

httpx's ``MockTransport`` answers requests without a socket; :class:`FakeBackend` does the same
for :class:`~summarizer.backends.base.Backend`: each request gets the next scripted reply, and
every request is kept for the test to read. No server, no thread, no JSON over HTTP, so a test
of what the library does with an answer runs in milliseconds and says exactly what it answered.
The loopback servers (:mod:`summarizer.testing.stub_model`) remain the tool for the transport.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from summarizer.backends.base import ModelInfo, Reply, Request
from summarizer.cost import free

Scripted = Reply | str | dict[str, Any] | BaseModel | BaseException | Callable[[Request], "Scripted"]
"""One scripted answer: a :class:`Reply` as is, JSON text, a value to send as JSON, an error to raise,
or a function of the request that returns one of these."""


@dataclass
class FakeBackend:
    """Answers requests in order from ``script``; runs out loudly rather than inventing an answer.

    Tokens are counted as whitespace-separated words of the messages and of the answer, so
    token budgets and cost figures can be tested too.
    """

    script: Iterable[Scripted]
    info: ModelInfo = field(default_factory=lambda: ModelInfo("fake", "write", pricing=free))
    requests: list[Request] = field(default_factory=list)
    closed: bool = False
    _answers: Iterator[Scripted] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._answers = iter(self.script)

    def send(self, request: Request) -> Reply:
        self.requests.append(request)
        try:
            scripted = next(self._answers)
        except StopIteration:
            raise AssertionError(f"FakeBackend: no answer scripted for request {len(self.requests)}") from None
        return _reply(request, scripted)

    async def asend(self, request: Request) -> Reply:
        return self.send(request)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def _reply(request: Request, scripted: Scripted) -> Reply:
    while callable(scripted):
        scripted = scripted(request)
    if isinstance(scripted, BaseException):
        raise scripted
    if isinstance(scripted, Reply):
        return scripted
    if isinstance(scripted, BaseModel):
        text = scripted.model_dump_json()
    elif isinstance(scripted, str):
        text = scripted
    else:
        text = json.dumps(scripted)
    asked = sum(len(m.get("content", "").split()) for m in request.messages)
    return Reply(text, asked, len(text.split()))
