"""The digest's Python API: :func:`digest` and :func:`adigest`."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable

from summarizer.client import Summarizer
from summarizer.settings import Settings

from .build import Digester, ProgressCallback, Window
from .grouping import GroupingOptions
from .schema import Digest
from .sources import DigestInput
from .store import Store


async def adigest(
    inputs: Iterable[DigestInput],
    *,
    date: dt.date | None = None,
    since: dt.timedelta | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    concurrency: int = 4,
    grouping: GroupingOptions | None = None,
    cache: bool = True,
    on_progress: ProgressCallback | None = None,
) -> Digest:
    """The digest of ``inputs`` (paths, folders, globs, JSONL feeds, :class:`Article` or :class:`Briefed`).

    ``date`` keeps articles published that day, ``since`` those published within that span up
    to now; undated articles are always kept. Finished work is cached (``cache=False`` to
    bypass), so a second run over the same articles makes no model calls.
    """
    window = Window.chosen(date, since)
    chosen = settings or Settings.from_env(model=model)
    store = Store(chosen.store_path) if cache else None
    try:
        async with Summarizer(chosen) as summarizer:
            digester = Digester(summarizer, store, concurrency, grouping or GroupingOptions())
            if on_progress is not None:
                digester.on_progress = on_progress
            return await digester.build(inputs, date=date, window=window)
    finally:
        if store is not None:
            store.close()


def digest(
    inputs: Iterable[DigestInput],
    *,
    date: dt.date | None = None,
    since: dt.timedelta | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    concurrency: int = 4,
    grouping: GroupingOptions | None = None,
    cache: bool = True,
    on_progress: ProgressCallback | None = None,
) -> Digest:
    """The synchronous form of :func:`adigest` (do not call it from a running event loop)."""
    return asyncio.run(
        adigest(
            inputs,
            date=date,
            since=since,
            model=model,
            settings=settings,
            concurrency=concurrency,
            grouping=grouping,
            cache=cache,
            on_progress=on_progress,
        )  # fmt: skip
    )
