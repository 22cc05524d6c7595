"""Fetched bytes to articles, through the same path as files (cleaning, hidden-text removal, screening).

A page goes through :func:`~summarizer.ingest.loaders.html_fields` exactly as an ``.html``
file does: what readers never see is removed, trafilatura extracts the text and its metadata, and
the text is cleaned; injection screening happens later for every article alike. The feed's own
metadata only fills what the page did not say (title, date, author).
"""

from __future__ import annotations

import re

from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.clean import clean_field, parse_date
from summarizer.ingest.loaders import html_fields, text_fields

from .feeds import FeedEntry
from .safety import FetchError

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_NOT_PAGES = ("application/pdf", "application/octet-stream", "application/zip", "image/", "audio/", "video/")


def decoded(body: bytes, content_type: str) -> str:
    """The body as text: the charset the server names, else UTF-8, else what trafilatura detects."""
    if content_type.lower().startswith(_NOT_PAGES):
        raise FetchError(f"not a page or feed ({content_type.split(';')[0]})")
    named = _CHARSET.search(content_type)
    for codec in ([named.group(1)] if named else []) + ["utf-8-sig"]:
        try:
            return body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    from trafilatura.utils import decode_file

    return str(decode_file(body))


def page_article(body: bytes, content_type: str, url: str, entry: FeedEntry | None = None) -> Article:
    """The article a fetched page holds; an InputError when it holds none."""
    text = decoded(body, content_type)
    if b"\x00" in body[:8192]:
        raise FetchError("the page looks binary, not an article")
    # the fetcher bounded the body (FetchOptions.max_bytes): the fields need no second size check
    fields = html_fields(text, url=url) if "<" in text[:2000] else text_fields(text, url=url)
    article = Article(**fields)
    return _filled(article, entry)


def entry_article(entry: FeedEntry) -> Article:
    """The article the feed entry itself carries (its full text), or an InputError when it carries none."""
    metadata = {"title": entry.title, "url": entry.link, "published": entry.published, "byline": entry.author}
    if entry.html and entry.html.strip():
        return Article(**html_fields(f"<html><body><article>{entry.html}</article></body></html>", **metadata))
    if entry.text and entry.text.strip():
        return Article(**text_fields(entry.text, **{k: v for k, v in metadata.items() if v}))
    raise InputError("the entry carries no text of its own")


def _filled(article: Article, entry: FeedEntry | None) -> Article:
    """The page's article, with what the page did not say taken from the feed entry (cleaned alike)."""
    if entry is None:
        return article
    update: dict[str, object] = {}
    if not article.title and entry.title:
        update["title"] = clean_field(entry.title, 300) or None
    if not article.byline and entry.author:
        update["byline"] = clean_field(entry.author, 200) or None
    if article.published is None and entry.published:
        update["published"] = parse_date(entry.published)
    return article.model_copy(update=update) if update else article
