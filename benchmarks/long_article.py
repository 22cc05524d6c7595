"""Brief the fictional 30,000-word article on the embedded model and check every citation.

Run: ``python -m benchmarks.long_article`` (needs the ``local`` extra; about 15 minutes on 2 cores).
Prints one table: words, parts, model calls, tokens, seconds, and how many citations resolve.
"""

from __future__ import annotations

import time

from summarizer._briefing.schema import Briefing
from summarizer.client import Summarizer
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.settings import Settings
from tests.long_article import long_article


def main() -> None:
    """Brief, verify and print; raises if the briefing is not grounded in the whole text."""
    article = Article.from_text(long_article())
    grounded = GroundedText(article.text)
    started = time.perf_counter()
    with Summarizer(Settings.from_env()) as client:
        briefing = client.brief(article)
    seconds = time.perf_counter() - started
    Briefing.model_validate(briefing.model_dump(), context={"article": grounded})  # raises if anything is off
    evidence = [e for p in briefing.key_points for e in p.evidence] + [
        e for p in briefing.positions for e in p.evidence
    ]
    resolved = sum(grounded.sentence_text(e.sentence_id) == e.text for e in evidence)
    quotes = sum(article.text[q.start : q.end] == q.text for q in briefing.quotes)
    rows = [
        ("words", f"{len(article.text.split()):,}"),
        ("sentences", f"{len(grounded.sentences):,}"),
        ("strategy", f"{briefing.meta.strategy}, {briefing.meta.parts} parts"),
        ("model calls", str(briefing.meta.attempts)),
        ("tokens in / out", f"{briefing.meta.input_tokens:,} / {briefing.meta.output_tokens:,}"),
        ("seconds", f"{seconds:.0f}"),
        (
            "key points",
            f"{len(briefing.key_points)} (sentences {min(e.sentence_id for e in evidence)}"
            f"-{max(e.sentence_id for e in evidence)})",
        ),
        ("citations resolving into the whole text", f"{resolved}/{len(evidence)}"),
        ("quotes verbatim", f"{quotes}/{len(briefing.quotes)}"),
        (
            "warnings (dropped)",
            f"{len(briefing.meta.warnings)} ({sum(w.severity == 'dropped' for w in briefing.meta.warnings)})",
        ),
    ]
    print("| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
