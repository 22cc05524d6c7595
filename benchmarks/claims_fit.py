"""How the claim checker's score weights and stitched-copy bounds were fitted, and their cross-validated figures.

Run: ``python -m benchmarks.claims_fit ../shared/corpus/faithfulness-dev`` (FRANK's validation half;
its README gives the format). Every summary sentence is compared with its article in-process (the
code the CLI runs), then:

- the weights of :data:`summarizer.claims.verdict.WEIGHTS` are fitted at the summary level, as the
  scorer judges: a summary's log-odds of being error-free is the soft minimum (temperature 1/4) of
  its sentences' log-odds; L2 penalty 1.0, 3,000 steps of plain gradient descent (step 0.5);
- :data:`~summarizer.claims.verdict.COPIED` and :data:`~summarizer.claims.verdict.JOINED` are chosen
  on a grid for the best balanced accuracy among the pairs that accept at least 80% of the
  journalists' highlight sentences;
- five folds of whole articles (three seeded draws) refit both on four folds and judge the fifth.

It prints the fitted weights and the figures in-sample (the shipped weights and bounds) and
cross-validated. The journalists' highlights (system ``reference``) are never fitted on.
"""

from __future__ import annotations

import functools
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from summarizer.claims import verdict
from summarizer.claims.api import checker_for
from summarizer.claims.evidence import find_evidence
from summarizer.claims.facts import read_facts
from summarizer.claims.features import Features, measure
from summarizer.client import Summarizer
from summarizer.ingest.article import Article
from summarizer.settings import Settings

Array = npt.NDArray[np.float64]
TEMPERATURE = 0.25
COPIED_GRID = (0.2, 0.25, 0.3, 0.35, 0.4)
JOINED_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


@dataclass(frozen=True)
class Sentence:
    """One summary sentence as the checker measured it."""

    features: Features
    problems: tuple[str, ...]  # specific problems (a name, number, relation...): they fail it whatever the bounds


@dataclass(frozen=True)
class Summary:
    """One summary: its article, its system, whether annotators found it error-free, its sentences."""

    article: int
    system: str
    faithful: bool
    sentences: tuple[Sentence, ...]


def _measured(folder: Path) -> list[Summary]:
    summaries: list[Summary] = []
    with Summarizer(Settings.from_env()) as client:
        for number, path in enumerate(sorted(folder.glob("*.json"))):
            record = json.loads(path.read_text(encoding="utf-8"))
            checker = checker_for(client.read(Article.from_text(record["article"])), client.nlp)
            ground = checker.ground
            for summary in record["summaries"]:
                sentences = []
                for doc in client.nlp.pipe(summary["sentences"]):
                    claim = read_facts(doc)
                    features, problems = measure(claim, find_evidence(claim, ground.sentences, ground.weights), ground)
                    sentences.append(Sentence(features, tuple(problems)))
                faithful = summary["factuality"] == 1.0
                summaries.append(Summary(number, summary["system"], faithful, tuple(sentences)))
    return summaries


def _passes(sentence: Sentence, copied: float, joined: float) -> bool:
    return verdict.supported(sentence.features, sentence.problems, copied, joined)


def _auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return float(wins / (len(pos) * len(neg)))


def _figures(
    summaries: Sequence[Summary], passes: Callable[[Sentence], bool], score: Callable[[Sentence], float]
) -> dict[str, float]:
    judged = [s for s in summaries if s.system != "reference"]
    ok = {id(s): all(passes(x) for x in s.sentences) for s in judged}
    low = {id(s): min(score(x) for x in s.sentences) for s in judged}

    def bacc(group: Sequence[Summary]) -> float:
        kept = np.mean([ok[id(s)] for s in group if s.faithful])
        caught = np.mean([not ok[id(s)] for s in group if not s.faithful])
        return float(kept + caught) / 2

    highlights = [passes(x) for s in summaries if s.system == "reference" for x in s.sentences]
    return {
        "auc": _auc([low[id(s)] for s in judged if s.faithful], [low[id(s)] for s in judged if not s.faithful]),
        "bacc": bacc(judged),
        "bart": bacc([s for s in judged if s.system == "bart"]),
        "highlights": float(np.mean(highlights)),
    }


