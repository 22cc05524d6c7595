"""When a key point reads as a copy of its sentence rather than its main fact.

A briefing made of copies tells a reader nothing its article's lead does not, so the selection
of key sentences (:mod:`summarizer._briefing.key_sentences`) and the share of copies a briefing may keep
(:func:`summarizer._briefing.draft_checks.fewer_copies`) both ask this one question.
"""

from __future__ import annotations

from summarizer.grounding import content_words

SHORT = 16  # a sentence this short is a key point's length already: kept whole, it is no copy
NEAR = 0.62  # a key point with more of its sentence's words than this share reads as a copy of it


def copies(point: str, sentence: str) -> bool:
    """The key point keeps most of a sentence longer than ``SHORT`` words: to a reader, a copy of it.

    Most is over ``NEAR`` of its words, or content words enough that the sentence holds at most
    1.6 times as many (the measure of ``content_check.py``'s kp_copy): a point that drops only its
    small words copies the sentence's facts all the same.
    """
    if len(sentence.split()) <= SHORT:
        return False
    words = len(content_words(point))
    return len(point.split()) > NEAR * len(sentence.split()) or 1.6 * words >= len(content_words(sentence))
