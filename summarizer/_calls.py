"""Small pieces of the Python API's calls: sync-over-async, the whole-call timeout, one-shot settings.

Kept apart from :mod:`summarizer.client` (which re-exports them) so that module stays one class.
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

import openai

from summarizer._briefing.schema import Briefing
from summarizer.errors import ConfigurationError
from summarizer.events import BriefDone, emit
from summarizer.ingest.article import Article
from summarizer.settings import Settings

T = TypeVar("T")

Source = str | bytes | Path | Article
"""What :meth:`Summarizer.brief` takes: article text (``str``, or ``bytes`` in UTF-8), or a file.

A file is a :class:`~pathlib.Path` or :meth:`Article.from_path`, never a ``str``: in a service a
string is what a user sent, and reading it as a path would let them read the server's files.
"""


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


def brief(
    source: Source,
    *,
    model: str | None = None,
    strict: bool | None = None,
    settings: Settings | None = None,
    client: openai.OpenAI | None = None,
    timeout: float | None = None,
) -> Briefing:
    """Brief one article. For many articles, keep a :class:`Summarizer` instead (one server start).

    ``strict`` and ``model``, when given, override ``settings``; without ``settings`` the
    environment's are used (:meth:`Settings.from_env`). ``timeout`` bounds the whole call
    (see :meth:`Summarizer.brief`).
    """
    from summarizer.client import Summarizer

    with Summarizer(resolve_settings(settings, model), client=client) as summarizer:
        return summarizer.brief(source, strict=strict, timeout=timeout)


async def abrief(
    source: Source,
    *,
    model: str | None = None,
    strict: bool | None = None,
    settings: Settings | None = None,
    async_client: openai.AsyncOpenAI | None = None,
    timeout: float | None = None,
) -> Briefing:
    """The asyncio form of :func:`brief`."""
    from summarizer.client import Summarizer

    async with Summarizer(resolve_settings(settings, model), async_client=async_client) as summarizer:
        return await summarizer.abrief(source, strict=strict, timeout=timeout)
