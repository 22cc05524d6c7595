"""Batch throughput against a model with fixed latency: the digest vs plain instructor loops.

Run: ``python -m benchmarks.throughput [ARTICLES] [LATENCY]`` (defaults 500 and 0.5 s).
The stub model (its own process) answers every request after LATENCY seconds. Efficiency is the
ideal time (model calls x latency / concurrency) over the measured time. Concurrency 1 and the
sequential loop run on the first 50 articles only (they would take minutes) and are scaled.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import instructor
import openai

from summarizer.digests.api import digest
from summarizer.drafts import DraftSummary
from summarizer.grounding import GroundedText
from summarizer.ingest.loaders import load_article
from summarizer.prompting import default_prompts
from summarizer.settings import Settings

from ._stub import stub_process, town_articles

SLOW_SAMPLE = 50


def _messages(paths: list[Path]) -> list[list[dict[str, str]]]:
    prompts = default_prompts()
    articles = [load_article(p, max_bytes=10**6) for p in paths]
    return [prompts.messages("summary", GroundedText(a.text), a.title) for a in articles]


def sequential_loop(url: str, paths: list[Path]) -> float:
    """A plain instructor loop, one article after another."""
    client = instructor.from_openai(
        openai.OpenAI(base_url=url, api_key="x", max_retries=0), mode=instructor.Mode.JSON_SCHEMA
    )
    started = time.perf_counter()
    for messages in _messages(paths):
        client.chat.completions.create(model="stub", messages=messages, response_model=DraftSummary, max_retries=0)  # type: ignore[arg-type]
    return time.perf_counter() - started


def gather_with_semaphore(url: str, paths: list[Path], concurrency: int) -> float:
    """A plain ``asyncio.gather`` over instructor's async client, bounded by a semaphore."""

    async def run() -> None:
        raw = openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0, timeout=600)
        client = instructor.from_openai(raw, mode=instructor.Mode.JSON_SCHEMA)
        semaphore = asyncio.Semaphore(concurrency)

        async def one(messages: list[dict[str, str]]) -> None:
            async with semaphore:
                await client.chat.completions.create(
                    model="stub",
                    messages=messages,  # type: ignore[arg-type]
                    response_model=DraftSummary,
                    max_retries=0,
                )

        await asyncio.gather(*(one(m) for m in _messages(paths)))
        await raw.close()

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started


def _row(method: str, concurrency: int, articles: int, seconds: float, ideal: float) -> None:
    rate = articles / seconds
    print(f"| {method} | {concurrency} | {articles} | {seconds:.1f} | {rate:.1f} | {ideal / seconds:.2f} |", flush=True)


def main() -> None:
    """Print the table, a row as soon as it is measured (the sequential loop's rate is the last column's unit)."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    rows: list[tuple[str, int, int, float, float]] = []  # method, concurrency, articles, seconds, ideal
    with tempfile.TemporaryDirectory() as tmp, stub_process(latency) as url:
        paths = town_articles(Path(tmp) / "articles", count)
        settings = Settings(model="stub", base_url=url, cache_dir=Path(tmp), models_dir=Settings.from_env().model_store)
        for concurrency in (1, 8, 32, 128):
            batch = paths[:SLOW_SAMPLE] if concurrency == 1 else paths
            started = time.perf_counter()
            result = digest(batch, settings=settings, concurrency=concurrency, cache=False)
            seconds = time.perf_counter() - started
            rows.append(("summarizer digest", concurrency, len(batch), seconds,
                         result.meta.model_calls * latency / concurrency))  # fmt: skip
            _row(*rows[-1])
        sample = paths[:SLOW_SAMPLE]
        rows.append(("sequential instructor loop", 1, len(sample), sequential_loop(url, sample), len(sample) * latency))
        _row(*rows[-1])
        for concurrency in (8, 32, 128):
            seconds = gather_with_semaphore(url, paths, concurrency)
            rows.append(("asyncio.gather + semaphore", concurrency, count, seconds, count * latency / concurrency))
            _row(*rows[-1])
    sequential_rate = next(r[2] / r[3] for r in rows if r[0].startswith("sequential"))
    print(f"latency {latency} s per request\n")
    print("| method | concurrency | articles | seconds | articles/s | efficiency | x sequential |")
    print("|---|---|---|---|---|---|---|")
    for method, concurrency, articles, seconds, ideal in rows:
        rate = articles / seconds
        print(f"| {method} | {concurrency} | {articles} | {seconds:.1f} | {rate:.1f} | {ideal / seconds:.2f} | "
              f"{rate / sequential_rate:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