def _fit(summaries: Sequence[Summary]) -> tuple[float, Array]:
    """Bias and weights of the summary-level logistic model (soft minimum of the sentences' log-odds)."""
    judged = [s for s in summaries if s.system != "reference"]
    x = np.array([[float(getattr(t.features, n)) for n in verdict.WEIGHTS] for s in judged for t in s.sentences])
    sizes = [len(s.sentences) for s in judged]
    starts = np.cumsum([0, *sizes[:-1]])
    segment = np.repeat(np.arange(len(judged)), sizes)
    y = np.array([float(s.faithful) for s in judged])
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(3000):
        logit = bias + x @ weights
        lowest = np.minimum.reduceat(logit, starts)
        spread = np.exp(-(logit - lowest[segment]) / TEMPERATURE)
        total = np.add.reduceat(spread, starts)
        soft = lowest - TEMPERATURE * np.log(total)
        error = 1 / (1 + np.exp(-soft)) - y
        weights -= 0.5 * ((error[segment] * spread / total[segment]) @ x + weights) / len(y)
        bias -= 0.5 * float(error.mean())
    return bias, weights


def _bounds(summaries: Sequence[Summary]) -> tuple[float, float]:
    """The (COPIED, JOINED) pair with the best balanced accuracy that accepts 80% of the highlight sentences."""
    best: tuple[float, float, float] | None = None
    for copied in COPIED_GRID:
        for joined in JOINED_GRID:
            found = _figures(summaries, functools.partial(_passes, copied=copied, joined=joined), lambda t: 0.0)
            if found["highlights"] >= 0.8 and (best is None or found["bacc"] > best[0]):
                best = (found["bacc"], copied, joined)
    assert best is not None, "no bounds accept 80% of the highlights"
    return best[1], best[2]


def _scorer(bias: float, weights: Array) -> Callable[[Sentence], float]:
    return lambda t: bias + float(np.dot(weights, [float(getattr(t.features, n)) for n in verdict.WEIGHTS]))


def _cross_validated(summaries: Sequence[Summary], seed: int) -> dict[str, float]:
    articles = sorted({s.article for s in summaries})
    random.Random(seed).shuffle(articles)
    fold = {a: k % 5 for k, a in enumerate(articles)}
    passes: dict[int, bool] = {}
    scores: dict[int, float] = {}
    for k in range(5):
        train = [s for s in summaries if fold[s.article] != k]
        score = _scorer(*_fit(train))
        copied, joined = _bounds(train)
        for sentence in (t for s in summaries if fold[s.article] == k for t in s.sentences):
            passes[id(sentence)] = _passes(sentence, copied, joined)
            scores[id(sentence)] = score(sentence)
    return _figures(summaries, lambda t: passes[id(t)], lambda t: scores[id(t)])


def main() -> None:
    """Print the fitted weights, then the figures in-sample and cross-validated."""
    summaries = _measured(Path(sys.argv[1]))
    bias, weights = _fit(summaries)
    print(
        f"fitted: BIAS = {bias:.2f}, "
        + ", ".join(f"{n} {w:.2f}" for n, w in zip(verdict.WEIGHTS, weights, strict=True))
    )
    shipped = _figures(
        summaries, lambda t: _passes(t, verdict.COPIED, verdict.JOINED), lambda t: verdict.score(t.features)
    )
    runs = [_cross_validated(summaries, seed) for seed in range(3)]
    print(
        "| figures | AUC | balanced accuracy | BART alone | highlight sentences accepted |\n|---|---:|---:|---:|---:|"
    )
    for name, found in [("in-sample (shipped)", shipped), *((f"CV, seed {i}", r) for i, r in enumerate(runs))]:
        print(
            f"| {name} | {found['auc']:.3f} | {found['bacc']:.3f} | {found['bart']:.3f} | {found['highlights']:.3f} |"
        )
    mean = {key: float(np.mean([r[key] for r in runs])) for key in runs[0]}
    print(f"| CV, mean | {mean['auc']:.3f} | {mean['bacc']:.3f} | {mean['bart']:.3f} | {mean['highlights']:.3f} |")


if __name__ == "__main__":
    main()
