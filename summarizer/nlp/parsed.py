"""One parsed sentence: the seam between spaCy and the rules that read its parse."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Parsed:
    """One sentence's parse, where it starts and ends in the article text, and its paragraph.

    ``end`` is stored, not derived from ``doc.text``: spaCy builds that string token by token on
    every access, and the rules ask for it once per quote and mention.
    """

    start: int
    doc: Doc
    paragraph: int
    end: int


class SentenceIndex:
    """Which parsed sentences lie where, by binary search: the rules ask once per quote and mention.

    A scan of every sentence per question made the NLP stage quadratic in the article's length.
    """

    def __init__(self, parsed: Sequence[Parsed]) -> None:
        self.parsed = parsed
        self._starts = [p.start for p in parsed]
        self._ends = [p.end for p in parsed]

    def at(self, position: int) -> int | None:
        """The index of the sentence holding ``position``, if one does."""
        index = bisect.bisect_right(self._starts, position) - 1
        return index if index >= 0 and position < self._ends[index] else None

    def touching(self, start: int, end: int) -> list[Parsed]:
        """The sentences that ``[start, end]`` reaches into (edges included), in order."""
        first = bisect.bisect_left(self._ends, start)
        return list(self.parsed[first : bisect.bisect_right(self._starts, end)])

    def between(self, a: int, b: int) -> int:
        """How many sentences lie wholly after ``a`` and before ``b``."""
        return max(0, bisect.bisect_left(self._ends, b) - bisect.bisect_right(self._starts, a))


class Covered:
    """The union of character spans (quotations), asked whether it covers a position by binary search."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            elif start < end:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __call__(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]
