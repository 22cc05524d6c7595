"""The fetcher: a careful crawler's HTTP GET, built on httpx.

What it does for every request, and why:

- names itself (``User-Agent: summarizer/VERSION``) so a site can tell who reads it;
- honours ``robots.txt`` (RFC 9309: a 4xx answer allows everything, an unreachable or 5xx one
  forbids the whole host), read once per host with :mod:`urllib.robotparser`;
- sends at most ``per_host`` requests to one host at a time and spaces their starts by ``delay``
  seconds (or the host's ``Crawl-delay``, up to 30 s);
- checks the URL and every redirect (at most ``max_redirects``) with :mod:`summarizer.web.safety`
  and connects to the address it checked;
- bounds each request's total time (a server that trickles bytes is cut off) and the whole run's;
- reads at most ``max_bytes`` of the body *after* decompression, inflating gzip and deflate itself
  in bounded steps, so a gzip bomb is stopped after ``max_bytes``, never inflated in memory.

A refusal or failure is a :class:`~summarizer.web.safety.FetchError` whose message is the reason
the digest lists.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

import httpx

from .safety import FetchError, Target, checked

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_CRAWL_DELAY = 30.0
_ROBOTS_BYTES = 500_000  # what Google reads of a robots.txt


def user_agent() -> str:
    """``summarizer/VERSION``: the product token robots.txt rules are matched against."""
    try:
        release = version("summarizer")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        release = "0"
    return f"summarizer/{release} (news digest; +https://pypi.org/project/summarizer/)"


@dataclass(frozen=True, kw_only=True)
class FetchOptions:
    """How the fetcher behaves; the defaults are a polite crawler's, tests shrink the times.

    ``request_timeout`` bounds one request from connecting to the last byte; ``run_timeout`` all
    fetching of one digest; ``delay`` spaces the requests to one host; ``max_entries`` is how many
    entries of one feed are read (the newest first).
    """

    allow_private_addresses: bool = False
    request_timeout: float = 20.0
    run_timeout: float = 600.0
    per_host: int = 2
    delay: float = 1.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_entries: int = 100
    user_agent: str = field(default_factory=user_agent)


@dataclass(frozen=True)
class Fetched:
    """A response: ``status`` 200 with its body, or 304 (not modified) with none."""

    url: str
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class _Host:
    slots: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)  # one read of robots.txt per host
    next_start: float = 0.0
    delay: float = 0.0
    robots: RobotFileParser | str | None = None  # the parsed file, or why the host may not be crawled


class Fetcher:
    """HTTP GETs under the rules above; share one per run (it keeps hosts' robots.txt and limits)."""

    def __init__(self, options: FetchOptions | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options or FetchOptions()
        self.requests = 0
        self._deadline = time.monotonic() + self.options.run_timeout
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"}
        # trust_env=False: a proxy from the environment would make the address checks meaningless.
        self._client = httpx.Client(headers=headers, follow_redirects=False, trust_env=False, transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The resource at ``url`` (redirects followed and checked), or a FetchError with the reason.

        With ``etag`` or ``last_modified`` the request is conditional and may come back as a 304.
        """
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        fetched = self._follow(url, headers, robots=True)
        if fetched.status >= 400:
            raise FetchError(f"the server answered HTTP {fetched.status}")
        return fetched

    def _follow(self, url: str, headers: dict[str, str], *, robots: bool) -> Fetched:
        for _ in range(self.options.max_redirects + 1):
            target = checked(url, allow_private=self.options.allow_private_addresses)
            if robots:
                self._allowed(target)
            fetched, location = self._one(target, headers)
            if location is None:
                return fetched
            url = urljoin(target.url, location)
        raise FetchError(f"more than {self.options.max_redirects} redirects (a redirect loop?)")

    def _one(self, target: Target, headers: dict[str, str]) -> tuple[Fetched, str | None]:
        with self._slot(target):
            deadline = min(time.monotonic() + self.options.request_timeout, self._deadline)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"the run's time for fetching ({self.options.run_timeout:g} s) is used up")
            url = httpx.URL(target.url)
            pinned = url.copy_with(host=target.address)  # the address that was checked, not a second lookup
            extensions = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), remaining)}
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host  # type: ignore[assignment]
            with self._lock:
                self.requests += 1
            try:
                with self._client.stream(
                    "GET", pinned, headers={**headers, "Host": url.netloc.decode("ascii")}, extensions=extensions
                ) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        return Fetched(target.url, response.status_code, b""), response.headers["location"]
                    body = b"" if response.status_code == 304 else self._body(response, deadline)
                    return Fetched(
                        target.url,
                        response.status_code,
                        body,
                        response.headers.get("content-type", ""),
                        response.headers.get("etag"),
                        response.headers.get("last-modified"),
                    ), None
            except httpx.TimeoutException:
                raise FetchError(f"no answer within {self.options.request_timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"the request failed ({type(exc).__name__}: {exc})") from None

    def _body(self, response: httpx.Response, deadline: float) -> bytes:
        """The body, decompressed in bounded steps; refused past ``max_bytes`` or past the deadline."""
        limit = self.options.max_bytes
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflate: zlib._Decompress | None = zlib.decompressobj(47 if "gzip" in encoding else zlib.MAX_WBITS)
        elif encoding in ("", "identity"):
            inflate = None
        else:
            raise FetchError(f"the body is encoded as {encoding!r}, which is not read (only gzip and deflate)")
        declared = response.headers.get("content-length", "")
        if inflate is None and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"the body is {int(declared):,} bytes, over the {limit:,}-byte limit")
        chunks: list[bytes] = []
        size = 0
        for raw in response.iter_raw():
            if time.monotonic() > deadline:
                raise FetchError(f"the body did not arrive within {self.options.request_timeout:g} s (too slow)")
            try:
                data = raw if inflate is None else inflate.decompress(raw, limit - size + 1)
            except zlib.error as exc:
                raise FetchError(f"the body is not valid {encoding} ({exc})") from None
            size += len(data)
            if size > limit or (inflate is not None and inflate.unconsumed_tail):
                raise FetchError(f"the body is over the {limit:,}-byte limit (after decompression)")
            chunks.append(data)
        return b"".join(chunks)

    @contextmanager
    def _slot(self, target: Target) -> Iterator[None]:
        """One of the host's ``per_host`` slots, once ``delay`` has passed since the last request began."""
        host = self._host(target.origin)
        with host.slots:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_start)
                host.next_start = start + max(self.options.delay, host.delay)
            if start > now:
                time.sleep(min(start - now, max(0.0, self._deadline - now)))
            yield

    def _host(self, origin: str) -> _Host:
        with self._lock:
            if origin not in self._hosts:
                self._hosts[origin] = _Host(threading.BoundedSemaphore(self.options.per_host))
            return self._hosts[origin]

    def _allowed(self, target: Target) -> None:
        """Raise unless the host's robots.txt lets this library fetch ``target``."""
        host = self._host(target.origin)
        with host.robots_lock:
            if host.robots is None:
                robots = self._robots(target)
                if not isinstance(robots, str):
                    host.delay = min(float(robots.crawl_delay("summarizer") or 0), _MAX_CRAWL_DELAY)
                host.robots = robots
        robots = host.robots
        if isinstance(robots, str):
            raise FetchError(robots)
        assert robots is not None
        if not robots.can_fetch(self.options.user_agent, target.url):
            raise FetchError(f"the site's robots.txt does not allow {self.options.user_agent.split()[0]} to fetch it")

    def _robots(self, target: Target) -> RobotFileParser | str:
        parser = RobotFileParser()
        try:
            fetched = self._follow(f"{target.scheme}://{target.host}:{target.port}/robots.txt", {}, robots=False)
        except FetchError as exc:
            return f"the site's robots.txt could not be read ({exc}), so the site is not crawled"
        if fetched.status >= 500:
            return f"the site's robots.txt answered HTTP {fetched.status}, so the site is not crawled"
        lines = [] if fetched.status >= 400 else fetched.body[:_ROBOTS_BYTES].decode("utf-8", "replace").splitlines()
        parser.parse(lines)
        return parser
