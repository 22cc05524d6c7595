"""The digest as an Atom 1.0 feed (RFC 4287), so a reader can subscribe to the digest itself.

Each digest becomes ``DATE.atom``: one entry per story (headline, summary, developments with links
to their sources). ``feed.atom`` in the output folder gathers the entries of the newest
:data:`KEPT_DIGESTS` digests, read back from their ``DATE.atom`` files (with defusedxml: a file in
the folder may have been put there by anyone). Ids are stable ``urn:uuid:`` names derived from the
date and story, so a feed reader sees a rewritten day as updated entries, not as new ones.

Built with lxml (its namespace map is per element; the standard library's ``register_namespace``
would change a process-wide table).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from lxml import etree

from summarizer._briefing.render import web_url

from .schema import Digest, Source, Statement, Story

ATOM = "http://www.w3.org/2005/Atom"
KEPT_DIGESTS = 30
FEED_FILE = "feed.atom"
_DATED = re.compile(r"\A\d{4}-\d{2}-\d{2}\.atom\Z")


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _add(parent: Any, name: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = text
    return element


def _stamp(moment: dt.datetime) -> str:
    """An RFC 3339 date-time, as Atom requires (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _feed(feed_id: str, title: str, updated: dt.datetime) -> Any:
    root = etree.Element(_tag("feed"), nsmap={None: ATOM})
    _add(root, "generator", "summarizer", uri="https://pypi.org/project/summarizer/")
    _add(root, "id", feed_id)
    _add(root, "title", title)
    _add(root, "updated", _stamp(updated))
    _add(_add(root, "author"), "name", "summarizer")
    return root


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "summarizer:" + ":".join(parts)).urn


def digest_feed(digest: Digest) -> Any:
    """``DATE.atom``: the digest's stories as entries."""
    root = _feed(_urn("digest", digest.date.isoformat()), f"Digest for {digest.date}", digest.generated_at)
    for story in digest.stories:
        root.append(_entry(digest, story))
    return root


def _entry(digest: Digest, story: Story) -> Any:
    entry = etree.Element(_tag("entry"), nsmap={None: ATOM})
    _add(entry, "id", _urn("digest", digest.date.isoformat(), story.id))
    _add(entry, "title", story.headline)
    _add(entry, "updated", _stamp(digest.generated_at))
    category = next((s.category for s in story.sources if s.category), None)
    if category:
        _add(entry, "category", term=category)
    for source in story.sources:
        if url := web_url(source.url or ""):
            _add(entry, "link", rel="related", href=url, title=_named(source))
    _add(entry, "summary", story.summary.text, type="text")
    _add(entry, "content", _content(story), type="html")
    return entry


def _named(source: Source) -> str:
    return " — ".join(part for part in (source.title or source.id, source.outlet) if part)


def _content(story: Story) -> str:
    """The story as HTML (Atom escapes it again as the element's text): summary, developments, sources."""
    sources = {source.id: source for source in story.sources}

    def cited(statement: Statement) -> str:
        marks = []
        for article in dict.fromkeys(c.article for c in statement.citations):
            url = web_url(sources[article].url or "") if article in sources else None
            mark = html.escape(article)
            marks.append(f'<a href="{html.escape(url)}">{mark}</a>' if url else mark)
        return f"{html.escape(statement.text)} [{', '.join(marks)}]"

    parts = [f"<p>{cited(story.summary)}</p>"]
    if story.developments:
        parts.append("<ul>" + "".join(f"<li>{cited(d)}</li>" for d in story.developments) + "</ul>")
    listed = []
    for source in story.sources:
        name = html.escape(f"[{source.id}] {_named(source)}")
        url = web_url(source.url or "")
        listed.append(f'<li><a href="{html.escape(url)}">{name}</a></li>' if url else f"<li>{name}</li>")
    parts.append("<p>Sources:</p><ul>" + "".join(listed) + "</ul>")
    return "".join(parts)


def text(root: Any) -> str:
    """The feed as an XML document."""
    etree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + str(etree.tostring(root, encoding="unicode")) + "\n"


def combined_feed(folder: Path, newest: Digest, newest_feed: Any) -> Any:
    """``feed.atom``: the entries of the newest :data:`KEPT_DIGESTS` digests in ``folder``, newest first."""
    earlier = sorted((p for p in folder.glob("*.atom") if _DATED.match(p.name)), reverse=True)
    dated: dict[str, list[Any]] = {}
    for path in earlier:
        if path.stem != newest.date.isoformat() and (entries := _entries_of(path)) is not None:
            dated[path.stem] = entries
    dated[newest.date.isoformat()] = newest_feed.findall(_tag("entry"))
    kept = sorted(dated, reverse=True)[:KEPT_DIGESTS]
    updated = max(newest.generated_at, *(_updated(e) for day in kept for e in dated[day]), key=_aware)
    root = _feed(_urn("digests", str(folder.resolve())), "Daily digests", updated)
    for day in kept:
        root.extend(dated[day])
    return root


def _entries_of(path: Path) -> list[Any] | None:
    """The entries of an earlier ``DATE.atom``; None when it is not a readable Atom feed.

    defusedxml vets the file first (no DTD, so no entities); lxml then reads it with entities and
    the network off, keeping its elements whole for the combined feed.
    """
    try:
        defusedxml.ElementTree.parse(path, forbid_dtd=True)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True)
        root = etree.parse(str(path), parser).getroot()
    except (OSError, ParseError, DefusedXmlException, etree.XMLSyntaxError):
        return None
    return root.findall(_tag("entry")) if root is not None and root.tag == _tag("feed") else None


def _updated(entry: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(entry.findtext(_tag("updated")) or "")
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
