"""The claim checker's speed once the NLP model is loaded, and what a model's second opinion changes.

Run: ``python -m benchmarks.claims [FOLDER]``. FOLDER holds FRANK-style JSON files (``article`` and
``summaries`` with their ``sentences``, as ``../shared/corpus/faithfulness-dev``); without it the
fictional storm article is checked against a few of its own sentences, reworded. The article's
parse is timed apart from the claims (the briefing pipeline parses an article once anyway).
The goal is at most 20 ms per claim.

``--model SPEC [--limit N]`` (with FOLDER; the first N articles) also asks the model about every
claim that has evidence (:mod:`summarizer.claims.second_opinion`) and prints, as
``../shared/tools/faithfulness_score.py`` counts them (a summary's score is its lowest claim's, it
passes when all its claims do), the figures of the checker alone, of the model deciding the claims
of a score band, and of the model only able to reject, with the model's seconds per claim, after
each article (a long run can be stopped at any point).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

from summarizer._briefing.asking import ask
from summarizer.claims.api import checker_for
from summarizer.claims.second_opinion import Opinion, asked, question, with_opinion
from summarizer.claims.verdict import ClaimVerdict
from summarizer.client import Summarizer
from summarizer.ingest.article import Article
from summarizer.settings import Settings

STORM = Path(__file__).parent.parent / "tests" / "articles" / "storm_coast.txt"
REWORDED = [
    "A storm damaged 40 homes in Lowmere.",
    "Okafor praised the rescue crews for their heroic work.",
    "The firm admitted the allegations.",
    "The Castleton Owls beat the Lowmere Rovers.",
] * 10
BANDS = ((0.0, 1.0), (0.2, 0.8), (0.3, 0.7), (0.4, 0.6))
"""Score bands in which the model's opinion decides, compared in the --model table."""

Summary = tuple[str, float | None, list[int]]
"""A summary of the corpus: its system, FRANK's factuality (None for the journalists' highlights), its claims."""


Judged = list[tuple[list[ClaimVerdict], list[Opinion | None], list[Summary]]]
"""Each article's checker verdicts, the model's opinions (None where not asked) and its summaries."""


def _cases(folder: Path | None, limit: int | None) -> list[tuple[Article, list[str], list[Summary]]]:
    if folder is None:
        return [(Article.from_path(STORM), REWORDED, [])]
    cases = []
    for path in sorted(folder.glob("*.json"))[:limit]:
        record = json.loads(path.read_text(encoding="utf-8"))
        claims: list[str] = []
        summaries: list[Summary] = []
        for summary in record["summaries"]:
            summaries.append(
                (
                    summary["system"],
                    summary["factuality"],
                    list(range(len(claims), len(claims) + len(summary["sentences"]))),
                )
            )
            claims.extend(summary["sentences"])
        cases.append((Article.from_text(record["article"]), claims, summaries))
    return cases


def _auc(pos: list[float], neg: list[float]) -> float:
    """The chance a faithful summary scores above an unfaithful one, ties half."""
    pairs = [(p > n) + 0.5 * (p == n) for p in pos for n in neg]
    return sum(pairs) / len(pairs) if pairs else float("nan")


def _figures(judged: list[tuple[list[ClaimVerdict], list[Summary]]]) -> str:
    """AUC, balanced accuracy (all, BART's), highlights accepted: one table row's cells."""
    rows, highlights = [], []
    for verdicts, summaries in judged:
        for system, factuality, ids in summaries:
            mine = [verdicts[i] for i in ids]
            if not mine:
                continue
            if factuality is None:
                highlights += [v.supported for v in mine]
            else:
                rows.append((system, factuality == 1.0, min(v.score for v in mine), all(v.supported for v in mine)))

    def bacc(chosen: list[tuple[str, bool, float, bool]]) -> float:
        pos, neg = [r for r in chosen if r[1]], [r for r in chosen if not r[1]]
        return (sum(r[3] for r in pos) / max(1, len(pos)) + sum(not r[3] for r in neg) / max(1, len(neg))) / 2

    auc = _auc([r[2] for r in rows if r[1]], [r[2] for r in rows if not r[1]])
    bart = bacc([r for r in rows if r[0] == "bart"])
    return f"{auc:.3f} | {bacc(rows):.3f} | {bart:.3f} | {sum(highlights) / max(1, len(highlights)):.2f}"


