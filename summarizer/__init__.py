"""Grounded briefings of news articles with a language model.

Names are imported lazily so ``summarizer --help`` and ``import summarizer`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer._briefing.asking import RequestSlot
    from summarizer._briefing.prompting import Prompts
    from summarizer._briefing.schema import (
        AttributionMethod,
        Briefing,
        Entity,
        EntityType,
        Evidence,
        KeyPoint,
        Meta,
        Position,
        Quote,
        SourceMeta,
    )
    from summarizer._calls import Source
    from summarizer._oneshot import abrief, brief
    from summarizer.backends.base import Backend
    from summarizer.claims.api import check
    from summarizer.claims.verdict import ClaimVerdict
    from summarizer.client import Summarizer
    from summarizer.diagnostics import WarningCode, WarningEntry
    from summarizer.digests.api import adigest, digest
    from summarizer.digests.build import DigestProgress, ProgressCallback
    from summarizer.digests.grouping import GroupingOptions
    from summarizer.digests.schema import (
        Citation,
        Digest,
        DigestMeta,
        Link,
        NotIncluded,
        Statement,
        Story,
        StoryPosition,
        StoryQuote,
    )
    from summarizer.digests.schema import Source as DigestSource
    from summarizer.digests.sources import Briefed, DigestInput
    from summarizer.errors import (
        BackendError,
        ConfigurationError,
        FetchError,
        GroundingError,
        InputError,
        ModelFetchError,
        SummarizerError,
    )
    from summarizer.events import Event, EventHook
    from summarizer.ingest.article import Article
    from summarizer.local.catalog import Speculation
    from summarizer.local.weights import DownloadProgress
    from summarizer.retry import RetryPolicy
    from summarizer.settings import Settings, Strategy
    from summarizer.web.fetch import FetchOptions
    from summarizer.web.subscriptions import Feed

    __version__: str

__all__ = [
    "Article",
    "AttributionMethod",
    "Backend",
    "BackendError",
    "Briefed",
    "Briefing",
    "Citation",
    "ClaimVerdict",
    "ConfigurationError",
    "Digest",
    "DigestInput",
    "DigestMeta",
    "DigestProgress",
    "DigestSource",
    "DownloadProgress",
    "Entity",
    "EntityType",
    "Event",
    "EventHook",
    "Evidence",
    "Feed",
    "FetchError",
    "FetchOptions",
    "GroundingError",
    "GroupingOptions",
    "InputError",
    "KeyPoint",
    "Link",
    "Meta",
    "ModelFetchError",
    "NotIncluded",
    "Position",
    "ProgressCallback",
    "Prompts",
    "Quote",
    "RequestSlot",
    "RetryPolicy",
    "Settings",
    "Source",
    "SourceMeta",
    "Speculation",
    "Statement",
    "Story",
    "StoryPosition",
    "StoryQuote",
    "Strategy",
    "Summarizer",
    "SummarizerError",
    "WarningCode",
    "WarningEntry",
    "abrief",
    "adigest",
    "brief",
    "check",
    "digest",
]

_HOMES = {
    "Article": "summarizer.ingest.article",
    "AttributionMethod": "summarizer._briefing.schema",
    "Backend": "summarizer.backends.base",
    "Briefed": "summarizer.digests.sources",
    "Briefing": "summarizer._briefing.schema",
    "Citation": "summarizer.digests.schema",
    "ClaimVerdict": "summarizer.claims.verdict",
    "Digest": "summarizer.digests.schema",
    "DigestInput": "summarizer.digests.sources",
    "DigestMeta": "summarizer.digests.schema",
    "DigestProgress": "summarizer.digests.build",
    "DigestSource": "summarizer.digests.schema:Source",
    "DownloadProgress": "summarizer.local.weights",
    "Entity": "summarizer._briefing.schema",
    "Event": "summarizer.events",
    "EventHook": "summarizer.events",
    "EntityType": "summarizer._briefing.schema",
    "Evidence": "summarizer._briefing.schema",
    "Feed": "summarizer.web.subscriptions",
    "FetchOptions": "summarizer.web.fetch",
    "GroupingOptions": "summarizer.digests.grouping",
    "KeyPoint": "summarizer._briefing.schema",
    "Link": "summarizer.digests.schema",
    "Meta": "summarizer._briefing.schema",
    "NotIncluded": "summarizer.digests.schema",
    "Position": "summarizer._briefing.schema",
    "ProgressCallback": "summarizer.digests.build",
    "Prompts": "summarizer._briefing.prompting",
    "Quote": "summarizer._briefing.schema",
    "RequestSlot": "summarizer._briefing.asking",
    "RetryPolicy": "summarizer.retry",
    "Settings": "summarizer.settings",
    "Source": "summarizer._calls",
    "SourceMeta": "summarizer._briefing.schema",
    "Speculation": "summarizer.local.catalog",
    "Statement": "summarizer.digests.schema",
    "Story": "summarizer.digests.schema",
    "StoryPosition": "summarizer.digests.schema",
    "StoryQuote": "summarizer.digests.schema",
    "Strategy": "summarizer.settings",
    "Summarizer": "summarizer.client",
    "WarningCode": "summarizer.diagnostics",
    "WarningEntry": "summarizer.diagnostics",
    "abrief": "summarizer._oneshot",
    "adigest": "summarizer.digests.api",
    "brief": "summarizer._oneshot",
    "check": "summarizer.claims.api",
    "digest": "summarizer.digests.api",
}
"""Where each public name lives (``module:attribute`` when the name differs); the rest are errors."""


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the installed metadata (git tags via hatch-vcs) on first use only
        from importlib.metadata import version

        return version("summarizer")
    if name in __all__:
        module, _, attribute = _HOMES.get(name, "summarizer.errors").partition(":")
        return getattr(importlib.import_module(module), attribute or name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
