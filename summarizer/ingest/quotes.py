"""Find direct quotations and their exact spans, without a model, in every house style.

American outlets quote with double marks (curly, straight, or ``''`` in some archives), British
and many tabloid outlets with single ones ('We will win,' he said), and some write a whole
article on one line. A single mark is usually an apostrophe ("voters' trust", "rock 'n' roll",
"'90s", "don't"), so single marks are told apart by position: an opening mark stands before a
word, a closing one after a word and before a space or punctuation, and a closing mark that
could be a plural possessive ("voters' trust") counts only when no surer close follows.

The quote that runs to the end of its paragraph is the newspaper convention for one that
continues in the next paragraph; a new opening mark after a sentence's end, inside an open
quote, means the same in text whose paragraph breaks were lost. Marks of the other kind inside a
quote are a nested quotation and belong to the outer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_DOUBLE_OPEN = "\u201c\u201e\u00ab"
_DOUBLE_CLOSE = "\u201d\u00bb"
_SINGLE_OPEN = "\u2018"
_SINGLE_CLOSE = "\u2019"
# ``''`` (two apostrophes) is a double mark in archives typed on ASCII; ``` `` ``` opens one.
_MARK = re.compile(r"``|'{2,3}|[\u201c\u201d\u201e\u00ab\u00bb\"\u2018\u2019']")
_OPENERS = "([{\u2014\u2013-/"
_CLOSERS = ".,;:!?)]}\u2014\u2013-/"

Kind = Literal["double", "single"]
Role = Literal["open", "close", "either"]


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: ``text == article_text[start:end]``, marks excluded."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: Kind
    role: Role
    sure: bool  # a single close that cannot be a plural possessive


def find_quotes(text: str) -> list[QuoteSpan]:
    """All direct quotations in text order (outermost only: a nested quotation is part of its quote)."""
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
    marks = _marks(line)
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(marks):
        mark = marks[index]
        if mark.role == "close" and mark.kind == "double" and not found:
            found.append((0, mark.start))  # a closing mark with no opener: the quote ran from the paragraph's start
            index += 1
            continue
        if mark.role == "close" or (mark.kind == "single" and mark.role == "either"):
            index += 1
            continue
        end, index = _close(line, marks, index)
        found.append((mark.end, end))
    return found


def _close(line: str, marks: list[_Mark], opened: int) -> tuple[int, int]:
    """Where the quote opened by ``marks[opened]`` ends, and the index of the next mark to read."""
    kind = marks[opened].kind
    possessive: int | None = None
    for index in range(opened + 1, len(marks)):
        mark = marks[index]
        if mark.kind != kind:
            continue  # a nested quotation of the other kind
        if mark.role in ("close", "either") and (mark.sure or kind == "double"):
            return mark.start, index + 1
        if mark.role == "close" and possessive is None:
            possessive = index
            continue
        if mark.role == "open" and possessive is not None:
            return marks[possessive].start, possessive + 1  # the possessive-looking mark was the close
        if mark.role == "open" and _after_sentence(line, mark.start):
            return mark.start, index  # a new paragraph of the same quotation: this one ended before it
    if possessive is not None:
        return marks[possessive].start, possessive + 1
    return len(line), len(marks)  # the quote continues past the paragraph's end


def _marks(line: str) -> list[_Mark]:
    marks: list[_Mark] = []
    for found in _MARK.finditer(line):
        start, end, mark = found.start(), found.end(), found.group(0)
        if mark == "'''":  # a single and a double mark together: nested quote ending, or opening
            closing = mark_role(line, start, end) == "close"
            pieces = [(start, start + 1), (start + 1, end)] if closing else [(start, start + 2), (start + 2, end)]
            for a, b in pieces:
                marks.extend(_mark(line, a, b))
            continue
        marks.extend(_mark(line, start, end))
    return marks


def _mark(line: str, start: int, end: int) -> list[_Mark]:
    mark = line[start:end]
    if mark in _DOUBLE_OPEN or mark == "``":
        return [_Mark(start, end, "double", "open", True)]
    if mark in _DOUBLE_CLOSE:
        return [_Mark(start, end, "double", "close", True)]
    role = mark_role(line, start, end)
    if mark in ('"', "''"):
        return [_Mark(start, end, "double", role, True)]
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    if before.isalnum() and after.isalnum():
        return []  # an apostrophe inside a word: don't, O'Brien, Nicola Sturgeon's
    if mark == _SINGLE_OPEN and after.isalnum() or role == "open":
        if after.isdigit():
            return []  # '90s, '08 election
        return [_Mark(start, end, "single", "open", True)]
    if role == "close":
        return [_Mark(start, end, "single", "close", _sure_close(line, start, end))]
    return [_Mark(start, end, "single", "either", False)]


def mark_role(line: str, start: int, end: int) -> Role:
    """Whether the mark at ``line[start:end]`` opens or closes a quotation, by what stands either side of it."""
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    if (before.isspace() or before in _OPENERS or start == 0) and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in _CLOSERS or end == len(line)):
        return "close"
    if before.isspace() and after.isspace():
        return "either"
    return "close" if before.isalnum() or before in ".,!?" else "open"


def _sure_close(line: str, start: int, end: int) -> bool:
    """A closing single mark that is not a plural possessive ("the voters' trust")."""
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    if before in ".,!?;:\u2014-)" or after in ".,;:!?)\u2014" or end == len(line):
        return True
    if before.lower() != "s":
        return True  # "whatever he wants' he said" is rare; a possessive needs the plural s
    word = re.match(r"\s*([^\W\d_]+)", line[end:])
    return word is None or not word.group(1)[0].islower()


def _after_sentence(line: str, position: int) -> bool:
    """True when ``position`` follows the end of a sentence (". 'Next ...")."""
    return re.search(r"[.!?][\u201d\u2019\"']?\s*$", line[:position]) is not None


def _trim(line: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end - start < 2 or not any(ch.isalpha() for ch in line[start:end]):
        return None
    return start, end
