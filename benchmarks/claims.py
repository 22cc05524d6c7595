"""The claim checker's speed once the NLP model is loaded: milliseconds per claim, in-process.

Run: ``python -m benchmarks.claims [FOLDER]``. FOLDER holds FRANK-style JSON files (``article`` and
``summaries`` with their ``sentences``, as ``../shared/corpus/faithfulness-dev``); without it the
fictional storm article is checked against a few of its own sentences, reworded. The article's
parse is timed apart from the claims (the briefing pipeline parses an article once anyway).
The goal is at most 20 ms per claim.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from summarizer.claims.api import checker_for
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


def _cases(folder: Path | None) -> list[tuple[Article, list[str]]]:
    if folder is None:
        return [(Article.from_path(STORM), REWORDED)]
    cases = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        claims = [s for summary in record["summaries"] for s in summary["sentences"]]
        cases.append((Article.from_text(record["article"]), claims))
    return cases


def main() -> None:
    """Print the figures as one table."""
    cases = _cases(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    with Summarizer(Settings.from_env()) as client:
        nlp = client.nlp
        checker_for(cases[0][0], nlp).check(cases[0][1][:1])  # warm-up
        parse = claims_time = 0.0
        count = 0
        for article, claims in cases:
            started = time.perf_counter()
            checker = checker_for(article, nlp)
            parsed = time.perf_counter()
            checker.check(claims)
            parse += parsed - started
            claims_time += time.perf_counter() - parsed
            count += len(claims)
    print("| articles | claims | ms per article (parse) | ms per claim |\n|---:|---:|---:|---:|")
    print(f"| {len(cases)} | {count} | {1000 * parse / len(cases):.0f} | {1000 * claims_time / count:.1f} |")


if __name__ == "__main__":
    main()
