"""Shared wiring for digest tests: settings pointing at the stub model, the fictional articles."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from summarizer.retry import NO_RETRIES
from summarizer.settings import Settings

DIGEST_ARTICLES = Path(__file__).parent / "articles" / "digest"
STRIKE = {"calder_herald_strike.txt", "northshore_times_strike.txt", "coastal_wire_strike.txt"}


def stub_settings(url: str, cache: Path) -> Settings:
    """Settings for the stub model server; a cache of the test's own."""
    return Settings(model="stub", base_url=url, cache_dir=cache, retry=NO_RETRIES, timeout=10)


def copy_articles(target: Path) -> Path:
    """The fictional digest articles in a folder a test may add files to."""
    shutil.copytree(DIGEST_ARTICLES, target)
    return target


@contextmanager
def refused_url() -> Iterator[str]:
    """A loopback base URL that refuses connections for sure: a port bound but never listening."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{bound.getsockname()[1]}/v1"
