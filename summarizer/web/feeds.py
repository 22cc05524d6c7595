"""Feeds read by content, not by name: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed as JSON.

A body that is none of these is a page (:func:`parse_feed` returns None). feedparser 6.0 does not
read JSON Feed, which is JSON with a fixed ``version`` URL, so that one is read with :mod:`json`.

XML entities: feedparser's SAX parser does not expand entities a feed declares (it reports them
as undefined and falls back to its loose parser), but a feed that declares any is hostile or broken,
and is refused outright - by defusedxml, which stops at the first entity declaration - so a
"billion laughs" feed costs one quick, bounded look and says why it failed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from .safety import FetchError

_JSON_FEED = "https://jsonfeed.org/version/"


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its link, metadata, and its own text (HTML or plain) when it carries any."""

    link: str | None
    title: str | None = None
    published: str | None = None
    author: str | None = None
    html: str | None = None
    text: str | None = None

    @property
    def label(self) -> str:
        return self.link or self.title or "an entry without link or title"


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title and entries (newest first, at most ``max_entries``), and how many it listed."""

    title: str | None
    entries: list[FeedEntry]
    found: int
    undated: bool


def parse_feed(body: bytes, content_type: str, *, max_entries: int, base: str = "") -> ParsedFeed | None:
    """The feed in ``body``, or None when it is not a feed (a page); a FetchError for a hostile one.

    Relative links are resolved against ``base``, the feed's own address.
    """
    start = body[:64].lstrip()
    if start.startswith((b"{", b"\xef\xbb\xbf{")):
        return _json_feed(body, max_entries, base)
    if b"<!ENTITY" in body:
        _refuse_entities(body)
    import feedparser

    headers = {"content-type": content_type or "application/xml", "content-location": base}
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.get("version"):
        return None
    dated = [(entry, entry.get("published_parsed") or entry.get("updated_parsed")) for entry in parsed.entries]
    newest = sorted(dated, key=lambda pair: time.mktime(pair[1]) if pair[1] else float("-inf"), reverse=True)
    entries = [_entry(entry, base) for entry, _ in newest[:max_entries]]
    undated = bool(dated) and not any(when for _, when in dated)
    return ParsedFeed(_text(parsed.feed.get("title")), entries, len(dated), undated)


def _entry(entry: Any, base: str) -> FeedEntry:
    content = entry.get("content") or []
    html = content[0].get("value") if content else entry.get("summary")
    return FeedEntry(
        link=_link(entry.get("link"), base),
        title=_text(entry.get("title")),
        published=_text(entry.get("published") or entry.get("updated")),
        author=_text(entry.get("author")),
        html=_text(html),
    )


def _refuse_entities(body: bytes) -> None:
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FetchError(
            "the feed declares XML entities, which are refused (entity expansion, as in a 'billion laughs' bomb)"
        ) from None
    except ParseError:
        pass  # not well-formed: feedparser's loose parser decides


def _json_feed(body: bytes, max_entries: int, base: str) -> ParsedFeed | None:
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(_JSON_FEED):
        return None
    items = [item for item in document.get("items") or [] if isinstance(item, dict)]
    newest = sorted(items, key=lambda item: str(item.get("date_published") or ""), reverse=True)
    entries = [
        FeedEntry(
            link=_link(item.get("url") or item.get("external_url"), base),
            title=_text(item.get("title")),
            published=_text(item.get("date_published") or item.get("date_modified")),
            author=_json_author(item),
            html=_text(item.get("content_html")),
            text=_text(item.get("content_text")),
        )
        for item in newest[:max_entries]
    ]
    undated = bool(items) and not any(item.get("date_published") or item.get("date_modified") for item in items)
    return ParsedFeed(_text(document.get("title")), entries, len(items), undated)


def _json_author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    names = [str(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return ", ".join(names) or None


def _link(value: object, base: str) -> str | None:
    """The entry's link made absolute (a relative one is relative to the feed); any scheme is kept for the checks."""
    link = _text(value)
    return urljoin(base, link) if link and base else link


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
