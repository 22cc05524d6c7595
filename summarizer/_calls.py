"""Small pieces of the Python API's calls: reading a source, sync-over-async, the whole-call timeout, settings.

Kept apart from :mod:`summarizer.client` so that module stays one class, and below it: the one-shot
calls (:mod:`summarizer._oneshot`) and the digest use these without importing each other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import math
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from summarizer._briefing.schema import Briefing
from summarizer.errors import ConfigurationError, InputError
from summarizer.events import BriefDone, emit
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import check_text_size
from summarizer.settings import Settings

T = TypeVar("T")

Source = str | bytes | Path | Article
"""What :meth:`Summarizer.brief` takes: article text (``str``, or ``bytes`` in UTF-8), or a file.

A file is a :class:`~pathlib.Path` or :meth:`Article.from_path`, never a ``str``: in a service a
string is what a user sent, and reading it as a path would let them read the server's files.
"""


def read_source(source: Source, max_bytes: int) -> Article:
    """The :class:`Article` of any accepted source, held to ``max_bytes`` (:meth:`Summarizer.read` says how)."""
    if isinstance(source, Article):
        check_text_size(source.text, max_bytes, "the article's text")
        return source
    if isinstance(source, Path):
        return Article.from_path(source, max_bytes=max_bytes)
    if isinstance(source, str):
        return Article.from_text(source, max_bytes=max_bytes)
    if isinstance(source, bytes):
        try:
            return Article.from_text(source.decode("utf-8"), max_bytes=max_bytes)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"the article bytes are not UTF-8 text ({exc.reason} at byte {exc.start}): decode them "
                "yourself and pass the str, or pass the file as a pathlib.Path to have its encoding detected"
            ) from exc
    raise TypeError(
        f"cannot brief a {type(source).__name__}: pass article text as a str (or UTF-8 bytes), "
        "a file as a pathlib.Path or summarizer.Article.from_path(path), or a summarizer.Article"
    )


def done(briefing: Briefing, started: float) -> Briefing:
    """Report a finished briefing to the hooks and the log (:class:`~summarizer.events.BriefDone`), and pass it on."""
    meta = briefing.meta
    emit(BriefDone(time.perf_counter() - started, meta.attempts, meta.input_tokens, meta.output_tokens,
                   len(meta.warnings)))  # fmt: skip
    return briefing


def check_timeout(timeout: float) -> None:
    """A ConfigurationError for a whole-call timeout that is not a positive number of seconds."""
    if not (math.isfinite(timeout) and timeout > 0):
        raise ConfigurationError(f"timeout must be a positive number of seconds, not {timeout}")


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` to the end from synchronous code, whether or not this thread runs an event loop.

    ``asyncio.run`` refuses to start inside a running loop (Jupyter, an async web handler); there
    the work gets a loop of its own in a worker thread, and this call waits for it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if not running:  # outside the except block: an error of the work must not chain "no running event loop"
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarizer-sync") as pool:
        return pool.submit(asyncio.run, work).result()


def resolve_settings(settings: Settings | None, model: str | None) -> Settings:
    """What a one-shot call runs with: ``settings`` (else the environment's), ``model`` over its model."""
    chosen = settings if settings is not None else Settings.from_env()
    return chosen if model is None else dataclasses.replace(chosen, model=model)