def _speed(cases: list[tuple[Article, list[str], list[Summary]]]) -> None:
    with Summarizer(Settings.from_env()) as client:
        nlp = client.nlp
        checker_for(cases[0][0], nlp).check(cases[0][1][:1])  # warm-up
        parse = claims_time = 0.0
        count = 0
        for article, claims, _ in cases:
            started = time.perf_counter()
            checker = checker_for(article, nlp)
            parsed = time.perf_counter()
            checker.check(claims)
            parse += parsed - started
            claims_time += time.perf_counter() - parsed
            count += len(claims)
    print("| articles | claims | ms per article (parse) | ms per claim |\n|---:|---:|---:|---:|")
    print(f"| {len(cases)} | {count} | {1000 * parse / len(cases):.0f} | {1000 * claims_time / count:.1f} |")


def _second_opinions(cases: list[tuple[Article, list[str], list[Summary]]], model: str) -> None:
    """Ask the model about every claim with evidence, then compare the ways of using its answers."""
    settings = dataclasses.replace(Settings.from_env(), model=model)
    judged: Judged = []
    asked_count, spent = 0, 0.0
    with Summarizer(settings) as client:
        client.start()
        for article, claims, summaries in cases:
            checker = checker_for(article, client.nlp)
            verdicts = checker.check(claims)
            opinions: list[Opinion | None] = []
            for verdict in verdicts:
                started = time.perf_counter()
                call = question(checker.article, verdict, client.reask_bounds) if asked(verdict) else None
                opinions.append(ask([call], client.backend, client.reask_bounds)[0].draft if call else None)
                spent += time.perf_counter() - started
                asked_count += asked(verdict)
            judged.append((verdicts, opinions, summaries))
            _table(f"{model}: {len(judged)} of {len(cases)} articles", judged, asked_count, spent)


def _table(title: str, judged: Judged, asked_count: int, spent: float) -> None:
    """The figures so far (printed after each article: a long run can be stopped at any point)."""
    print(f"{title}, {asked_count} claims asked, {spent / max(1, asked_count):.1f} s per claim")
    print("| verdict | AUC | bacc | bacc BART | highlights |\n|---|---:|---:|---:|---:|")
    print(f"| checker alone | {_figures([(v, s) for v, _, s in judged])} |")
    for band in BANDS:
        decided = _heeding(judged, _within(band))
        print(f"| model decides scores {band[0]}-{band[1]} | {_figures(decided)} |")
    vetoed = _heeding(judged, lambda v, o: v.supported and not o.supported)
    print(f"| model may only reject | {_figures(vetoed)} |", flush=True)


def _heeding(
    judged: Judged, heeded: Callable[[ClaimVerdict, Opinion], bool]
) -> list[tuple[list[ClaimVerdict], list[Summary]]]:
    """The verdicts once the opinions ``heeded`` picks have decided their claims."""
    return [
        ([with_opinion(v, o) if o is not None and heeded(v, o) else v for v, o in zip(vs, os, strict=True)], s)
        for vs, os, s in judged
    ]


def _within(band: tuple[float, float]) -> Callable[[ClaimVerdict, Opinion], bool]:
    """Heed the opinions on the claims whose score lies in ``band``."""
    return lambda verdict, _: asked(verdict, band)


def main() -> None:
    """Print the figures as tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--model", help="also measure this model's second opinion (needs FOLDER)")
    parser.add_argument("--limit", type=int, help="only the first N articles of FOLDER")
    options = parser.parse_args()
    cases = _cases(options.folder, options.limit)
    if options.model:
        _second_opinions(cases, options.model)
    else:
        _speed(cases)


if __name__ == "__main__":
    main()
