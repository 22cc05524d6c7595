"""Which sentences of the article could support a claim.

Sentences are ranked by the claim's content words they hold, each word weighted by how rare it
is in the article (inverse sentence frequency: "sanctions" tells more than "said"). Summaries
fuse sentences, so a window of two adjacent sentences competes with single ones, and the
evidence is the best window plus the next-best sentences up to :data:`EVIDENCE_SENTENCES`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.claims.facts import Facts

EVIDENCE_SENTENCES = 3
"""At most this many sentences are given as a claim's evidence."""


@dataclass(frozen=True)
class Weights:
    """Inverse sentence frequency of every word of the article, and the weight of a word it never uses."""

    of: dict[str, float]
    unseen: float

    def __call__(self, word: str) -> float:
        return self.of.get(word, self.unseen)


def word_weights(sentences: Sequence[Facts]) -> Weights:
    """How much each word tells, from how few of the article's sentences use it."""
    counts: Counter[str] = Counter()
    for facts in sentences:
        counts.update(facts.lemmas | facts.names)
    n = max(len(sentences), 1)
    return Weights({w: math.log(1 + n / c) for w, c in counts.items()}, math.log(1 + n))


def coverage(claim: Facts, held: frozenset[str] | set[str], weights: Weights) -> float:
    """The weighted share of the claim's content words that ``held`` holds (1.0 for a claim with none).

    The sums are exact (``math.fsum``): a set's order changes from one process to the next, and a
    float sum in that order could break a tie between two sentences differently on each run.
    """
    words = claim.lemmas | claim.names
    total = math.fsum(weights(w) for w in words)
    if not total:
        return 1.0
    return math.fsum(weights(w) for w in words if w in held) / total


_NUMBERS = 0.05
"""What stating all of a claim's numbers adds to a sentence's rank: enough to choose among sentences alike
in words ("Section 35 of the report examines..." among "Section 5...", "Section 17..."), never more."""


def _stated(claim: Facts, sentence: Facts) -> float:
    """The share of the claim's numbers that the sentence states."""
    return sum(v in sentence.numbers for v in claim.numbers) / len(claim.numbers) if claim.numbers else 0.0


def _words(facts: Facts) -> frozenset[str]:
    return facts.lemmas | facts.names


def find_evidence(claim: Facts, sentences: Sequence[Facts], weights: Weights) -> list[int]:
    """Indexes (0-based, in text order) of the sentences that could support ``claim``, best first."""
    if not sentences:
        return []
    shared = [coverage(claim, _words(s), weights) for s in sentences]
    single = [words + _NUMBERS * _stated(claim, s) for words, s in zip(shared, sentences, strict=True)]
    ranked = sorted(range(len(sentences)), key=lambda i: -single[i])
    best: list[int] = [ranked[0]]
    best_score = single[ranked[0]]
    for i in ranked[:EVIDENCE_SENTENCES]:
        for j in (i - 1, i + 1):
            if 0 <= j < len(sentences):
                pair = coverage(claim, _words(sentences[i]) | _words(sentences[j]), weights)
                if pair > best_score + 0.05:  # a pair must add words, not just repeat the best sentence's
                    best, best_score = [i, j], pair
    for i in ranked:
        if len(best) >= EVIDENCE_SENTENCES:
            break
        if i not in best and shared[i] > 0:  # a sentence shares words with the claim, not a number alone
            best.append(i)
    return best
