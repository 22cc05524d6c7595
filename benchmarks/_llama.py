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

from summarizer.backends.registry import local_server
from summarizer.client import Summarizer
from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, Speculation
from summarizer.settings import Settings, Strategy
from summarizer.testing.stub_model import StubModel, stub_model_server


@contextmanager
def embedded_server(
    slots: int = 1, model: str = DEFAULT_LOCAL_MODEL, speculation: Speculation | None = None, threads: int | None = None
) -> Iterator[tuple[str, Path]]:
    """An embedded model on loopback, served as ``local/<model>`` is; yields its base URL and weights."""
    server = local_server(model, Settings(speculation=speculation), slots=slots, threads=threads)
    try:
        yield server.base_url(), server.model_path
    finally:
        server.close()


@contextmanager
def recording_proxy(upstream: str) -> Iterator[StubModel]:
    """A loopback proxy to ``upstream`` that keeps every answer (``model.forwarded``)."""
    with stub_model_server(upstream=upstream) as proxy:
        yield proxy


def library_settings(proxy: StubModel, weights: Path, cache: Path, strategy: Strategy = "headline") -> Settings:
    """The embedded model's settings (the ``headline`` strategy by default, as for ``local/``), pointed at the proxy.

    The timeout is generous: on a busy machine a larger model's answer can take minutes, and a
    retry after a timeout would send the request again and count its tokens twice.
    """
    return Settings(model=weights.stem, base_url=proxy.url, strategy=strategy, cache_dir=cache, timeout=1800.0)


def brief_each(
    paths: list[Path],
    strategy: Strategy = "headline",
    *,
    model: str = DEFAULT_LOCAL_MODEL,
    speculation: Speculation | None = None,
    threads: int | None = None,
    out: Path | None = None,
) -> list[tuple[str, float, Spent]]:
    """Each article briefed in turn on a fresh embedded server: its name, wall time and llama.cpp's account.

    A server of its own: llama.cpp keeps earlier prompts in its cache, so a second pass over the
    same articles on one server would read them from there. With ``out``, each briefing is kept
    there as ``<article stem>.json`` (what the CLI's ``--format json`` prints), for the scorers.
    """
    rows = []
    with (
        embedded_server(model=model, speculation=speculation, threads=threads) as (url, weights),
        recording_proxy(url) as proxy,
        tempfile.TemporaryDirectory() as cache,
        Summarizer(library_settings(proxy, weights, Path(cache), strategy)) as summarizer,
    ):
        for path in paths:
            before = len(proxy.forwarded)
            started = time.perf_counter()
            briefing = summarizer.brief(path)
            rows.append((path.name, time.perf_counter() - started, Spent.of(proxy.forwarded[before:])))
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{path.stem}.json").write_text(briefing.model_dump_json(indent=2), encoding="utf-8")
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
    drafted: int = 0  # tokens guessed ahead by speculation (llama.cpp's draft_n)
    accepted: int = 0  # of those, the ones the model kept (draft_n_accepted)

    @classmethod
    def of(cls, answers: list[dict[str, Any]]) -> Spent:
        timings = [a.get("timings", {}) for a in answers]
        return cls(
            prompt_tokens=sum(a["usage"]["prompt_tokens"] for a in answers),
            prompt_processed=sum(int(t.get("prompt_n", 0)) for t in timings),
            completion_tokens=sum(a["usage"]["completion_tokens"] for a in answers),
            prompt_seconds=sum(float(t.get("prompt_ms", 0)) for t in timings) / 1000,
            generation_seconds=sum(float(t.get("predicted_ms", 0)) for t in timings) / 1000,
            drafted=sum(int(t.get("draft_n", 0)) for t in timings),
            accepted=sum(int(t.get("draft_n_accepted", 0)) for t in timings),
        )

    @property
    def seconds(self) -> float:
        """llama.cpp's own time for these requests: reading the prompts and generating."""
        return self.prompt_seconds + self.generation_seconds


def articles(folder: Path) -> list[Path]:
    """The article files in ``folder`` (a benchmark argument; the repository's fictional ones by default)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".txt", ".html", ".json"})
