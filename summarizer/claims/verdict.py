"""A claim's verdict: whether the evidence supports it, and a score to rank claims by.

Two outputs, because they answer two questions. ``supported`` is a verdict a writer can act on:
it fails on a specific problem (a name or number the article or evidence lacks, a relation it
contradicts, an ``UNK`` token), when the evidence lacks more than :data:`MOST` of the claim's
weighted content words, or when the claim copies its evidence's wording (under :data:`COPIED` of
its word pairs new) yet links words its evidence holds, but no single sentence of it holds
together (over :data:`JOINED` of its links; a word the evidence lacks is rewording, not
stitching): a copy stitched from two sentences, the commonest error of the extractive-style
summarisers FRANK judged; or when such a copy puts a number with a word of its evidence that
the evidence does not count with it (a number moved to another fact); or when it is a fragment,
with no verb of a tense, no modal and no participle ("Aston Villa in the final", "Click here for
..."): it states nothing whole to support, and FRANK's annotators mark such lines as errors (a
headline's participle, "Watchdog investigating staff", is a predicate). The fragment is the
verdict's, not a problem: a model's headline or key point may be one. ``score`` ranks claims
by how closely the evidence states them; it also counts how far a claim rewords its evidence,
which good abstractive writing does too (the journalists' own highlights reword half their
word pairs), so rewording never decides alone.

The score is a logistic model over :class:`~summarizer.claims.features.Features`, its weights
fitted on FRANK's validation half (``faithfulness-dev``: 75 CNN/DailyMail articles, 375 summaries
by five systems) at the summary level, as the benchmark judges: a summary's log-odds of being
error-free is the soft minimum (temperature 1/4) of its sentences' log-odds, L2-penalised (1.0),
plain gradient descent (3,000 steps of 0.5). Five-fold cross-validation holding out whole
articles (three seeded fold draws, weights and the two bounds below refitted on four folds)
gave AUC 0.801 against 0.828 in-sample. :data:`COPIED` and :data:`JOINED` were chosen on the
same half, on a grid, for the best balanced accuracy among the values that accept at least 80%
of the journalists' highlight sentences (cross-validated: 0.740 against 0.752 in-sample);
:data:`MOST` was chosen that way before them (0.6); since a fragment fails, no summary's verdict
on that half changes from 0.6 to 1.0, and 0.8 accepts 9 more highlight sentences than 0.6 while a
claim the article does not make still fails. docs/quality.md has the figures and the commands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.claims.features import Features

BIAS = 0.94
WEIGHTS = {
    "novel_bigrams": -0.83,
    "missing_names": -0.98,
    "missing_numbers": -0.29,
    "conflicts": -1.31,
    "unknown": -0.27,
    "missing_arcs": -0.96,
    "apart_arcs": -1.00,
    "single_missing": -1.44,
    "miscounted": -1.45,
    "length": 0.77,
    "fragment": -1.77,
}
"""Weight of each feature (named as :class:`Features`' fields) in the log-odds of an error-free claim."""
MOST = 0.8
"""A claim whose evidence lacks more than this share of its weighted content words is not supported."""
COPIED = 0.25
"""A claim with fewer than this share of word pairs its evidence never writes copies its evidence's wording."""
JOINED = 0.1
"""A copy with more than this share of links between evidence words no one evidence sentence holds is stitched."""


@dataclass(frozen=True)
class ClaimVerdict:
    """Whether the article supports one claim.

    ``score`` (0 to 1, higher = better supported) ranks claims; ``supported`` says whether the
    evidence supports it (the module's docstring says why the two differ). ``evidence`` holds the
    ids of the article's sentences the claim was compared with (best first) and ``problems`` what
    they do not support, in words. ``model_opinion`` is a model's verdict where one was asked
    (:mod:`~summarizer.claims.second_opinion`), else ``None``.
    """

    claim: str
    supported: bool
    score: float
    evidence: tuple[int, ...]
    problems: tuple[str, ...]
    model_opinion: bool | None = None


def score(features: Features) -> float:
    """The probability-like score of a claim with these features."""
    logit = BIAS + sum(weight * float(getattr(features, name)) for name, weight in WEIGHTS.items())
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, logit))))


def stitched(features: Features, copied: float = COPIED, joined: float = JOINED) -> bool:
    """Whether the claim copies its evidence's words but joins what the evidence says apart."""
    return features.novel_bigrams < copied and features.split_arcs > joined


def miscounted(features: Features, copied: float = COPIED) -> bool:
    """Whether the claim copies its evidence's words but puts a number with a word the evidence does not."""
    return features.novel_bigrams < copied and features.miscounted > 0


def supported(features: Features, problems: Sequence[str], copied: float = COPIED, joined: float = JOINED) -> bool:
    """The verdict: no specific problem, no fragment, the evidence holds most of its words, no stitched or moved copy.

    ``copied`` and ``joined`` are the bounds (:data:`COPIED`, :data:`JOINED`); the fit
    (``benchmarks/claims_fit.py``) tries others.
    """
    return (
        not problems
        and not features.fragment
        and features.missing_words <= MOST
        and not stitched(features, copied, joined)
        and not miscounted(features, copied)
    )
