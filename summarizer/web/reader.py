"""Web addresses to articles: a feed's entries fetched as pages, or one page; a report per address.

Nothing here raises for one bad feed or page: each becomes an item with its reason, listed under
"Not included", and a :class:`~summarizer.digests.schema.FeedReport` says what the address gave.

With a store, what was read is kept as soon as it is read (the store is used from this thread
only; pages are fetched by worker threads): a feed's body and validators, so the next request is
conditional, and each page's article, so a page is never fetched again - after a finished run or
after one that was killed.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from summarizer.digests.schema import FeedReport
from summarizer.digests.store import Store, WebRecord
from summarizer.errors import InputError
from summarizer.ingest.article import Article

from .feeds import FeedEntry, ParsedFeed, parse_feed
from .fetch import Fetched, Fetcher, FetchOptions
from .pages import entry_article, page_article

_PAGE_WORKERS = 4  # across hosts; each host still gets at most FetchOptions.per_host at a time


@dataclass(frozen=True)
class WebItem:
    """One article read from the web, or why it could not be: what the digest turns into an input."""

    label: str
    article: Article | None = None
    error: str | None = None
    category: str | None = None
    note: str | None = None


@dataclass
class _Report:
    url: str
    category: str | None
    status: str = "fetched"
    title: str | None = None
    reason: str | None = None
    entries: int = 0
    read: int = 0
    new: int = 0
    known: int = 0
    feed_text: int = 0
    failed: list[str] = field(default_factory=list)
    empty: bool = False
    undated: bool = False

    def done(self) -> FeedReport:
        return FeedReport.model_validate(self.__dict__)


class WebReader:
    """Reads web addresses for one digest run; ``reports`` holds one report per address read."""

    def __init__(self, options: FetchOptions | None = None, store: Store | None = None, *,
                 fetcher: Fetcher | None = None) -> None:  # fmt: skip
        self.options = options or FetchOptions()
        self.store = store
        self.fetcher = fetcher or Fetcher(self.options)
        self.reports: list[FeedReport] = []
        self.on_read: Callable[[FeedReport], None] = lambda report: None

    def close(self) -> None:
        self.fetcher.close()

    def read(self, url: str, category: str | None = None) -> list[WebItem]:
        """The articles at ``url`` (a feed's entries, or the page itself), failures with their reasons."""
        report = _Report(url, category)
        try:
            items = self._read(url, report)
        except InputError as exc:
            report.status, report.reason = "failed", str(exc)
            items = [WebItem(url, error=str(exc), category=category)]
        self.reports.append(report.done())
        self.on_read(self.reports[-1])
        return items

    def _read(self, url: str, report: _Report) -> list[WebItem]:
        kept = self.store.web_get(url) if self.store is not None else None
        if kept is not None and (article := _kept_article(kept)) is not None:
            report.status, report.known = "page", 1
            return [WebItem(url, article, category=report.category)]
        validators = (kept.etag, kept.last_modified) if kept is not None else (None, None)
        fetched = self.fetcher.get(url, etag=validators[0], last_modified=validators[1])
        if fetched.status == 304 and kept is not None:
            report.status = "not modified"
            fetched = Fetched(url, 200, kept.body, "application/xml", kept.etag, kept.last_modified)
        feed = parse_feed(fetched.body, fetched.content_type, max_entries=self.options.max_entries, base=url)
        if feed is None:
            article = page_article(fetched.body, fetched.content_type, url)
            self._keep_page(url, article)
            report.status, report.new = "page", 1
            return [WebItem(url, article, category=report.category)]
        if self.store is not None and report.status == "fetched":
            self.store.web_put(url, WebRecord("feed", fetched.body, fetched.etag, fetched.last_modified))
        return self._entries(feed, report)

    def _entries(self, feed: ParsedFeed, report: _Report) -> list[WebItem]:
        report.title, report.entries, report.read = feed.title, feed.found, len(feed.entries)
        report.empty, report.undated = feed.found == 0, feed.undated
        items: dict[int, WebItem] = {}
        pending: list[tuple[int, FeedEntry]] = []
        for index, entry in enumerate(feed.entries):
            kept = self.store.web_get(entry.link) if self.store is not None and entry.link else None
            if kept is not None and (article := _kept_article(kept)) is not None:
                report.known += 1
                items[index] = WebItem(entry.label, article, category=report.category)
            else:
                pending.append((index, entry))
        pool = concurrent.futures.ThreadPoolExecutor(_PAGE_WORKERS, thread_name_prefix="summarizer-fetch")
        try:
            futures = {pool.submit(self._page, entry): (index, entry) for index, entry in pending}
            for future in concurrent.futures.as_completed(futures):
                index, entry = futures[future]
                items[index] = self._settled(entry, future.result(), report)
        finally:  # Ctrl-C: pages not begun are not fetched; those kept so far stay kept
            pool.shutdown(wait=True, cancel_futures=True)
        return [items[index] for index in sorted(items)]

    def _page(self, entry: FeedEntry) -> Article | str:
        """The entry's page as an article, or why it could not be read (run in a worker thread)."""
        if not entry.link:
            return "the entry has no link"
        try:
            fetched = self.fetcher.get(entry.link)
            return page_article(fetched.body, fetched.content_type, entry.link, entry)
        except InputError as exc:
            return str(exc)
        except ValueError as exc:  # a page the HTML or date parsers choke on: that page's failure, not the run's
            return f"the page could not be extracted ({type(exc).__name__}: {exc})"

    def _settled(self, entry: FeedEntry, page: Article | str, report: _Report) -> WebItem:
        """The item for an entry once its page was tried: the page, else the entry's own text, else the reason."""
        if isinstance(page, Article):
            report.new += 1
            if entry.link:
                self._keep_page(entry.link, page)
            return WebItem(entry.label, page, category=report.category)
        try:
            article = entry_article(entry)
        except InputError:
            report.failed.append(f"{entry.label}: {page}")
            return WebItem(entry.label, error=page, category=report.category)
        report.feed_text += 1
        note = f"the feed's own text, as the page could not be read ({page})"
        return WebItem(entry.label, article, category=report.category, note=note)

    def _keep_page(self, url: str, article: Article) -> None:
        if self.store is not None:
            self.store.web_put(url, WebRecord("page", article.model_dump_json().encode()))


def _kept_article(kept: WebRecord) -> Article | None:
    """A page's article kept by an earlier run; None when it is not one (a feed, or an older format)."""
    if kept.kind != "page":
        return None
    try:
        return Article.model_validate_json(kept.body)
    except ValidationError:
        return None


def article_at(url: str, options: FetchOptions | None = None) -> Article:
    """The article on the page at ``url``, fetched under the same rules as a digest's; an InputError if none."""
    with Fetcher(options) as fetcher:
        fetched = fetcher.get(url)
    if parse_feed(fetched.body, fetched.content_type, max_entries=1) is not None:
        raise InputError(f"{url} is a feed, not an article page: digest it (summarizer digest {url})")
    try:
        return page_article(fetched.body, fetched.content_type, url)
    except InputError as exc:
        raise InputError(f"{url}: {exc}") from exc
