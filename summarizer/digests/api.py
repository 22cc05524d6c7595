"""The digest's Python API: :func:`digest` and :func:`adigest`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import openai

from summarizer._calls import resolve_settings, run_sync
from summarizer.client import Summarizer
from summarizer.settings import Settings
from summarizer.web.fetch import FetchOptions

from .build import Digester, ProgressCallback
from .folders import FolderFilter
from .grouping import GroupingOptions
from .schema import Digest
from .selection import Window
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
    client: openai.OpenAI | None = None,
    async_client: openai.AsyncOpenAI | None = None,
    fetching: FetchOptions | None = None,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> Digest:
    """The digest of ``inputs`` (paths, folders, globs, JSONL feeds, http(s) feeds and pages, :class:`Article`...).

    ``date`` keeps articles published that day, ``since`` those published within that span up
    to now; undated articles are always kept. Finished work is cached (``cache=False`` to
    bypass), so a second run over the same articles makes no model calls. ``model`` overrides
    ``settings``' model; without ``settings`` the environment's are used. ``client`` /
    ``async_client``: configured SDK clients to send requests through (see :class:`Summarizer`).
    ``fetching``: how web addresses are fetched (timeouts, delays, limits; see :class:`FetchOptions`).
    ``include`` / ``exclude``: globs choosing the files of folder inputs (by name, or by path below
    the folder); by default the article files (``*.txt``, ``*.md``, ``*.html``, ``*.json``...)
    without sidecars such as ``story.gold.json`` beside ``story.txt`` (see
    :mod:`summarizer.digests.folders`). Files named outright are always read.
    """
    folders = FolderFilter.of(include, exclude)
    window = Window.chosen(date, since)
    chosen = resolve_settings(settings, model)
    store = Store(chosen.store_path) if cache else None
    try:
        async with Summarizer(chosen, client=client, async_client=async_client) as summarizer:
            digester = Digester(
                summarizer, store, concurrency, grouping or GroupingOptions(), fetching=fetching, folders=folders
            )
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
    client: openai.OpenAI | None = None,
    async_client: openai.AsyncOpenAI | None = None,
    fetching: FetchOptions | None = None,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> Digest:
    """The synchronous form of :func:`adigest`; it works inside a running event loop too (Jupyter)."""
    return run_sync(
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
            client=client,
            async_client=async_client,
            fetching=fetching,
            include=include,
            exclude=exclude,
        )  # fmt: skip
    )
