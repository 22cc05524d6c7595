"""How long a trivial coroutine waits for the event loop while briefs run on it (issue 20, item 5).

Run: ``python -m benchmarks.event_loop [BRIEFS] [LATENCY]`` (defaults 20 and 0.5 s). A service's
health endpoint is a coroutine that does nothing: here a ticker sleeps 10 ms again and again,
and its lateness (woken later than asked) is what such an endpoint would wait. BRIEFS articles
(fictional, 5 to 40 KB) are briefed concurrently with ``abrief`` against the stub model (its own
process) on a fresh Summarizer started with ``astart`` as a service would: the NLP stage, the
requests and assembly all run meanwhile. Prints p50, p99 and the largest lateness. Goal: p99 under 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from summarizer.client import Summarizer
from summarizer.ingest.article import Article
from summarizer.settings import Settings
from tests.long_article import long_article

from ._stub import stub_process


async def _measure(summarizer: Summarizer, articles: list[Article]) -> list[float]:
    lateness: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(0.01)
            lateness.append(time.perf_counter() - asked - 0.01)

    tick = asyncio.create_task(ticker())
    await asyncio.gather(*(summarizer.abrief(a) for a in articles))
    done.set()
    await tick
    return lateness


def main() -> None:
    """Print the table."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    text = long_article(words=8_000)
    sizes = [5, 10, 20, 40]
    articles = [
        Article.from_text(text.encode()[: sizes[i % 4] * 1000].decode(errors="ignore").rsplit("\n", 1)[0] + f"\n{i}")
        for i in range(count)
    ]
    with tempfile.TemporaryDirectory() as tmp, stub_process(latency) as url:
        settings = Settings(model="stub", base_url=url, cache_dir=Path(tmp), models_dir=Settings.from_env().model_store)
        summarizer = Summarizer(settings)

        async def run() -> list[float]:
            async with summarizer:
                await summarizer.astart()  # as a service does at startup: backend, server, NLP workers
                return await _measure(summarizer, articles)

        started = time.perf_counter()
        lateness = sorted(asyncio.run(run()))
        seconds = time.perf_counter() - started
    p50 = statistics.median(lateness)
    p99 = lateness[min(len(lateness) - 1, int(0.99 * len(lateness)))]
    print(f"{count} briefs in {seconds:.1f} s, {len(lateness)} ticks\n")
    print("| loop lateness | ms |\n|---|---|")
    for name, value in (("p50", p50), ("p99", p99), ("max", lateness[-1])):
        print(f"| {name} | {value * 1000:.1f} |")


if __name__ == "__main__":
    main()
