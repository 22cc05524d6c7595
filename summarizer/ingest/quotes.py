"""Find direct quotations and their exact spans, without a model.

Handles curly and straight double marks, quotes broken by their attribution (two spans), and
messy text: a closing mark with no opener (the quote runs from the start of its paragraph) and
an opener with no closer (the quote runs to the end of its paragraph, the newspaper convention
for a quote that continues into the next paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "\u201c\u201e\u00ab"
_CLOSE = "\u201d\u00bb"
_MARKS = re.compile(r"[\u201c\u201d\u201e\u00ab\u00bb\"]")


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: ``text == article_text[start:end]``, marks excluded."""

    start: int
    end: int
    text: str


def find_quotes(text: str) -> list[QuoteSpan]:
    """All direct quotations in text order."""
    spans: list[QuoteSpan] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in _line_quotes(line):
            span = _trim(line, start, end)
            if span is not None:
                spans.append(QuoteSpan(offset + span[0], offset + span[1], line[span[0] : span[1]]))
        offset += len(line) + 1
    return spans


def _line_quotes(line: str) -> list[tuple[int, int]]:
    marks = [(m.start(), _kind(line, m.start())) for m in _MARKS.finditer(line)]
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    for pos, kind in marks:
        if kind == "open":
            if open_at is None:
                open_at = pos + 1
            continue
        if open_at is not None:
            found.append((open_at, pos))
            open_at = None
        elif not found:
            found.append((0, pos))  # closing mark with no opener: quote from paragraph start
    if open_at is not None:
        found.append((open_at, len(line)))  # quote continues past the paragraph end
    return found


def _kind(line: str, pos: int) -> str:
    mark = line[pos]
    if mark in _OPEN:
        return "open"
    if mark in _CLOSE:
        return "close"
    before = line[pos - 1] if pos > 0 else " "
    after = line[pos + 1] if pos + 1 < len(line) else " "
    if before.isspace() or before in "([{\u2014-" or (pos == 0):
        return "open"
    if after.isspace() or after in ".,;:!?)]}\u2014-" or pos == len(line) - 1:
        return "close"
    return "close" if before.isalnum() or before in ".,!?" else "open"


def _trim(line: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end - start < 2 or not any(ch.isalpha() for ch in line[start:end]):
        return None
    return start, end
