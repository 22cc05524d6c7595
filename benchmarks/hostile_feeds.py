"""The hostile-feed table of ``docs/reliability.md``: each case's outcome, seconds and peak memory.

Run: ``python -m benchmarks.hostile_feeds`` (offline, about half a minute): a local server on
127.0.0.1 (``tests/web_support.py``) serves each hostile feed or body; the fetcher runs with its
default limits (5 MB bodies, 5 redirects, 100 entries) except a 2 s request timeout for the drip.
Seconds are measured on a first run of each case, memory (the peak of Python allocations, with
tracemalloc, which slows Python down several times) on a second. The server is on loopback,
so it is reached with private addresses allowed; the links to private addresses are then checked
with the default (refusing) options, never requested. A redirect to a private address needs a
public first hop: ``tests/test_feeds_fetch.py`` covers it with a mock transport.
"""

from __future__ import annotations

import gzip
import itertools
import time
import tracemalloc
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from summarizer.errors import FetchError
from summarizer.web.feeds import parse_feed
from summarizer.web.fetch import Fetcher, FetchOptions
from summarizer.web.reader import WebReader
from tests.web_support import Reply, Route, static, web_server


def _redirect(target: str) -> Route:
    return lambda handler: Reply(status=302, headers={"Location": target})


def _big(handler: BaseHTTPRequestHandler) -> Reply:
    return Reply(headers={"Content-Type": "text/html"}, pieces=(b"x" * 1_000_000 for _ in range(50)))


def _drip(handler: BaseHTTPRequestHandler) -> Reply:
    return Reply(headers={"Content-Type": "text/html"}, pieces=itertools.repeat(b"<", 10_000), pause=0.1)


def _feed(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Entry {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'.encode()


def _routes(url: str) -> dict[str, Route]:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    laughs = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{entities}]><rss version="2.0"><channel>'
    return {
        "/robots.txt": static(b"User-agent: *\nAllow: /\n", "text/plain"),
        "/bomb": static(gzip.compress(b"\0" * 1_000_000_000, 9), "text/html", **{"Content-Encoding": "gzip"}),
        "/laughs": static((laughs + "<title>&l9;</title></channel></rss>").encode(), "application/rss+xml"),
        "/big": _big,
        "/drip": _drip,
        "/many": static(_feed([f"{url}/none/{i}" for i in range(10_000)]), "application/rss+xml"),
        "/loop": _redirect("/loop"),
        "/links": static(
            _feed(
                [
                    "http://169.254.169.254/latest/meta-data/",
                    "http://localhost:8080/admin",
                    "file:///etc/passwd",
                    "ftp://example.org/x",
                    "data:text/html,hi",
                ]
            ),
            "application/rss+xml",
        ),  # fmt: skip
    }


CASES: list[tuple[str, str, Callable[[str], FetchOptions]]] = [
    ("a link to a private address (169.254.169.254, localhost:8080)", "/links", lambda url: FetchOptions(delay=0)),
    ("gzip bomb (1 GB of zeros in 1 MB)", "/bomb", lambda url: FetchOptions(delay=0)),
    ("billion laughs (XML entities)", "/laughs", lambda url: FetchOptions(delay=0)),
    ("a 50 MB body", "/big", lambda url: FetchOptions(delay=0)),
    (
        "slow drip (a byte each 0.1 s; request timeout 2 s)",
        "/drip",
        lambda url: FetchOptions(delay=0, request_timeout=2),
    ),
    ("a feed of 10,000 entries", "/many", lambda url: FetchOptions(delay=0)),
    ("a redirect loop", "/loop", lambda url: FetchOptions(delay=0)),
    ("non-http links (file:, ftp:, data:)", "/links", lambda url: FetchOptions(delay=0)),
]


def _refusals(reader: WebReader, url: str, options: FetchOptions) -> list[str]:
    """Why each link of the feed is refused under ``options`` (no request is made for any of them)."""
    feed = parse_feed(reader.fetcher.get(url).body, "application/rss+xml", max_entries=100)
    assert feed is not None
    reasons = []
    with Fetcher(options) as strict:
        for entry in feed.entries:
            try:
                strict.get(entry.link or "")
                reasons.append(f"{entry.link}: FETCHED")
            except FetchError as exc:
                reasons.append(str(exc).split(";")[0][:70])
    return reasons


def _run(served_url: str, path: str, chosen: FetchOptions) -> str:
    reader = WebReader(FetchOptions(**{**chosen.__dict__, "allow_private_addresses": True}))
    try:
        if path == "/links":
            return "; ".join(sorted(set(_refusals(reader, served_url + path, chosen))))
        reader.read(served_url + path)
        report = reader.reports[-1]
        return report.reason or f"{report.entries:,} entries, {report.read} read, {len(report.failed)} failed"
    finally:
        reader.close()


def main() -> None:
    """Print the table."""
    routes: dict[str, Route] = {}
    with web_server(routes) as served:
        routes.update(_routes(served.url))
        print("| case | outcome | seconds | peak MB |\n|---|---|---:|---:|")
        for name, path, options in CASES:
            started = time.monotonic()
            outcome = _run(served.url, path, options(served.url))
            took = time.monotonic() - started
            tracemalloc.start()
            _run(served.url, path, options(served.url))
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            print(f"| {name} | {outcome} | {took:.2f} | {peak:.1f} |")


if __name__ == "__main__":
    main()
