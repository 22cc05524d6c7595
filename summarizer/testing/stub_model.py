"""An OpenAI-compatible server on loopback that answers the library's requests, and can misbehave.

Without an upstream it reads the labelled sentences (``[S4] ...`` or ``[A2.S4] ...``) out of the
request and fills the requested JSON schema with the first sentences verbatim, so every answer
is valid and grounded without a model (:mod:`summarizer.testing.stub_answers`); with
``upstream`` (e.g. the embedded model's URL) it forwards instead. A :class:`FaultPlan` injects
faults by rate or by script: rate limits with each form of ``Retry-After``, server errors, a
first byte later than the client's timeout, a connection reset mid-body, truncated JSON, JSON
that breaks the schema, sentence ids that do not exist, and a refusal. It is for measuring the
library and for testing batching, caching, resumption and fault handling; its own "briefings"
say nothing a model would. It listens on 127.0.0.1 only, for the ``with`` block only, and
answers at most ``max_requests`` requests; it can hold requests past a count (``hold_after``) so
a client stops at a known point.
"""

from __future__ import annotations

import email.utils
import json
import random
import socket
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer.testing.stub_answers import completion

TRANSPORT_FAULTS = ("429", "429-date", "429-ms", "500", "502", "503", "slow", "reset")
"""Faults the retry policy handles: the request is sent again."""
ANSWER_FAULTS = ("truncated", "schema", "bad-ids", "refusal")
"""Faults in a well-delivered answer: validation catches them and the model is re-asked."""
FAULTS = TRANSPORT_FAULTS + ANSWER_FAULTS


@dataclass
class FaultPlan:
    """Which requests fail and how: ``script`` first (one entry per request, None for none), then ``rate``.

    ``retry_after`` is what rate-limit answers ask for (seconds); ``slow`` is how long a slow
    answer waits before its first byte (set it past the client's timeout).
    """

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULTS
    script: list[str | None] = field(default_factory=list)
    seed: int = 0
    retry_after: float = 0.25
    slow: float = 3.0

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(FAULTS) | {f for f in self.script if f is not None} - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS)}")
        self._random = random.Random(self.seed)

    def draw(self) -> str | None:
        """The fault for the next request (call under the server's lock)."""
        if self.script:
            return self.script.pop(0)
        return self._random.choice(self.kinds) if self._random.random() < self.rate else None


@dataclass
class StubModel:
    """The server's state: where it listens, what it was asked and which faults it injected."""

    url: str = ""
    latency: float = 0.0
    faults: FaultPlan = field(default_factory=FaultPlan)
    upstream: str | None = None
    max_requests: int = 100_000
    hold_after: int | None = None
    released: threading.Event = field(default_factory=threading.Event)
    requests: list[dict[str, Any]] = field(default_factory=list)
    forwarded: list[dict[str, Any]] = field(default_factory=list)  # upstream's answers, timings and all
    injected: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def serving(self) -> Iterator[None]:
        """Count one request in flight for as long as it is being answered."""
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1

    def hold(self) -> None:
        """Keep a request past the first ``hold_after`` waiting until :meth:`release` (60 s at most).

        A client is then stopped at a known point, whatever the machine's speed.
        """
        if self.hold_after is not None and len(self.requests) > self.hold_after:
            self.released.wait(timeout=60)

    def release(self) -> None:
        """Answer held requests, and every later one, at once."""
        self.hold_after = None
        self.released.set()

    def slow_for(self, fault: str | None) -> float:
        """Seconds to wait before the first byte."""
        return self.latency + (self.faults.slow if fault == "slow" else 0.0)

    def take(self, request: dict[str, Any]) -> str | None:
        """Record a request and decide its fault."""
        with self.lock:
            self.requests.append(request)
            fault = self.faults.draw()
            if fault is not None:
                self.injected[fault] += 1
            return fault

    def answer(self, request: dict[str, Any], fault: str | None = None) -> dict[str, Any]:
        """The completion for one chat request, spoiled as ``fault`` says (answer faults only)."""
        if self.upstream is not None and fault is None:
            forwarded = post_chat_completion(self.upstream, request)
            with self.lock:
                self.forwarded.append(forwarded)
            return forwarded
        return completion(request, fault, f"stub-{len(self.requests)}")


