"""Deterministic clean-up of article text and its header lines.

News text arrives with site furniture around it (skip links, share buttons, comment forms,
"Go deeper" teasers) and sometimes with metadata written as header lines
(``Published Date: 4/26/2024``). Both are removed here, the metadata kept, so that sentence ids
and quote offsets only ever point at the story itself.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import unicodedata
from dataclasses import dataclass, field

import dateutil.parser

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
)
_HEADER = re.compile(
    r"^(?P<key>published(?: date)?|date|source|outlet|url|link|by|byline|author|title)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_BY_LINE = re.compile(
    r"^by\s+(?P<value>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s+and\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})?)$"
)
_BOILERPLATE = re.compile(
    r"^(skip to (?:main )?content|leave a (?:reply|comment)|post comment|go deeper\b.*|"
    r"share (?:this|on \w+).*|share|tweet|email|print|advertisement|subscribe.*|sign up.*|"
    r"your email address will not be published.*|required fields are marked.*|"
    r"save my name, email.*|comments?|reply|cancel reply|related(?: articles| stories)?:?.*|"
    r"read more:?.*|click here.*|follow us.*|copyright .*|©.*|all rights reserved.*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣*-]|\d+\.)\s+")
# a page widget's label that scraping ran into the text ("... the team. Scroll down for video Gordon Brown has ..."):
# it stood between two blocks of the page, so the text breaks there
_WIDGET = re.compile(r"\s*\b(?:scroll down for (?:the )?videos?|scroll down to watch the videos?)\b\s*", re.IGNORECASE)


@dataclass
class Cleaned:
    """The body text and whatever metadata the header lines carried."""

    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def visible_text(raw: str) -> str:
    """Unify newlines, drop invisible and bidi control characters.

    No Unicode normalisation: an article written with combining accents keeps them, so evidence
    and quotes stay byte-for-byte substrings of the source.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def clean_field(raw: str, limit: int) -> str:
    """A metadata value as one clean line of at most ``limit`` characters, cut at a word when longer."""
    line = " ".join(unicodedata.normalize("NFC", visible_text(raw)).split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "\u2026"


def clean_text(raw: str, *, title: str | None = None) -> Cleaned:
    """Strip boilerplate lines, page widgets' labels and header metadata; paragraphs end up one per line.

    Characters within a paragraph are kept as they are (only whitespace is normalised): the
    text is what evidence and quotes are cut from. Without a ``title`` the first line may be
    taken as one; a first paragraph that repeats the title is dropped either way.
    """
    metadata: dict[str, str] = {}
    paragraphs: list[str] = []
    for line in visible_text(raw).split("\n"):
        stripped = " ".join(line.split())
        if not stripped:
            continue
        if not paragraphs and _take_header(stripped, metadata):
            continue
        if _is_boilerplate(stripped):
            continue
        paragraphs.append(_BULLET.sub("", stripped))
    if title is None and "title" not in metadata and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        metadata["title"] = paragraphs.pop(0)
        while paragraphs and _take_header(paragraphs[0], metadata):
            paragraphs.pop(0)
    known = title or metadata.get("title")
    if known and len(paragraphs) > 1 and paragraphs[0].casefold() == " ".join(known.split()).casefold():
        paragraphs.pop(0)
    # a widget's label splits its paragraph only now: a piece cut off before it is no title line
    return Cleaned("\n".join(piece for paragraph in paragraphs for piece in _without_widgets(paragraph)), metadata)


def _without_widgets(paragraph: str) -> list[str]:
    """The paragraph, or the pieces a widget's label run into it separated (each boilerplate-checked like a line)."""
    pieces = _WIDGET.split(paragraph)
    if len(pieces) == 1:
        return pieces  # already checked as a line
    return [piece for piece in pieces if piece and not _is_boilerplate(piece)]


def parse_date(value: str) -> dt.date | None:
    """The day a header or feed date names; None when it does not name one whole date.

    ISO 8601 first, then RFC 2822 (RSS and HTTP: ``Fri, 13 Mar 2026 09:00:00 GMT``), then
    dateutil for the rest (``March 13, 2026 9:00 AM``, ``2026/03/13``, ``4/26/2024``; month
    first when ambiguous, as US outlets write). The day is the one written, in the writer's
    own time zone. A value missing its year, month or day ("March 13", "5") is refused rather
    than completed from today.
    """
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        # parsed against two different defaults: a part the text lacks shows up as a difference
        first, second = (dateutil.parser.parse(value, default=dt.datetime(y, y, y)) for y in (1, 2))
    except (ValueError, OverflowError):
        return None
    return first.date() if first.date() == second.date() else None


def _take_header(line: str, metadata: dict[str, str]) -> bool:
    match = _HEADER.match(line)
    if match:
        key = match["key"].lower()
        canonical = {"published date": "published", "date": "published", "source": "outlet", "link": "url",
                     "by": "byline", "author": "byline"}.get(key, key)  # fmt: skip
        metadata.setdefault(canonical, match["value"].strip())
        return True
    by = _BY_LINE.match(line)
    if by:
        metadata.setdefault("byline", by["value"])
        return True
    return False


def _is_boilerplate(line: str) -> bool:
    if _BOILERPLATE.match(line) or not any(ch.isalnum() for ch in line):  # rules such as "___" or "* * *"
        return True
    bare = _BULLET.sub("", line)
    # Section labels and outlet datelines: a couple of upper-case words on a line of their own.
    return len(bare.split()) <= 3 and bare.isupper() and not bare.endswith((".", "\u201d", '"'))


def _looks_like_title(line: str) -> bool:
    words = len(line.split())
    return (
        len(line) <= 200
        and not line.endswith((".", "!", "?", ":", "\u201d", '"', "\u3002", "\uff01", "\uff1f"))
        and (words >= 3 or (words == 1 and len(line) >= 4 and _unspaced(line)))
    )


def _unspaced(line: str) -> bool:
    """Written without spaces between words (Chinese, Japanese): a title is one "word" long."""
    return sum(unicodedata.east_asian_width(ch) in "WF" for ch in line) * 2 >= len(line)
