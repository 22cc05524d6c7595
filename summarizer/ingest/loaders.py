"""Read articles from files and records: plain text, Markdown, HTML, JSON and JSONL.

Every refusal is an :class:`~summarizer.errors.InputError` naming the file and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.clean import clean_text, parse_date

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_KEYS = ("text", "body", "content", "article")


def article_from_text(raw: str, **metadata: Any) -> Article:
    """An article from plain text or Markdown; header lines become metadata."""
    stripped = raw.lstrip()
    if stripped[:15].lower().startswith(("<!doctype html", "<html")):
        return article_from_html(raw, **metadata)
    cleaned = clean_text(raw.replace("**", "").replace("__", ""), take_title=not metadata.get("title"))
    return _article(cleaned.text, {**cleaned.metadata, **{k: v for k, v in metadata.items() if v}})


def article_from_html(html: str, **metadata: Any) -> Article:
    """Main text and metadata of an HTML page, through trafilatura."""
    import trafilatura

    extracted = trafilatura.bare_extraction(_visible(html), with_metadata=True, include_comments=False)
    document = extracted if isinstance(extracted, dict) else extracted.as_dict() if extracted is not None else {}
    if not document.get("text"):
        raise InputError("no article text could be extracted from the HTML")
    found = {"title": document.get("title"), "outlet": document.get("sitename"), "url": document.get("url"),
             "published": document.get("date"), "byline": document.get("author")}  # fmt: skip
    cleaned = clean_text(str(document["text"]), take_title=False)
    return _article(cleaned.text, {**{k: v for k, v in found.items() if v}, **{k: v for k, v in metadata.items() if v}})


_HIDDEN = (
    '//*[@hidden or @aria-hidden="true"'
    ' or contains(translate(@style, " ", ""), "display:none")'
    ' or contains(translate(@style, " ", ""), "visibility:hidden")]'
)


def _visible(html: str) -> str:
    """The page without what readers never see (``hidden``, ``display:none``...): a place to hide instructions."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError):
        return html
    for element in tree.xpath(_HIDDEN):
        if element.getparent() is not None:
            element.drop_tree()
    return str(lxml_html.tostring(tree, encoding="unicode"))


def article_from_record(record: Mapping[str, Any]) -> Article:
    """An article from a JSON record with ``text`` (or ``body``/``content``) and metadata keys."""
    text = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if text is None:
        raise InputError(f"the record has no text: expected one of {', '.join(_TEXT_KEYS)}")
    metadata = {
        "title": record.get("title"),
        "outlet": record.get("outlet") or record.get("source"),
        "url": record.get("url"),
        "published": record.get("published") or record.get("date"),
        "byline": record.get("byline") or record.get("author"),
    }
    return article_from_text(text, **{k: str(v) for k, v in metadata.items() if v})


def load_article(path: Path, *, max_bytes: int) -> Article:
    """Read one article from a file, refusing what is not a readable article."""
    data = read_bytes(path, max_bytes=max_bytes)
    text = decode(data, path)
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return article_from_html(text)
    if suffix == ".json":
        return article_from_record(_json_record(text, path))
    if suffix == ".jsonl":
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) != 1:
            raise InputError(
                f"{path} holds {len(lines)} records; brief one record per file, or use the digest for feeds"
            )
        return article_from_record(_json_record(lines[0], path))
    return article_from_text(text)


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, or an InputError for missing, empty, oversized or binary input."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit "
            "(raise it with SUMMARIZER_MAX_INPUT_BYTES or Settings.max_input_bytes)"
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not an article")
    return data


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 (with or without BOM), or an InputError that says how to fix the file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not valid UTF-8 at byte {exc.start}; convert it first (e.g. iconv -t UTF-8)"
        ) from exc


def _json_record(text: str, path: Path) -> Mapping[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(record, dict):
        raise InputError(f"{path}: expected a JSON object with a text field")
    return record


def _article(text: str, metadata: Mapping[str, Any]) -> Article:
    published = metadata.get("published")
    return Article(
        text=text,
        title=metadata.get("title"),
        outlet=metadata.get("outlet"),
        url=metadata.get("url"),
        published=parse_date(str(published)) if published else None,
        byline=metadata.get("byline"),
    )
