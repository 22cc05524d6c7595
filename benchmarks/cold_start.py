"""Cold start: wall time of ``summarizer --help`` and ``import summarizer`` (median of 7 runs).

Run: ``python -m benchmarks.cold_start``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7


def _median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Print the table."""
    cli = str(Path(sys.executable).with_name("summarizer"))
    rows = [
        ("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"]),
        ("python -c 'import summarizer'", [sys.executable, "-c", "import summarizer"]),
        ("summarizer --help", [cli, "--help"]),
        ("python -c 'import summarizer.client' (what brief needs)", [sys.executable, "-c", "import summarizer.client"]),
    ]
    print("| command | median seconds |\n|---|---|")
    for name, command in rows:
        print(f"| {name} | {_median_seconds(command):.3f} |")


if __name__ == "__main__":
    main()
