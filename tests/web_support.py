"""A local web server for the feed tests: fictional feeds and pages on 127.0.0.1, counting what it serves.

Each route is a function of the request giving a :class:`Reply`; the server records every request
(path and headers) and the most requests it ever had in flight at once, so tests can check robots.txt,
the per-host limit and conditional requests from the server's side.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from summarizer.web.fetch import FetchOptions


@dataclass
class Reply:
    """What a route answers: a status, headers and a body, or a body given in timed pieces (a drip)."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    pieces: Iterator[bytes] | None = None
    pause: float = 0.0


Route = Callable[[BaseHTTPRequestHandler], Reply]


@dataclass
class Served:
    """The server's URL and what it saw."""

    url: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def fetch_options(**changes: object) -> FetchOptions:
    """Options for tests: loopback allowed, short delays and timeouts."""
    values: dict[str, object] = {"allow_private_addresses": True, "delay": 0.0, "request_timeout": 3.0,
                                 "run_timeout": 30.0}  # fmt: skip
    values.update(changes)
    return FetchOptions(**values)  # type: ignore[arg-type]


def page(title: str, body: str, *, date: str = "2026-03-13", site: str = "Lakeside Ledger") -> bytes:
    """A fictional article page with its metadata."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<!DOCTYPE html><html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}"></head>'
        f"<body><nav>Home | News</nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def static(body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> Route:
    """A route that always answers ``body``; 304 to a request that sends back its ``ETag`` or ``Last-Modified``."""

    def route(handler: BaseHTTPRequestHandler) -> Reply:
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if (etag and handler.headers.get("If-None-Match") == etag) or (
            modified and handler.headers.get("If-Modified-Since") == modified
        ):
            return Reply(status=304, headers={k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")})
        return Reply(body, headers={"Content-Type": content_type, **headers})

    return route


@contextmanager
def web_server(routes: dict[str, Route]) -> Iterator[Served]:
    """Serve ``routes`` on 127.0.0.1 in a thread; unknown paths answer 404."""
    served = Served("", routes)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with served.lock:
                served.requests.append((self.path, dict(self.headers)))
                served.in_flight += 1
                served.most_in_flight = max(served.most_in_flight, served.in_flight)
            try:
                route = served.routes.get(self.path.split("?")[0])
                reply = route(self) if route else Reply(b"not here", status=404)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.pieces is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    time.sleep(reply.pause)
                    self.wfile.write(reply.body)
                else:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for piece in reply.pieces:
                        self.wfile.write(piece)
                        self.wfile.flush()
                        time.sleep(reply.pause)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with served.lock:
                    served.in_flight -= 1

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
