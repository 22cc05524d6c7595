"""Batch throughput against a model with fixed latency: the digest vs plain instructor loops.

Run: ``python -m benchmarks.throughput [ARTICLES] [LATENCY]`` (defaults 500 and 0.5 s).
The stub model (its own process) answers every request after LATENCY seconds. Efficiency is the
ideal time (model calls x latency / concurrency) over the measured time. Concurrency 1 and the
sequential loop run on the first 50 articles only (they would take minutes) and are scaled.

On a shared machine the wall figures move with the load; the CPU columns do not: milliseconds
of CPU per article in this process (the event loop, requests, validation, assembly) and in the
digest's NLP worker processes (the NLP stage and the claim parses; their start included).
Compare rows of the same run.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import instructor
import openai

from summarizer._briefing.drafts import WriteDraft
from summarizer._briefing.prompting import default_prompts
from summarizer.digests.api import digest
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.settings import Settings

from ._stub import stub_process, town_articles

SLOW_SAMPLE = 50


def _messages(paths: list[Path]) -> list[list[dict[str, str]]]:
    prompts = default_prompts()
    articles = [Article.from_path(p, max_bytes=10**6) for p in paths]
    return [prompts.messages("write", GroundedText(a.text), a.title) for a in articles]  # the default strategy's step


def sequential_loop(url: str, paths: list[Path]) -> float:
    """A plain instructor loop, one article after another."""
    client = instructor.from_openai(
        openai.OpenAI(base_url=url, api_key="x", max_retries=0), mode=instructor.Mode.JSON_SCHEMA
    )
    started = time.perf_counter()
    for messages in _messages(paths):
        client.chat.completions.create(model="stub", messages=messages, response_model=WriteDraft, max_retries=0)  # type: ignore[arg-type]
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
                    response_model=WriteDraft,
                    max_retries=0,
                )

        await asyncio.gather(*(one(m) for m in _messages(paths)))
        await raw.close()

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started


Row = tuple[str, int, int, float, float, float, float]  # method, concurrency, articles, seconds, ideal, CPU ms x2


def _none(_: object) -> None:
    """A plain loop makes one model call per article: ``_timed`` counts them itself."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ended children only: the workers stop with the digest
    return usage.ru_utime + usage.ru_stime


def _timed(method: str, concurrency: int, articles: int, work: Callable[[], int | None], latency: float) -> Row:
    """Run ``work`` (which returns its model calls, or None for one per article) and measure it."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    calls = work()
    seconds = time.perf_counter() - wall
    here, there = (time.process_time() - cpu) * 1000 / articles, (_children_cpu() - children) * 1000 / articles
    ideal = (articles if calls is None else calls) * latency / concurrency
    row = (method, concurrency, articles, seconds, ideal, here, there)
    print(f"| {method} | {concurrency} | {articles} | {seconds:.1f} | {articles / seconds:.1f} | {ideal / seconds:.2f} "
          f"| {here:.1f} | {there:.1f} |", flush=True)  # fmt: skip
    return row


def main() -> None:
    """Print the table, a row as soon as it is measured (the sequential loop's rate is the last column's unit)."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp, stub_process(latency) as url:
        paths = town_articles(Path(tmp) / "articles", count)
        settings = Settings(model="stub", base_url=url, cache_dir=Path(tmp), models_dir=Settings.from_env().model_store)
        sample = paths[:SLOW_SAMPLE]
        digest(paths[:8], settings=settings, concurrency=8, cache=False)  # imports and the pipeline, outside the rows

        def digest_of(batch: list[Path], concurrency: int) -> Callable[[], int]:
            return lambda: digest(batch, settings=settings, concurrency=concurrency, cache=False).meta.model_calls

        for concurrency in (1, 8, 32, 128):
            batch = sample if concurrency == 1 else paths
            rows.append(_timed("summarizer digest", concurrency, len(batch), digest_of(batch, concurrency), latency))
        rows.append(_timed("sequential instructor loop", 1, len(sample), lambda: _none(sequential_loop(url, sample)),
                           latency))  # fmt: skip
        for concurrency in (8, 32, 128):
            work = (lambda c: lambda: _none(gather_with_semaphore(url, paths, c)))(concurrency)
            rows.append(_timed("asyncio.gather + semaphore", concurrency, count, work, latency))
    sequential_rate = next(r[2] / r[3] for r in rows if r[0].startswith("sequential"))
    print(f"latency {latency} s per request; load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| method | concurrency | articles | seconds | articles/s | efficiency | x sequential "
          "| CPU ms/article here | in NLP workers |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for method, concurrency, articles, seconds, ideal, here, there in rows:
        rate = articles / seconds
        print(f"| {method} | {concurrency} | {articles} | {seconds:.1f} | {rate:.1f} | {ideal / seconds:.2f} | "
              f"{rate / sequential_rate:.1f} | {here:.1f} | {there:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
