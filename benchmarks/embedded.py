"""The embedded model: the library's time per article against llama.cpp's own, and 1 slot against several.

Run: ``python -m benchmarks.embedded [FOLDER]`` (default: the repository's fictional articles;
needs the ``local`` extra). The library briefs each article through a recording proxy, so the
wall time it takes can be set beside the prompt and generation time llama.cpp reports for the
very requests it made (ratio 1.0 would mean the library adds nothing). Then the same articles
are briefed concurrently on servers with 1 and 2 slots (requests in flight = slots).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from summarizer.client import Summarizer

from ._llama import Spent, articles, brief_each, embedded_server, library_settings, recording_proxy

FICTIONAL = Path(__file__).parent.parent / "tests" / "articles" / "digest"
SLOTS = (1, 2)  # 2 cores: more slots only split them further


def with_slots(paths: list[Path], slots: int) -> tuple[float, Spent]:
    """Wall time to brief every article with ``slots`` requests in flight on a ``slots``-slot server."""
    with (
        embedded_server(slots) as (url, weights),
        recording_proxy(url) as proxy,
        tempfile.TemporaryDirectory() as cache,
    ):

        async def all_of_them() -> None:
            gate = asyncio.Semaphore(slots)
            async with Summarizer(library_settings(proxy, weights, Path(cache))) as summarizer:

                async def one(path: Path) -> None:
                    async with gate:
                        await summarizer.abrief(path)

                await asyncio.gather(*(one(p) for p in paths))

        started = time.perf_counter()
        asyncio.run(all_of_them())
        return time.perf_counter() - started, Spent.of(proxy.forwarded)


def main() -> None:
    """Print both tables."""
    paths = articles(Path(sys.argv[1]) if len(sys.argv) > 1 else FICTIONAL)
    rows = brief_each(paths)
    print("| article | library s | llama.cpp s | ratio | prompt read (tok/s) | generated (tok/s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, wall, spent in rows:
        print(f"| {name[:28]} | {wall:.1f} | {spent.seconds:.1f} | {wall / spent.seconds:.2f} | "
              f"{spent.prompt_processed:,} ({spent.prompt_processed / spent.prompt_seconds:.0f}) | "
              f"{spent.completion_tokens:,} ({spent.completion_tokens / spent.generation_seconds:.1f}) |")  # fmt: skip
    wall = sum(r[1] for r in rows)
    llama = sum(r[2].seconds for r in rows)
    print(f"| **all {len(rows)}** | {wall:.1f} | {llama:.1f} | {wall / llama:.2f} | | |")
    print()
    print("| slots (= requests in flight) | wall s | articles/min | generated tok/s overall |")
    print("|---:|---:|---:|---:|")
    for slots in SLOTS:
        seconds, spent = with_slots(paths, slots)
        print(
            f"| {slots} | {seconds:.1f} | {60 * len(paths) / seconds:.2f} | {spent.completion_tokens / seconds:.1f} |"
        )


if __name__ == "__main__":
    main()
