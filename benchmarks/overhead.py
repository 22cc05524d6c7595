"""Library overhead: CPU milliseconds per article spent in summarizer itself, the model stubbed out.

Run: ``python -m benchmarks.overhead [ARTICLES]`` (default 200). The stub model answers at once
from a process of its own, so this process's CPU time, with its NLP worker processes' (a digest
parses in them once parses overlap; counted when they end with the digest), is the library's:
reading and cleaning, the NLP stage (spaCy's parse, speakers, entities), building requests and
the HTTP client, validation and grounding with the claim parses, grouping, synthesis bookkeeping
and rendering. The NLP stage is shown on its own too: it is the one part that grew with the
article, by design.
"""

from __future__ import annotations

import resource
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.digests.render import render
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze
from summarizer.settings import Settings

from ._stub import stub_process, town_articles


def _cpu(work: Callable[[], object]) -> tuple[float, object]:
    started = _spent()
    result = work()
    return _spent() - started, result


def _spent() -> float:
    """CPU seconds of this process and of its children that ended (the stub model runs on: not counted)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    """Print the table."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp, stub_process(latency=0.0) as url:
        paths = town_articles(Path(tmp) / "articles", count)
        settings = Settings(model="stub", base_url=url, cache_dir=Path(tmp), models_dir=Settings.from_env().model_store)
        ingest, articles = _cpu(lambda: [Article.from_path(p, max_bytes=10**6) for p in paths])

        nlp = Summarizer(settings).nlp  # loaded once per process, outside the timing

        def segment() -> None:
            for article in articles:  # type: ignore[attr-defined]
                analyze(GroundedText(article.text), nlp)

        segmentation, _ = _cpu(segment)
        digest(paths[:5], settings=settings, cache=False)  # warm imports and the HTTP client
        total, result = _cpu(lambda: digest(paths, settings=settings, concurrency=8, cache=False))
        rendering, _ = _cpu(lambda: [render(result, fmt) for fmt in ("md", "html", "json")])  # type: ignore[arg-type]
    rows = [
        ("reading and cleaning", ingest),
        ("NLP stage: sentences, parse, quotes, speakers, entities", segmentation),
        ("a whole digest run (everything in the library and its NLP workers, model stubbed)", total),
        ("rendering md + html + json", rendering),
    ]
    print(f"| stage ({count} articles) | CPU ms per article |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000 / count:.2f} |")


if __name__ == "__main__":
    main()
