"""How the NLP stage's cost grows with the article: extractive briefs of one fictional text cut to size.

Run: ``python -m benchmarks.nlp_scaling [KB,KB,...]`` (default 25,50,100,200). Prints, for each
size, sentences, wall and CPU seconds of an extractive brief (no model: the NLP stage, key
sentences, assembly and the final grounding check), and the ratio to the first size. A linear
stage gives a ratio equal to the size ratio (100 KB / 25 KB: 4). Goal (issue 20): within 4x.
"""

from __future__ import annotations

import sys
import time

from summarizer.client import Summarizer
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.settings import Settings
from tests.long_article import long_article


def cut(text: str, kilobytes: int) -> str:
    """The first ``kilobytes`` KB of ``text``, ending at a line break."""
    head = text.encode()[: kilobytes * 1000].decode(errors="ignore")
    return head[: head.rfind("\n")]


def main() -> None:
    """Brief each size twice (the faster counts: the machine may be shared) and print the table."""
    sizes = [int(k) for k in (sys.argv[1] if len(sys.argv) > 1 else "25,50,100,200").split(",")]
    text = long_article(words=max(sizes) * 1000 // 5)  # about 6 bytes a word
    print("| size | sentences | seconds | CPU seconds | x first size (CPU) |\n|---|---|---|---|---|")
    first: float | None = None
    with Summarizer(Settings(model="extractive", max_input_bytes=10**8), nlp_processes=0) as summarizer:
        summarizer.brief(Article.from_text(cut(text, 3)))  # load the pipeline outside the timing
        for size in sizes:
            article = Article.from_text(cut(text, size), max_bytes=10**8)
            runs = []
            for _ in range(2):
                wall, cpu = time.perf_counter(), time.process_time()
                summarizer.brief(article)
                runs.append((time.perf_counter() - wall, time.process_time() - cpu))
            wall_s, cpu_s = min(runs, key=lambda r: r[1])
            first = first or cpu_s
            sentences = len(GroundedText(article.text).sentences)
            print(f"| {size} KB | {sentences:,} | {wall_s:.2f} | {cpu_s:.2f} | {cpu_s / first:.1f} |", flush=True)


if __name__ == "__main__":
    main()
