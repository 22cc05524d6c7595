"""How long a trivial coroutine waits for the event loop while briefs run on it (issue 20, item 5).

Run: ``python -m benchmarks.event_loop [BRIEFS] [LATENCY]`` (defaults 20 and 0.5 s). A service's
health endpoint is a coroutine that does nothing: here a ticker sleeps 10 ms again and again,
and its lateness (woken later than asked) is what such an endpoint would wait. BRIEFS articles
(fictional, 5 to 40 KB) are briefed concurrently with ``abrief`` against the stub model (its own
process) on a fresh Summarizer started with ``astart`` as a service would: the NLP stage, the
requests and assembly all run meanwhile. Prints p50, p99 and the largest lateness. Goal: p99 under 50 ms.

The stall log says what held the loop up: a watchdog thread looks at the loop's thread whenever
a tick is more than 50 ms late and notes where it stood (its innermost frames of this library,
else its innermost frame: ``select`` there means the loop was ready but waited for the GIL).
Also printed: CPU ms per brief in this process and in the NLP worker processes.
"""

from __future__ import annotations

import asyncio
import collections
import resource
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from summarizer.client import Summarizer
from summarizer.ingest.article import Article
from summarizer.settings import Settings
from tests.long_article import long_article

from ._stub import stub_process

STALL = 0.05


def _where(frame: object) -> str:
    """The innermost frames of this library in a stack (else its innermost frame), as one line."""
    stack = traceback.extract_stack(frame)  # type: ignore[arg-type]
    ours = [f for f in stack if "/summarizer/" in f.filename]
    shown = ours[-2:] if ours else stack[-1:]
    return " < ".join(f"{Path(f.filename).name}:{f.name}" for f in reversed(shown))


class _StallLog:
    """A watchdog on the loop's thread: where it stood each time a tick was more than ``STALL`` late."""

    def __init__(self) -> None:
        self.places: collections.Counter[str] = collections.Counter()
        self.last_tick = time.perf_counter()
        self._thread_id = threading.get_ident()
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _StallLog:
        self._watch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._watch.join()

    def _run(self) -> None:
        noted = 0.0
        while not self._stop.wait(0.005):
            tick = self.last_tick
            if time.perf_counter() - tick > STALL + 0.01 and noted != tick:
                noted = tick  # one note per stall
                frame = sys._current_frames().get(self._thread_id)
                if frame is not None:
                    self.places[_where(frame)] += 1


async def _measure(summarizer: Summarizer, articles: list[Article], stalls: _StallLog) -> list[float]:
    lateness: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            asked = time.perf_counter()
            stalls.last_tick = asked
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

        cpu: list[float] = []
        stalls_seen: collections.Counter[str] = collections.Counter()

        async def run() -> list[float]:
            async with summarizer:
                await summarizer.astart()  # as a service does at startup: backend, server, NLP workers
                cpu.append(time.process_time())
                with _StallLog() as stalls:
                    lateness = await _measure(summarizer, articles, stalls)
                cpu.append(time.process_time())
                stalls_seen.update(stalls.places)
            return lateness

        started = time.perf_counter()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        lateness = sorted(asyncio.run(run()))
        seconds = time.perf_counter() - started
        ended = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers ended with the summarizer
    workers = ended.ru_utime + ended.ru_stime - children.ru_utime - children.ru_stime
    p50 = statistics.median(lateness)
    p99 = lateness[min(len(lateness) - 1, int(0.99 * len(lateness)))]
    here = (cpu[1] - cpu[0]) * 1000 / count
    print(f"{count} briefs in {seconds:.1f} s, {len(lateness)} ticks; CPU ms per brief: {here:.0f} in this process, "
          f"{workers * 1000 / count:.0f} in the NLP workers (their start included)\n")  # fmt: skip
    print("| loop lateness | ms |\n|---|---|")
    for name, value in (("p50", p50), ("p99", p99), ("max", lateness[-1])):
        print(f"| {name} | {value * 1000:.1f} |")
    print(f"\nticks late by more than {STALL * 1000:.0f} ms: {sum(x > STALL for x in lateness)}; where the loop stood:")
    for place, times in stalls_seen.most_common(8):
        print(f"- {times} x {place}")


if __name__ == "__main__":
    main()
