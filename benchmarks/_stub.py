"""The stub model server in a process of its own, so its CPU time is not counted as the library's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def stub_process(latency: float) -> Iterator[str]:
    """Start ``python -m summarizer.testing.stub_model``; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer.testing.stub_model", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def town_articles(folder: Path, count: int) -> list[Path]:
    """Fictional one-paragraph articles, each about its own town (none are duplicates or one story)."""
    folder.mkdir(parents=True, exist_ok=True)
    events = ["opened a footbridge", "closed a cinema", "elected a mayor", "flooded", "won a cup", "built a school"]
    paths = []
    for i in range(count):
        town = f"Town{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{i // 676}ville"
        event = events[i % len(events)]
        path = folder / f"{i:04d}.txt"
        path.write_text(
            f"Title: {town} {event}\n\n{town} {event} on Monday, the {town} Courier reported.\n"
            f'Mayor Ana Ruiz{i} said {i + 2} residents took part. "It was a good day for {town}," Ruiz{i} said.\n',
            encoding="utf-8",
        )
        paths.append(path)
    return paths
