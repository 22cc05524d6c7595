"""A claim's verdict: whether the evidence supports it, and a score to rank claims by.

Two outputs, because they answer two questions. ``supported`` is a verdict a writer can act on:
it fails only on a specific problem (a name or number the article or evidence lacks, a relation
it contradicts, an ``UNK`` token) or when the evidence lacks more than :data:`MOST` of the claim's
weighted content words. ``score`` ranks claims by how closely the evidence states them; it also
counts how far a claim rewords its evidence, which good abstractive writing does too (the
journalists' own highlights reword half their word pairs), so it never decides alone.

The score is a logistic model over :class:`~summarizer.claims.features.Features`, its weights
fitted on FRANK's validation half (``faithfulness-dev``: 75 CNN/DailyMail articles, 375 summaries
by five systems) by L2-penalised logistic regression (penalty 1.0, plain gradient descent) at the
sentence level, each summary sentence labelled with its summary's share of error-free sentences
(FRANK's ``factuality``). Five-fold cross-validation with whole articles held out gave the same
ranking quality as the fit (AUC 0.77 against 0.76 in-sample; README, "Checking claims").
:data:`MOST` was chosen on the same half, among the values that accept at least 80% of the
journalists' highlight sentences, for the best balanced accuracy (0.5 to 0.65 differ by 0.01).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from summarizer.claims.features import Features

BIAS = 1.63
WEIGHTS = {
    "novel_bigrams": -2.35,
    "missing_names": -0.72,
    "misplaced_names": -0.33,
    "missing_numbers": -0.29,
    "conflicts": -0.26,
    "unknown": -0.82,
}
"""Weight of each feature (named as :class:`Features`' fields) in the log-odds of an error-free claim."""
MOST = 0.6
"""A claim whose evidence lacks more than this share of its weighted content words is not supported."""


@dataclass(frozen=True)
class ClaimVerdict:
    """Whether the article supports one claim.

    ``score`` (0 to 1, higher = better supported) ranks claims; ``supported`` says whether the
    evidence supports it (the module's docstring says why the two differ). ``evidence`` holds the
    ids of the article's sentences the claim was compared with (best first) and ``problems`` what
    they do not support, in words.
    """

    claim: str
    supported: bool
    score: float
    evidence: tuple[int, ...]
    problems: tuple[str, ...]


def score(features: Features) -> float:
    """The probability-like score of a claim with these features."""
    logit = BIAS + sum(weight * float(getattr(features, name)) for name, weight in WEIGHTS.items())
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, logit))))


def supported(features: Features, problems: list[str]) -> bool:
    """The verdict: no specific problem, and the evidence holds most of the claim's words."""
    return not problems and features.missing_words <= MOST
