"""The article as ground truth: sentence lookup and "is this really in the text" checks.

Checks compare after folding typographic quotes, dashes, whitespace and case, because a model
writing ``"`` for ``”`` or "City Engineer" for "city engineer" has not invented anything. Quotes
and evidence never rely on this: they are exact slices of the article by offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from summarizer.ingest.quotes import QuoteSpan, find_quotes
from summarizer.ingest.sentences import Sentence, split_sentences

_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2014": "-", "\u2013": "-"})


def fold(text: str) -> str:
    """Typography- and whitespace-insensitive form used for occurrence checks."""
    return " ".join(text.translate(_FOLD).split())


def occurs_in(needle: str, text: str) -> bool:
    """True when ``needle`` stands in ``text`` as whole words (typography folded)."""
    folded = fold(needle)
    if not folded:
        return False
    return re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", fold(text), re.IGNORECASE) is not None


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

    def sentence_text(self, sentence_id: int) -> str | None:
        """The exact text of a sentence, or None for an id the article does not have."""
        if 1 <= sentence_id <= len(self.sentences):
            return self.sentences[sentence_id - 1].text
        return None

    def sentence_ids_between(self, start: int, end: int) -> list[int]:
        """Ids of the sentences overlapping ``text[start:end]``."""
        return [s.id for s in self.sentences if s.start < end and start < s.end]


_WORD = re.compile(r"[^\W_]{3,}")


def content_words(text: str) -> set[str]:
    """Lower-cased words of three letters or more: enough to tell which sentence a point restates."""
    return {w.lower() for w in _WORD.findall(fold(text))}


def anchor_evidence(point: str, cited: list[int], article: GroundedText) -> list[int]:
    """The cited sentences when they support the point, else the sentences that do.

    Small models cite plausible but wrong ids; the words of the point tell which sentence it
    restates. A cited sentence is kept when it shares at least a third of the point's words;
    otherwise the best-matching sentence replaces the citation.
    """
    words = content_words(point)
    if not words:
        return cited

    def support(sentence_id: int) -> float:
        return len(words & content_words(article.sentence_text(sentence_id) or "")) / len(words)

    kept = [i for i in cited if support(i) >= 1 / 3]
    if kept:
        return kept
    best = max((s.id for s in article.sentences), key=support)
    return [best] if support(best) >= 1 / 3 else cited
