"""A small batch engine: sends a batch input file to an OpenAI-compatible server, writes the results.

It stands in for the OpenAI Batch API or vLLM's ``run_batch`` where neither is at hand (tests,
the embedded model): each line's ``body`` is POSTed once to the server, and each outcome is
written as one result line, answers and failures alike, the way vLLM writes them (a failure
has an ``error`` and a non-200 ``response``). ``shuffle`` writes them in a random order, as
OpenAI may. Run ``python -m summarizer.batch.runner REQUESTS RESULTS --base-url URL``.
"""

from __future__ import annotations

import argparse
import json
import random
import urllib.error
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from summarizer.batch.files import CHAT_COMPLETIONS, write_lines
from summarizer.testing.stub_model import post_chat_completion


def run_batch(
    requests: Path, results: Path, base_url: str, *, workers: int = 1, shuffle: int | None = None, timeout: float = 600
) -> int:
    """Answer every request in ``requests`` into ``results``; returns how many failed."""
    lines = [json.loads(line) for line in requests.read_text(encoding="utf-8").splitlines() if line.strip()]
    with ThreadPoolExecutor(max(workers, 1)) as pool:
        outcomes = list(pool.map(lambda line: _send(base_url, line, timeout), lines))
    if shuffle is not None:
        random.Random(shuffle).shuffle(outcomes)
    write_lines(results, outcomes)
    return sum(outcome["error"] is not None for outcome in outcomes)


def _send(base_url: str, line: dict[str, Any], timeout: float) -> dict[str, Any]:
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    if line.get("url") != CHAT_COMPLETIONS or line.get("method") != "POST":
        return _failed(line, request_id, 400, f"only POST {CHAT_COMPLETIONS} is supported")
    try:
        body = post_chat_completion(base_url, line["body"], timeout=timeout)
    except urllib.error.HTTPError as exc:
        return _failed(line, request_id, exc.code, exc.read().decode(errors="replace")[:500])
    except (OSError, ValueError) as exc:
        return _failed(line, request_id, 500, f"{type(exc).__name__}: {exc}")
    return {"id": f"batch-{request_id}", "custom_id": line["custom_id"], "error": None,
            "response": {"status_code": 200, "request_id": request_id, "body": body}}  # fmt: skip


def _failed(line: dict[str, Any], request_id: str, status: int, message: str) -> dict[str, Any]:
    return {"id": f"batch-{request_id}", "custom_id": line.get("custom_id", ""), "error": message,
            "response": {"status_code": status, "request_id": request_id, "body": None}}  # fmt: skip


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("requests", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--workers", type=int, default=1, help="requests in flight")
    parser.add_argument("--shuffle", type=int, default=None, help="write results in a random order (seed)")
    options = parser.parse_args()
    failed = run_batch(options.requests, options.results, options.base_url, workers=options.workers,
                       shuffle=options.shuffle)  # fmt: skip
    print(f"{options.results}: {failed} failed")


if __name__ == "__main__":
    main()
