"""Split an article too long for the model's context into parts, on paragraph and sentence bounds.

Sentence ids stay those of the whole article, so whatever the model cites in a part points into
the whole text. Token counts are estimated, not tokenized: about 3.5 characters per token for
alphabetic scripts and one per character elsewhere (CJK), which errs on the side of smaller parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.ingest.sentences import Sentence


def estimated_tokens(text: str) -> int:
    """A conservative token estimate for ``text``."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E7F)  # CJK and beyond: about a token each
    return int((len(text) - wide) / 3.5 + wide) + 1


def split_parts(sentences: Sequence[Sentence], text: str, budget: int) -> list[list[Sentence]]:
    """Consecutive runs of sentences of at most ``budget`` estimated tokens each.

    A part ends at a paragraph break when one falls in its second half; a sentence longer than
    the budget is a part of its own (the caller decides whether it can be sent).
    """
    parts: list[list[Sentence]] = []
    current: list[Sentence] = []
    size = 0
    for sentence in sentences:
        cost = _cost(sentence)
        if current and size + cost > budget:
            cut = _paragraph_cut(current, text)
            parts.append(current[:cut])
            current = current[cut:]
            size = sum(_cost(s) for s in current)
        current.append(sentence)
        size += cost
    if current:
        parts.append(current)
    return parts


def _cost(sentence: Sentence) -> int:
    """A sentence's estimated tokens as the model sees it: its text and its "[S123] " label."""
    return estimated_tokens(sentence.text) + 4


def _paragraph_cut(run: list[Sentence], text: str) -> int:
    """Where to end the part: after the last paragraph break in the run's second half, else at its end."""
    for index in range(len(run) - 1, len(run) // 2 - 1, -1):
        if index + 1 < len(run) and "\n" in text[run[index].end : run[index + 1].start]:
            return index + 1
    return len(run)
