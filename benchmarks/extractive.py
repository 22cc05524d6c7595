"""The model-free mode: CPU seconds per article once the NLP model is loaded.

Run: ``python -m benchmarks.extractive [FOLDER]`` (default: the repository's fictional articles).
Each article is briefed with ``--model extractive`` on one client, after one warm-up brief that
loads spaCy's pipeline; the table gives each article's words, the process's CPU seconds and the
wall seconds of its brief. The goal is under 1 s of CPU for a 1,000-word article.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from summarizer.client import Summarizer
from summarizer.ingest.article import Article
from summarizer.settings import Settings

from ._llama import articles

FICTIONAL = Path(__file__).parent.parent / "tests" / "articles"


def main() -> None:
    """Print the table."""
    paths = articles(Path(sys.argv[1]) if len(sys.argv) > 1 else FICTIONAL)
    print("| article | words | CPU s | wall s |\n|---|---:|---:|---:|")
    with Summarizer(Settings(model="extractive")) as client:
        client.brief(paths[0])  # loads the NLP model
        for path in paths:
            words = len(Article.from_path(path, max_bytes=2_000_000).text.split())
            cpu, wall = time.process_time(), time.perf_counter()
            client.brief(path)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"| {path.name[:40]} | {words:,} | {cpu:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    main()
