"""The fetcher against hostile servers and links: each case a listed failure within a stated bound.

Bounds (generous for a shared 2-core machine; measured figures are in docs/reliability.md): every
case ends within 10 s, and those that send large bodies allocate under 32 MB (tracemalloc).
Servers are local (``tests/web_support.py``); addresses that must never be fetched are served by
an ``httpx.MockTransport`` that records what reached it, with a made-up public host name.
"""

from __future__ import annotations

import gzip
import itertools
import socket
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from importlib.metadata import version
from typing import Any

import httpx
import pytest

from summarizer.web.fetch import Fetcher, FetchOptions
from summarizer.web.reader import WebReader
from summarizer.web.safety import FetchError, checked, private_reason

from .web_support import Reply, Served, fetch_options, page, static, web_server

SECONDS = 10.0
MEMORY = 32_000_000
PUBLIC = "93.184.216.34"  # what the made-up host news.example resolves to in these tests


@contextmanager
def bounded() -> Iterator[None]:
    """The stated bound: at most SECONDS and MEMORY of Python allocations."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        took = time.monotonic() - started
        assert took < SECONDS, f"took {took:.1f} s"
        assert peak < MEMORY, f"allocated {peak:,} bytes at peak"


def failure(served: Served, path: str, options: FetchOptions | None = None) -> str:
    with bounded(), Fetcher(options or fetch_options()) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(served.url + path)
    return str(caught.value)


def test_a_gzip_bomb_is_stopped_at_the_cap_not_inflated() -> None:
    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)  # 100 MB of zeros in about 100 KB
    route = static(bomb, "text/html", **{"Content-Encoding": "gzip"})
    with web_server({"/bomb": route}) as served:
        reason = failure(served, "/bomb", fetch_options(max_bytes=5_000_000))
    assert "over the 5,000,000-byte limit (after decompression)" in reason


def test_a_50_mb_body_is_cut_off_at_5_mb() -> None:
    def endless(handler: BaseHTTPRequestHandler) -> Reply:  # no Content-Length: the size shows only as it comes
        return Reply(headers={"Content-Type": "text/html"}, pieces=(b"x" * 1_000_000 for _ in range(50)))

    declared = static(b"x" * 6_000_000, "text/html")
    with web_server({"/big": endless, "/declared": declared}) as served:
        assert "over the 5,000,000-byte limit" in failure(served, "/big")
        assert "6,000,000 bytes, over the 5,000,000-byte limit" in failure(served, "/declared")


def test_a_slow_drip_is_cut_off_at_the_request_timeout() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> Reply:
        return Reply(headers={"Content-Type": "text/html"}, pieces=itertools.repeat(b"<", 100), pause=0.1)

    with web_server({"/drip": drip}) as served:
        reason = failure(served, "/drip", fetch_options(request_timeout=1.0))
    assert "did not arrive within 1 s" in reason


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with bounded(), Fetcher(fetch_options(request_timeout=0.5)) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.get(url)
    assert "could not be read" in str(caught.value)  # robots.txt first: the host is not crawled at all


def test_a_redirect_loop_ends_after_five_redirects() -> None:
    loop = static(b"", "text/html", Location="/loop")

    def redirect(handler: BaseHTTPRequestHandler) -> Reply:
        return Reply(status=302, headers={"Location": "/loop"})

    with web_server({"/loop": redirect}) as served:
        assert loop is not None
        reason = failure(served, "/loop")
        assert served.paths().count("/loop") == 6  # the first request and five redirects
    assert "more than 5 redirects" in reason


def test_robots_txt_is_honoured_and_the_user_agent_names_the_library() -> None:
    routes = {
        "/robots.txt": static(b"User-agent: summarizer\nDisallow: /private/\n", "text/plain"),
        "/private/a": static(page("Closed", "Not for crawlers.")),
        "/open": static(page("Open", "Fine.")),
    }
    with web_server(routes) as served, Fetcher(fetch_options()) as fetcher:
        with pytest.raises(FetchError, match="robots.txt does not allow summarizer"):
            fetcher.get(served.url + "/private/a")
        assert fetcher.get(served.url + "/open").status == 200
        assert "/private/a" not in served.paths()
        assert served.paths().count("/robots.txt") == 1
        agent = f"summarizer/{version('summarizer')} "
        assert all(headers["User-Agent"].startswith(agent) for _, headers in served.requests)


def test_a_host_whose_robots_txt_fails_is_not_crawled() -> None:
    routes = {"/robots.txt": lambda handler: Reply(status=503), "/a": static(page("A", "Text."))}
    with web_server(routes) as served:
        assert "robots.txt answered HTTP 503" in failure(served, "/a")
        assert "/a" not in served.paths()


def test_at_most_two_requests_per_host_at_a_time() -> None:
    starts: list[float] = []

    def slow(handler: BaseHTTPRequestHandler) -> Reply:
        starts.append(time.monotonic())
        return Reply(page("Slow page", "The slow page text."), headers={"Content-Type": "text/html"}, pause=0.3)

    routes: dict[str, Any] = {f"/p{i}": slow for i in range(8)}
    feed = "".join(f"<item><title>P{i}</title><link>{{url}}/p{i}</link></item>" for i in range(8))
    with web_server(routes) as served:
        routes["/feed"] = static(
            f'<rss version="2.0"><channel><title>T</title>{feed}</channel></rss>'.format(url=served.url).encode(),
            "application/rss+xml",
        )
        reader = WebReader(fetch_options())
        items = reader.read(served.url + "/feed")
        reader.close()
    assert [item.error for item in items] == [None] * 8
    assert 1 <= served.most_in_flight <= 2  # four fetching threads, two slots for the host
    assert len(starts) == 8


def hostile_transport(seen: list[str], feed: bytes) -> httpx.MockTransport:
    """news.example's server: the feed, and a redirect to a loopback address; records each request."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.headers['host']}{request.url.path}")
        empty = httpx.ByteStream(b"")  # streams, as a network transport gives them
        if request.url.path == "/robots.txt":
            return httpx.Response(404, stream=empty)
        if request.url.path == "/to-loopback":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/secret"}, stream=empty)
        if request.url.path == "/to-metadata":
            return httpx.Response(301, headers={"Location": "http://169.254.169.254/latest/meta-data/"}, stream=empty)
        return httpx.Response(200, stream=httpx.ByteStream(feed), headers={"Content-Type": "application/rss+xml"})

    return httpx.MockTransport(handle)


