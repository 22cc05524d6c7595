"""The article as ground truth: sentence lookup and "is this really in the text" checks.

Checks compare after folding typographic quotes, dashes, whitespace and case, because a model
writing ``"`` for ``”`` or "City Engineer" for "city engineer" has not invented anything. Quotes
and evidence never rely on this: they are exact slices of the article by offset.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

from summarizer.ingest.injection import addresses_a_model
from summarizer.ingest.quotes import QuoteSpan, find_quotes
from summarizer.ingest.sentences import Sentence, split_sentences

K = TypeVar("K", bound=Hashable)

_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2014": "-", "\u2013": "-"})


def match_form(text: str) -> str:
    """Typography- and whitespace-insensitive form used for occurrence checks."""
    return " ".join(text.translate(_FOLD).split())


def occurs_in(needle: str, text: str) -> bool:
    """True when ``needle`` stands in ``text`` as whole words (typography folded, case ignored).

    Callers check every name of a briefing against the whole article, so the article's folded
    form is made once per text (:func:`_searchable`) and searched with ``str.find``: the checks
    cost what the names are, not names times the article.
    """
    folded = match_form(needle).lower()
    if not folded:
        return False
    haystack = _searchable(text)
    at = haystack.find(folded)
    while at != -1:
        end = at + len(folded)
        if not (at > 0 and _is_word(haystack[at - 1])) and not (end < len(haystack) and _is_word(haystack[end])):
            return True
        at = haystack.find(folded, at + 1)
    return False


@functools.lru_cache(maxsize=8)
def _searchable(text: str) -> str:
    """``text`` folded and in lower case, kept for the few articles being checked (a pure function's memo)."""
    return match_form(text).lower()


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


@dataclass(frozen=True)
class GroundedText:
    """Clean article text with its numbered sentences and detected quotes."""

    text: str

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.text)

    @cached_property
    def quotes(self) -> list[QuoteSpan]:
        return find_quotes(self.text)

    @cached_property
    def withheld(self) -> list[int]:
        """Ids of sentences that address an AI model: shown to it only as a placeholder."""
        return [s.id for s in self.sentences if addresses_a_model(s.text)]

    @cached_property
    def sentence_words(self) -> dict[int, set[str]]:
        """Content words of each sentence the model may cite, computed once per article."""
        withheld = set(self.withheld)
        return {s.id: content_words(s.text) for s in self.sentences if s.id not in withheld}

    def sentence_text(self, sentence_id: int) -> str | None:
        """The exact text of a sentence, or None for an id the article does not have."""
        if 1 <= sentence_id <= len(self.sentences):
            return self.sentences[sentence_id - 1].text
        return None

    def text_of(self, sentence_id: int) -> str:
        """The sentence's text, or "" for an id the article does not have."""
        return self.sentence_text(sentence_id) or ""

    def sentence_ids_between(self, start: int, end: int) -> list[int]:
        """Ids of the sentences overlapping ``text[start:end]`` (by binary search: asked once per quotation)."""
        first = bisect.bisect_right(self._sentence_ends, start)
        last = bisect.bisect_left(self._sentence_starts, end)
        return [s.id for s in self.sentences[first:last]]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [s.end for s in self.sentences]


_WORD = re.compile(r"[^\W_]{3,}")
STOPWORDS = frozenset(
    "the and for with that this from are was were has have had its their his her not but said says will would "
    "about over after into than also been one many more most other some such they them there which who what when "
    "while where being could should may might can our out all any just only very".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased words of three letters or more, stopwords left out."""
    return {w.lower() for w in _WORD.findall(match_form(text))} - STOPWORDS


_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?", re.IGNORECASE)
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


@dataclass(frozen=True)
class Figure:
    """A number a text states: as written ("1,604"), its value, and its value with a scale word, if any.

    Numbers are compared as numbers, not as substrings: "4" is not stated by "48", while
    "1,604" is "1604", "40%" is "40 percent" and "$48 million" is "48 million dollars" or
    "48,000,000". A figure without a scale word also matches the bare number of one with it
    ("the 48" after "$48 million"); two figures that both carry scale words must agree in full.
    """

    written: str
    value: Decimal
    scaled: Decimal | None

    def stated_by(self, other: Figure) -> bool:
        """Whether ``other`` states the same number."""
        if self.scaled is not None and other.scaled is not None:
            return self.scaled == other.scaled
        return self.value == other.value or (self.scaled or self.value) == (other.scaled or other.value)


def numbers_in(text: str) -> list[Figure]:
    """The numbers ``text`` states ("48", "1,200", "6.5", "2 million"), in order."""
    figures = []
    for match in _NUMBER.finditer(text):
        whole, fraction, scale = match.groups()
        value = Decimal(whole.replace(",", "") + (fraction or ""))
        written = whole + (fraction or "")
        figures.append(Figure(written, value, value * _SCALES[scale.lower()] if scale else None))
    return figures


def missing_numbers(point: str, evidence: str) -> list[str]:
    """Numbers of ``point`` (as written) that ``evidence`` does not state: invented, or cited from elsewhere."""
    stated = numbers_in(evidence)
    return [figure.written for figure in numbers_in(point) if not any(figure.stated_by(s) for s in stated)]


def anchor_statement(point: str, cited: list[K], candidates: Mapping[K, set[str]], text: Callable[[K], str]) -> list[K]:
    """:func:`anchor_evidence`, and where that leaves a figure of ``point`` uncited, the sentence stating it.

    Articles repeat their phrasing ("The inquiry found 58 entries missing..."), so the words
    alone can point at the wrong one of several near-identical sentences; the number decides.
    """
    anchored = anchor_evidence(point, cited, candidates)
    if not missing_numbers(point, " ".join(text(key) for key in anchored)):
        return anchored
    holding = {key: words for key, words in candidates.items() if not missing_numbers(point, text(key))}
    return anchor_evidence(point, [], holding) or anchored


def anchor_evidence(point: str, cited: list[K], candidates: Mapping[K, set[str]], *, minimum: float = 1 / 3) -> list[K]:
    """The cited sentences that support the point, or else the sentence that does.

    Small models cite plausible but wrong ids; the words of the point tell which sentence it
    restates. ``candidates`` maps each citable sentence to its content words. A cited sentence
    is kept when it shares at least ``minimum`` of the point's content words and nearly as many as
    the best-matching sentence; otherwise the best match replaces the citation. A point no
    sentence supports keeps its citation (and its checks decide).
    """
    words = content_words(point)
    if not words or not candidates:
        return cited
    support = {key: len(words & sentence) / len(words) for key, sentence in candidates.items()}
    best = max(support, key=lambda key: support[key])
    floor = max(minimum, 0.75 * support[best])
    kept = [key for key in cited if support.get(key, 0.0) >= floor]
    if kept:
        return kept
    return [best] if support[best] >= minimum else cited
