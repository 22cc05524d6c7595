"""A loopback OpenAI-compatible server that answers from a script, for fault tests.

Hand-written fixture: the responses are made up by the tests (faults, malformed answers);
nothing here is a recording of a model.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: past the client's timeout, this is a timeout fault
    trickle: float = 0.0  # seconds between each of the body's first TRICKLED bytes: slow, but never silent


def completion(content: str, *, finish_reason: str = "stop") -> Reply:
    """A chat completion whose message content is ``content``."""
    body = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }  # fmt: skip
    return Reply(200, json.dumps(body), {"content-type": "application/json"})


def tool_call(name: str, arguments: str) -> Reply:
    """A chat completion that calls tool ``name`` with ``arguments`` (how tool-calling models answer)."""
    call = {"id": "call-test", "type": "function", "function": {"name": name, "arguments": arguments}}
    body = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "finish_reason": "tool_calls",
                     "message": {"role": "assistant", "content": None, "tool_calls": [call]}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }  # fmt: skip
    return Reply(200, json.dumps(body), {"content-type": "application/json"})


TRICKLED = 20


@dataclass
class Script:
    replies: list[Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def scripted_server(replies: list[Reply]) -> Iterator[tuple[str, Script]]:
    """Serve ``replies`` in order on 127.0.0.1; yields the base URL and the script (with requests seen)."""
    script = Script(list(replies))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("content-length", 0))
            script.requests.append(json.loads(self.rfile.read(length) or b"{}"))
            script.headers.append({k.lower(): v for k, v in self.headers.items()})
            reply = script.replies.pop(0) if script.replies else Reply(500, '{"error": "script exhausted"}')
            time.sleep(reply.delay)
            payload = reply.body.encode()
            try:
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                for index in range(min(len(payload), TRICKLED) if reply.trickle else 0):
                    self.wfile.write(payload[index : index + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle)
                self.wfile.write(payload[TRICKLED if reply.trickle else 0 :])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    finally:
        server.shutdown()
        server.server_close()
