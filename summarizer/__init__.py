"""Grounded briefings of news articles with a language model.

Names are imported lazily so ``summarizer --help`` and ``import summarizer`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.backends.base import Backend
    from summarizer.client import Summarizer, abrief, brief
    from summarizer.diagnostics import WarningCode, WarningEntry
    from summarizer.digests.api import adigest, digest
    from summarizer.digests.build import Progress as DigestProgress
    from summarizer.digests.grouping import GroupingOptions
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
    from summarizer.prompting import Prompts
    from summarizer.retry import RetryPolicy
    from summarizer.schema import Briefing
    from summarizer.settings import Settings

__all__ = [
    "Article",
    "Backend",
    "BackendError",
    "Briefed",
    "Briefing",
    "ConfigurationError",
    "Digest",
    "DigestProgress",
    "GroundingError",
    "GroupingOptions",
    "InputError",
    "ModelFetchError",
    "Prompts",
    "RetryPolicy",
    "Settings",
    "Speculation",
    "Summarizer",
    "SummarizerError",
    "WarningCode",
    "WarningEntry",
    "abrief",
    "adigest",
    "brief",
    "digest",
]

_HOMES = {
    "Article": "summarizer.ingest.article",
    "Backend": "summarizer.backends.base",
    "Briefed": "summarizer.digests.sources",
    "Briefing": "summarizer.schema",
    "Digest": "summarizer.digests.schema",
    "DigestProgress": "summarizer.digests.build:Progress",
    "GroupingOptions": "summarizer.digests.grouping",
    "Prompts": "summarizer.prompting",
    "RetryPolicy": "summarizer.retry",
    "Settings": "summarizer.settings",
    "Speculation": "summarizer.local.catalog",
    "Summarizer": "summarizer.client",
    "WarningCode": "summarizer.diagnostics",
    "WarningEntry": "summarizer.diagnostics",
    "abrief": "summarizer.client",
    "adigest": "summarizer.digests.api",
    "brief": "summarizer.client",
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