@pytest.fixture
def public_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[..., Any] = socket.getaddrinfo

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> Any:
        if host == "news.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.mark.usefixtures("public_name")
def test_links_to_private_addresses_other_schemes_and_redirects_to_them_are_refused() -> None:
    links = [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/admin",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://news.example/to-loopback",
        "http://news.example/to-metadata",
        "file:///etc/passwd",
        "ftp://news.example/a",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
    ]
    items = "".join(f"<item><title>Entry {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    feed = f'<rss version="2.0"><channel><title>Hostile</title>{items}</channel></rss>'.encode()
    seen: list[str] = []
    options = FetchOptions(delay=0, request_timeout=2)  # private addresses refused: the default
    with bounded():
        reader = WebReader(options, fetcher=Fetcher(options, transport=hostile_transport(seen, feed)))
        found = reader.read("http://news.example/feed")
    assert len(found) == len(links) and all(item.article is None for item in found)
    reasons = dict(zip(links, [item.error or "" for item in found], strict=True))  # undated: kept in feed order
    for link in links[:6]:
        assert "server-side request forgery guard" in reasons[link], (link, reasons[link])
    assert "169.254.169.254 is a link-local" in reasons[links[0]]
    assert "localhost is a loopback" in reasons[links[1]]
    for link in links[6:]:
        assert "only http and https addresses are fetched" in reasons[link]
    # news.example saw its own paths only; nothing else was requested (a MockTransport serves every request)
    assert sorted(seen) == [
        "news.example/feed",
        "news.example/robots.txt",
        "news.example/to-loopback",
        "news.example/to-metadata",
    ]
    assert reader.reports[0].failed and len(reader.reports[0].failed) == len(links)


def test_the_address_checks() -> None:
    assert private_reason("93.184.216.34") is None
    assert private_reason("::ffff:127.0.0.1") == "a loopback"
    assert private_reason("224.0.0.1") == "a multicast"
    assert private_reason("240.0.0.1") == "a reserved"
    assert private_reason("192.168.1.1") == "a private"
    assert private_reason("0.0.0.0") is not None
    with pytest.raises(FetchError, match="loopback"):
        checked("http://127.0.0.1/", allow_private=False)
    assert checked("http://127.0.0.1:8/x", allow_private=True).port == 8
    with pytest.raises(FetchError, match="user name or password"):
        checked("http://user:pw@127.0.0.1/", allow_private=True)
