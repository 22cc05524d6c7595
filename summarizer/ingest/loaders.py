"""Read articles' fields from files and records: plain text, Markdown, HTML, JSON and JSONL.

Each reader returns the keyword arguments of an :class:`~summarizer.ingest.article.Article`, which
builds itself from them (this module does not know the class: the dependency points one way).
Every refusal is an :class:`~summarizer.errors.InputError` naming the file and what to do.
"""

from __future__ import annotations

import codecs
import errno
import json
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.ingest.clean import clean_field, clean_text, parse_date
from summarizer.ingest.dates import partial_day

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xhtml", ".json", ".jsonl")
"""The suffixes of article files (any other file is read as text when named outright)."""
_TEXT_KEYS = ("text", "body", "content", "article")
# Longest metadata kept: a record's "title" can be anything, and it goes into the prompt.
_FIELD_LIMITS = {"title": 300, "outlet": 120, "byline": 200}
_MAX_URL = 2000
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


ArticleFields = dict[str, Any]
"""An article's keyword arguments: ``text`` and its cleaned, bounded metadata."""


def text_fields(raw: str, **metadata: Any) -> ArticleFields:
    """The fields of an article in plain text or Markdown; header lines become metadata (no size check)."""
    stripped = raw.lstrip()
    if stripped[:15].lower().startswith(("<!doctype html", "<html")):
        return html_fields(raw, **metadata)
    cleaned = clean_text(raw, title=metadata.get("title"))
    return _fields(cleaned.text, {**cleaned.metadata, **{k: v for k, v in metadata.items() if v}})


def html_fields(html: str, **metadata: Any) -> ArticleFields:
    """The fields of an HTML page: its main text and metadata, through trafilatura."""
    import trafilatura

    extracted = trafilatura.bare_extraction(_visible(html), with_metadata=True, include_comments=False)
    document = extracted if isinstance(extracted, dict) else extracted.as_dict() if extracted is not None else {}
    if not document.get("text"):
        raise InputError("no article text could be extracted from the HTML")
    if navigation_only(str(document["text"])):
        raise InputError("the page holds only navigation links, no article text")
    found = {"title": document.get("title"), "outlet": document.get("sitename"), "url": document.get("url"),
             "published": _whole_date(document.get("date"), html), "byline": document.get("author")}  # fmt: skip
    cleaned = clean_text(str(document["text"]), title=found["title"] or metadata.get("title") or "")
    return _fields(cleaned.text, {**{k: v for k, v in found.items() if v}, **{k: v for k, v in metadata.items() if v}})


_MENU_WORDS, _MENU_CHARS = 3, 30  # a menu item: a few short words ("Contact us"), in any script
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u2026][\"'\u201d\u2019)]*$")
_LINK_SEPARATORS = re.compile(r"\s*[|\u00b7\u2022\u00bb\u203a/]\s*|\n+")


def navigation_only(text: str) -> bool:
    """Whether extracted text is a site's menu ("Home | About") and no prose: short items, none a sentence.

    A page of links gives no article to brief; taken for one, its menu became the headline.
    """
    items = [item.strip() for item in _LINK_SEPARATORS.split(text) if item.strip()]
    return all(len(item.split()) <= _MENU_WORDS and len(item) <= _MENU_CHARS and not _SENTENCE_END.search(item)
               for item in items)  # fmt: skip


def _whole_date(value: object, html: str) -> str | None:
    """The page's publication date as the extractor found it, unless it was made from a year or month alone."""
    published = parse_date(str(value)) if value else None
    return None if published is None or partial_day(published, html) else str(value)


