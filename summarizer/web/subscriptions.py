"""Subscription lists: OPML (what feed readers export) or TOML, each feed with an optional category.

OPML nests feeds (``<outline xmlUrl=...>``) inside outlines that name their category; a feed's own
``category`` attribute counts too. TOML says the same in either of two forms::

    [categories]
    World = ["https://example.org/world.rss"]

    [[feed]]
    url = "https://example.org/science.atom"
    category = "Science"

The OPML is parsed with defusedxml: a subscription list is a file from elsewhere too.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from summarizer.errors import InputError
from summarizer.ingest.loaders import decode, read_bytes

_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Feed:
    """A feed (or page) address to read for a digest, with the category whose section it goes to."""

    url: str
    category: str | None = None


def read_subscriptions(path: Path) -> list[Feed]:
    """The feeds a subscription list names; an InputError says what is wrong with the file."""
    text = decode(read_bytes(path, max_bytes=_MAX_BYTES), path)
    if path.suffix.lower() == ".toml" or not text.lstrip().startswith("<"):
        feeds = _toml(text, path)
    else:
        feeds = _opml(text, path)
    if not feeds:
        raise InputError(f"{path}: the subscription list names no feed")
    return list(dict.fromkeys(feeds))


def _opml(text: str, path: Path) -> list[Feed]:
    try:
        root = defusedxml.ElementTree.fromstring(text.encode(), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise InputError(f"{path}: not a readable OPML file ({exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise InputError(f"{path}: not an OPML file (no <opml><body>)")
    return list(_outlines(body, None))


def _outlines(parent: Element, category: str | None) -> list[Feed]:
    feeds: list[Feed] = []
    for outline in parent.findall("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            own = (outline.get("category") or "").split(",")[0].strip().strip("/") or None
            feeds.append(Feed(url, category or own))
        else:
            name = (outline.get("title") or outline.get("text") or "").strip() or category
            feeds.extend(_outlines(outline, name))
    return feeds


def _toml(text: str, path: Path) -> list[Feed]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    feeds: list[Feed] = []
    categories: Any = document.get("categories", {})
    if not isinstance(categories, dict):
        raise InputError(f"{path}: [categories] must map each category to a list of feed URLs")
    for name, urls in categories.items():
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise InputError(f"{path}: category {name!r} must be a list of feed URLs")
        feeds.extend(Feed(url.strip(), str(name)) for url in urls)
    tables: Any = document.get("feed", [])
    for table in tables if isinstance(tables, list) else [tables]:
        if not isinstance(table, dict) or not isinstance(table.get("url"), str):
            raise InputError(f'{path}: each [[feed]] needs url = "https://..."')
        category = table.get("category")
        feeds.append(Feed(table["url"].strip(), category if isinstance(category, str) else None))
    return feeds
