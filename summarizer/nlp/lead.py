"""Which sentences can open a summary, and which one does: the rule the NLP stage and the briefing share.

The briefing opens its summary with the article's lead, and its headline, without a title or a
model's, is the lead's. The NLP stage finds a headline for that one sentence only (a headline is
a parse, and its check a fresh parse of its words), so the stage has to know the lead before the
briefing is assembled: the rule lives here, below both, and the briefing's opening reads it from here.
"""

from __future__ import annotations

import re
from typing import Protocol

from summarizer.grounding import GroundedText
from summarizer.ingest.sentences import Sentence

_MIN_WORDS = 8  # shorter "sentences" are datelines, captions and fragments
_QUOTED = 0.35  # a sentence over a third quotation reports speech more than a fact
# a sentence explaining a term ("The PRC is short for ...") helps a reader of the article, not of a briefing
_GLOSS = re.compile(r"\b(?:is|are) (?:short|an abbreviation|an acronym) for\b|\bstands for\b")


class Quotations(Protocol):
    """Where an article's quotations are (an :class:`~summarizer.nlp.analysis.Analysis` is one)."""

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of ``[start, end)`` lie inside quotations."""
        ...


def eligible(sentence: Sentence, quotations: Quotations) -> bool:
    """Whether ``sentence`` states a fact a briefing can open with or make a key point of.

    Not a dateline, caption or fragment (fewer than ``_MIN_WORDS`` words), not a gloss of a
    term, and not mostly quotation.
    """
    if len(sentence.text.split()) < _MIN_WORDS or _GLOSS.search(sentence.text):
        return False
    quoted = quotations.quoted_chars(sentence.start, sentence.end)
    return quoted <= _QUOTED * len(sentence.text)


def lead(article: GroundedText, quotations: Quotations) -> Sentence | None:
    """The sentence a summary opens with: the first eligible one not withheld, else the first not withheld.

    None for an article whose every sentence is withheld (or that has none).
    """
    usable = [s for s in article.sentences if s.id not in article.withheld]
    return next((s for s in usable if eligible(s, quotations)), usable[0] if usable else None)
