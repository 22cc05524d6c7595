"""Grounded briefings of news articles with a language model.

Names are imported lazily so ``summarizer --help`` and ``import summarizer`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.client import Summarizer, abrief, brief
    from summarizer.errors import (
        BackendError,
        ConfigurationError,
        GroundingError,
        InputError,
        ModelFetchError,
        SummarizerError,
    )
    from summarizer.ingest.article import Article
    from summarizer.schema import Briefing
    from summarizer.settings import Settings

__all__ = [
    "Article",
    "BackendError",
    "Briefing",
    "ConfigurationError",
    "GroundingError",
    "InputError",
    "ModelFetchError",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "abrief",
    "brief",
]

_HOMES = {
    "Article": "summarizer.ingest.article",
    "Briefing": "summarizer.schema",
    "Settings": "summarizer.settings",
    "Summarizer": "summarizer.client",
    "abrief": "summarizer.client",
    "brief": "summarizer.client",
}


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(_HOMES.get(name, "summarizer.errors")), name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