# Declarations that keep text from readers, matched on a style with whitespace and comments removed.
_HIDING = re.compile(
    r"display:none|visibility:(?:hidden|collapse)|(?:font-size|opacity):0(?:\.0*)?(?:px|em|rem|pt|%)?(?:;|!|$)"
    r"|(?:left|top|right|text-indent|margin-left|margin-top):-\d{3,}|clip:rect\(0|transform:scale\(0\)"
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _visible(html: str) -> str:
    """The page without what readers never see (``hidden``, ``display:none``...): a place to hide instructions."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError):
        return html
    hidden = [element for element in tree.iter(etree.Element) if _hidden(element)] + _hidden_by_page_css(tree)
    for element in hidden:
        if element.getparent() is not None and element.tag != "body":
            element.drop_tree()
    for details in tree.iter("details"):
        if details.get("open") is None:
            _close(details)
    return str(lxml_html.tostring(tree, encoding="unicode"))


def _hidden(element: Any) -> bool:
    if element.tag == "template" or element.get("hidden") is not None:
        return True
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return _HIDING.search(_compact_css(element.get("style") or "")) is not None


def _hidden_by_page_css(tree: Any) -> list[Any]:
    """Elements the page's own ``<style>`` hides: simple rules only, states such as ``:hover`` left alone."""
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    found: list[Any] = []
    for style in tree.iter("style"):
        for selectors, declarations in _CSS_RULE.findall(_CSS_COMMENT.sub("", style.text or "")):
            if not _HIDING.search(_compact_css(declarations)):
                continue
            for selector in selectors.split(","):
                try:
                    found += CSSSelector(selector.strip())(tree)
                except SelectorError:
                    continue
    return found


def _compact_css(css: str) -> str:
    """Lower case, no comments, no whitespace: ``DISPLAY : none`` (a tab, a newline) reads as ``display:none``."""
    return "".join(_CSS_COMMENT.sub("", css).lower().split())


def _close(details: Any) -> None:
    """A closed ``<details>`` shows readers its ``<summary>`` and nothing else."""
    details.text = None
    for child in list(details):
        child.tail = None
        if child.tag != "summary":
            details.remove(child)


def record_fields(record: Mapping[str, Any], *, max_bytes: int | None = None) -> ArticleFields:
    """The fields of a JSON record with ``text`` (or ``body``/``content``) and metadata keys.

    ``max_bytes`` holds the record's text to the input limit (a record from a file or a feed line
    is bounded by its file's or line's size already; one built in memory is not).
    """
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
    fields: dict[str, Any] = {k: str(v) for k, v in metadata.items() if isinstance(v, str | int | float) and v}
    if max_bytes is not None:
        check_text_size(text, max_bytes)
    return text_fields(text, **fields)


def file_fields(path: Path, *, max_bytes: int) -> ArticleFields:
    """The fields of the article in a file, refusing what is not a readable article."""
    text = decode(read_bytes(path, max_bytes=max_bytes), path)
    suffix = path.suffix.lower()
    try:
        if suffix in _HTML_SUFFIXES:
            return html_fields(text)
        if suffix == ".json":
            return record_fields(json_record(text))
        if suffix == ".jsonl":
            lines = [line for line in text.splitlines() if line.strip()]
            if len(lines) != 1:
                raise InputError(f"{len(lines)} records in one file; brief one per file, or digest them as a feed")
            return record_fields(json_record(lines[0]))
        return text_fields(text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


def checked_size(path: Path) -> int:
    """The size of a readable regular file, or an InputError saying what the path is instead."""
    try:
        info = path.stat()
    except FileNotFoundError:
        missing = "a symlink to a missing file" if path.is_symlink() else "no such file"
        raise InputError(f"{path}: {missing}") from None
    except OSError as exc:
        raise InputError(f"{path}: {os_reason(exc)}") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device"
        raise InputError(f"{path}: not a regular file ({kind})")
    if info.st_size == 0:
        raise InputError(f"{path}: the file is empty")
    return info.st_size


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, or an InputError for missing, empty, oversized or unreadable input."""
    size = checked_size(path)
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit "
            "(raise it with SUMMARIZER_MAX_INPUT_BYTES or Settings.max_input_bytes)"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {os_reason(exc)}") from exc


def check_text_size(text: str, max_bytes: int, what: str = "the text") -> None:
    """An InputError when ``text`` is longer than ``max_bytes`` in UTF-8, counted without copying short text.

    The NLP stage's cost grows with the text, so every source is held to the same limit as files.
    """
    if len(text) <= max_bytes // 4:
        return  # a character is at most 4 bytes in UTF-8
    if len(text) > max_bytes:
        size = f"{len(text):,} characters"
    elif (encoded := len(text.encode("utf-8", "surrogatepass"))) > max_bytes:
        size = f"{encoded:,} bytes"
    else:
        return
    raise InputError(
        f"{what} is {size}, over the {max_bytes:,}-byte limit "
        "(raise it with SUMMARIZER_MAX_INPUT_BYTES or Settings.max_input_bytes)"
    )


def os_reason(exc: OSError) -> str:
    """Why a path could not be read, in words that say what to do."""
    if exc.errno == errno.ELOOP:
        return "a symlink loop (a link that leads back to itself)"
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    return f"cannot be read ({exc.strerror or exc})"


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 (with or without BOM), or UTF-16/32 with a BOM; an InputError says how to fix anything else."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: starts as {codec.upper()} but is not valid {codec.upper()}") from exc
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not valid UTF-8 at byte {exc.start}; convert it first (e.g. iconv -t UTF-8)"
        ) from exc


def json_record(text: str) -> Mapping[str, Any]:
    """A JSON object, or an InputError saying why ``text`` is not one."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError:  # the decoder recurses per level of nesting
        raise InputError("the JSON is nested too deeply to be an article record") from None
    if not isinstance(record, dict):
        raise InputError("expected a JSON object with a text field")
    return record


def _fields(text: str, metadata: Mapping[str, Any]) -> ArticleFields:
    """The article, its metadata cleaned like the body (no controls, one line) and bounded."""
    fields = {key: clean_field(str(metadata.get(key) or ""), limit) or None for key, limit in _FIELD_LIMITS.items()}
    url = clean_field(str(metadata.get("url") or ""), _MAX_URL + 1)
    published = metadata.get("published")
    return {
        "text": text,
        **fields,
        "url": url if url and len(url) <= _MAX_URL else None,
        "published": parse_date(str(published)) if published else None,
    }
