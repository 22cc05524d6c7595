"""Grounded briefings of news articles with a language model.

Names are imported lazily so ``summarizer --help`` and ``import summarizer`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.client import Summarizer, abrief, brief
    from summarizer.digests.api import adigest, digest
    from summarizer.digests.schema import Digest
    from summarizer.digests.sources import Briefed
    from summarizer.errors import (
        BackendError,
        ConfigurationError,
        GroundingError,
        InputError,
        ModelFetchError,
        SummarizerError,
    )
    from summarizer.ingest.article import Article
    from summarizer.local.catalog import Speculation
    from summarizer.schema import Briefing
    from summarizer.settings import Settings

__all__ = [
    "Article",
    "BackendError",
    "Briefed",
    "Briefing",
    "ConfigurationError",
    "Digest",
    "GroundingError",
    "InputError",
    "ModelFetchError",
    "Settings",
    "Speculation",
    "Summarizer",
    "SummarizerError",
    "abrief",
    "adigest",
    "brief",
    "digest",
]

_HOMES = {
    "Article": "summarizer.ingest.article",
    "Briefed": "summarizer.digests.sources",
    "Briefing": "summarizer.schema",
    "Digest": "summarizer.digests.schema",
    "Settings": "summarizer.settings",
    "Speculation": "summarizer.local.catalog",
    "Summarizer": "summarizer.client",
    "abrief": "summarizer.client",
    "adigest": "summarizer.digests.api",
    "brief": "summarizer.client",
    "digest": "summarizer.digests.api",
}


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(_HOMES.get(name, "summarizer.errors")), name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
