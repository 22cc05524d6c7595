"""The embedded llama.cpp server for benchmarks, seen through a recording proxy.

The library talks to the proxy (the stub model server forwarding upstream) exactly as to any
OpenAI-compatible server, and the proxy keeps llama.cpp's answers with their ``timings``, so a
benchmark can set the library's wall time beside llama.cpp's own account of the same requests.
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.client import Summarizer
from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
from summarizer.local.server import LocalServer
from summarizer.local.weights import ensure_weights
from summarizer.settings import Settings
from summarizer.testing.stub_model import StubModel, stub_model_server


@contextmanager
def embedded_server(slots: int = 1) -> Iterator[tuple[str, Path]]:
    """The default embedded model on loopback; yields its base URL and the weights' path."""
    weights = ensure_weights(KNOWN_MODELS[DEFAULT_LOCAL_MODEL], Settings().cache_dir)
    server = LocalServer(weights, slots=slots)
    try:
        yield server.base_url(), weights
    finally:
        server.close()


@contextmanager
def recording_proxy(upstream: str) -> Iterator[StubModel]:
    """A loopback proxy to ``upstream`` that keeps every answer (``model.forwarded``)."""
    with stub_model_server(upstream=upstream) as proxy:
        yield proxy


def library_settings(proxy: StubModel, weights: Path, cache: Path, strategy: str = "stepwise") -> Settings:
    """The embedded model's settings (stepwise by default, as for ``local/``), pointed at the proxy."""
    return Settings(model=weights.stem, base_url=proxy.url, strategy=strategy, cache_dir=cache)


def brief_each(paths: list[Path], strategy: str = "stepwise") -> list[tuple[str, float, Spent]]:
    """Each article briefed in turn on a fresh embedded server: its name, wall time and llama.cpp's account.

    A server of its own: llama.cpp keeps earlier prompts in its cache, so a second pass over the
    same articles on one server would read them from there.
    """
    rows = []
    with embedded_server() as (url, weights), recording_proxy(url) as proxy, tempfile.TemporaryDirectory() as cache:
        with Summarizer(library_settings(proxy, weights, Path(cache), strategy)) as summarizer:
            for path in paths:
                before = len(proxy.forwarded)
                started = time.perf_counter()
                summarizer.brief(path)
                rows.append((path.name, time.perf_counter() - started, Spent.of(proxy.forwarded[before:])))
    return rows


def count_tokens(base_url: str, text: str) -> int:
    """Tokens in ``text`` by the model's own tokenizer (llama.cpp's ``/tokenize``)."""
    root = base_url.rstrip("/").removesuffix("/v1")
    request = urllib.request.Request(
        f"{root}/tokenize", json.dumps({"content": text}).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 - loopback
        return len(json.loads(reply.read())["tokens"])


@dataclass(frozen=True)
class Spent:
    """What llama.cpp reports for a set of answers."""

    prompt_tokens: int  # the whole prompt of each request
    prompt_processed: int  # what was read anew: the rest came from the server's prompt cache
    completion_tokens: int
    prompt_seconds: float
    generation_seconds: float

    @classmethod
    def of(cls, answers: list[dict[str, Any]]) -> Spent:
        timings = [a.get("timings", {}) for a in answers]
        return cls(
            prompt_tokens=sum(a["usage"]["prompt_tokens"] for a in answers),
            prompt_processed=sum(int(t.get("prompt_n", 0)) for t in timings),
            completion_tokens=sum(a["usage"]["completion_tokens"] for a in answers),
            prompt_seconds=sum(float(t.get("prompt_ms", 0)) for t in timings) / 1000,
            generation_seconds=sum(float(t.get("predicted_ms", 0)) for t in timings) / 1000,
        )

    @property
    def seconds(self) -> float:
        """llama.cpp's own time for these requests: reading the prompts and generating."""
        return self.prompt_seconds + self.generation_seconds


def articles(folder: Path) -> list[Path]:
    """The article files in ``folder`` (a benchmark argument; the repository's fictional ones by default)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".txt", ".html", ".json"})