def post_chat_completion(base_url: str, request: dict[str, Any], *, timeout: float = 600) -> dict[str, Any]:
    """POST one chat request to an OpenAI-compatible server; HTTP and network errors are raised as urllib's."""
    call = urllib.request.Request(
        f"{base_url.rstrip('/')}/chat/completions",
        data=json.dumps(request).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(call, timeout=timeout) as response:  # noqa: S310 - a URL given by the caller
        answer: dict[str, Any] = json.loads(response.read())
    return answer


@contextmanager
def stub_model_server(
    *,
    latency: float = 0.0,
    faults: FaultPlan | None = None,
    upstream: str | None = None,
    max_requests: int = 100_000,
    hold_after: int | None = None,
) -> Iterator[StubModel]:
    """Serve on 127.0.0.1 (an ephemeral port) until the block ends; ``model.url`` is the base URL.

    ``hold_after``: answer that many requests, then hold the rest until ``model.release()``.
    """
    model = StubModel(latency=latency, faults=faults or FaultPlan(), upstream=upstream, max_requests=max_requests,
                      hold_after=hold_after)  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with model.serving():
                reply = _reply(model, body)
                if reply.reset:
                    self._reset(json.dumps(reply.payload).encode())
                else:
                    self._send(reply.status, reply.payload, reply.headers)

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                for key, value in {"content-type": "application/json", **(headers or {})}.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a slow answer past its timeout)

        def _reset(self, data: bytes) -> None:
            """Promise the whole body, send half of it, and drop the connection."""
            try:
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            self.connection.close()

        def log_message(self, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    model.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield model
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class _Reply:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # send half the body, then drop the connection


def _reply(model: StubModel, body: bytes) -> _Reply:
    """What to answer one request with, its fault (if any) applied."""
    try:
        request = json.loads(body)
    except ValueError:
        return _Reply(400, {"error": {"message": "the body is not JSON"}})
    if len(model.requests) >= model.max_requests:
        return _Reply(503, {"error": {"message": "the stub's request limit is reached"}})
    fault = model.take(request)
    model.hold()
    time.sleep(model.slow_for(fault))
    if fault in ("429", "429-date", "429-ms"):
        return _Reply(429, {"error": {"message": "rate limited (injected)"}}, _retry_after(fault, model))
    if fault in ("500", "502", "503"):
        return _Reply(int(fault), {"error": {"message": f"server error {fault} (injected)"}})
    try:
        answer = model.answer(request, fault if fault in ANSWER_FAULTS else None)
    except (KeyError, StopIteration, OSError, ValueError) as exc:
        return _Reply(400, {"error": {"message": f"stub cannot answer: {exc}"}})
    return _Reply(200, answer, reset=fault == "reset")


class _Server(ThreadingHTTPServer):
    """A thread per connection, and a listen backlog deep enough for 128 clients connecting at once."""

    daemon_threads = True
    request_queue_size = 1024


def _retry_after(fault: str, model: StubModel) -> dict[str, str]:
    wait = model.faults.retry_after
    if fault == "429-ms":
        return {"retry-after-ms": str(int(wait * 1000))}
    if fault == "429-date":
        return {"retry-after": email.utils.formatdate(time.time() + wait, usegmt=True)}
    return {"retry-after": f"{wait:g}"}


def main() -> None:
    """``python -m summarizer.testing.stub_model [--latency S] [--fault-rate R]``: serve until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests that fail (every kind)")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    plan = FaultPlan(rate=options.fault_rate, seed=options.seed)
    with stub_model_server(latency=options.latency, faults=plan) as model:
        print(model.url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
