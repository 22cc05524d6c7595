"""One-shot calls: brief one article without keeping a :class:`~summarizer.client.Summarizer`.

They sit above the client (they build one per call), so the client does not import them.
"""

from __future__ import annotations

import openai

from summarizer._briefing.schema import Briefing
from summarizer._calls import Source, resolve_settings
from summarizer.client import Summarizer
from summarizer.settings import Settings


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
    async with Summarizer(resolve_settings(settings, model), async_client=async_client) as summarizer:
        return await summarizer.abrief(source, strict=strict, timeout=timeout)
