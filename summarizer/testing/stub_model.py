"""An OpenAI-compatible server on loopback that answers the library's requests extractively.

It reads the labelled sentences (``[S4] ...`` or ``[A2.S4] ...``) out of the request and fills
the requested JSON schema with the first sentences verbatim, so every answer is valid and
grounded without a model. It is for measuring the library (throughput, overhead) and for tests
of batching, caching and resumption; its "briefings" say nothing a model would. Latency per
request is settable; every request is recorded.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_LABELLED = re.compile(r"^\[((?:A\d+\.)?S\d+)\] (.+)$", re.MULTILINE)
_TITLE = re.compile(r"^Title: (.+)$", re.MULTILINE)


@dataclass
class StubModel:
    """The server's state: where it listens and what it was asked."""

    url: str = ""
    latency: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """The completion for one chat request."""
        with self.lock:
            self.requests.append(request)
        user = next(m["content"] for m in request["messages"] if m["role"] == "user")
        sentences = _LABELLED.findall(user)
        title = _TITLE.search(user)
        content = json.dumps(fill(_properties(request), sentences, title[1] if title else None))
        words = sum(len(str(m.get("content", "")).split()) for m in request["messages"])
        return {
            "id": f"stub-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model", "stub"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": words, "completion_tokens": len(content.split()),
                      "total_tokens": words + len(content.split())},
        }  # fmt: skip


def _properties(request: dict[str, Any]) -> set[str]:
    schema = request.get("response_format", {}).get("json_schema", {}).get("schema", {})
    return set(schema.get("properties", {}))


def fill(properties: set[str], sentences: list[tuple[str, str]], title: str | None) -> dict[str, Any]:
    """An answer for a schema with ``properties``, made of the first sentences, cited by label."""
    first = [(label, text) for label, text in sentences if not text.startswith("(withheld")][:3] or sentences[:1]
    cite = (lambda label: int(label[1:])) if first and first[0][0].startswith("S") else (lambda label: label)
    answer: dict[str, Any] = {}
    if "headline" in properties:
        answer["headline"] = (title or (first[0][1] if first else "Untitled"))[:95]
        answer["summary"] = first[0][1][:395] if first else "No text."
    if "key_points" in properties:
        answer["key_points"] = [{"text": text[:195], "sentences": [cite(label)]} for label, text in first]
        answer["positions"] = []
    if "developments" in properties:
        by_article = {label.split(".")[0]: (label, text) for label, text in reversed(sentences)}
        answer["developments"] = [{"text": text[:195], "sources": [label]} for label, text in by_article.values()][:5]
        answer["positions"] = []
    if "people" in properties:
        answer.update(people=[], organizations=[], places=[])
    return answer


@contextmanager
def stub_model_server(*, latency: float = 0.0) -> Iterator[StubModel]:
    """Serve on 127.0.0.1 (an ephemeral port) until the block ends; ``model.url`` is the base URL."""
    model = StubModel(latency=latency)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            time.sleep(model.latency)
            try:
                payload, status = json.dumps(model.answer(json.loads(body))).encode(), 200
            except (ValueError, KeyError, StopIteration) as exc:
                payload, status = json.dumps({"error": {"message": f"stub cannot answer: {exc}"}}).encode(), 400
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    model.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield model
    finally:
        server.shutdown()
        server.server_close()
