"""The model-free backend: ``--model extractive`` briefs from the article's own words alone.

Quotes, speakers and entities come from the NLP stage as always; the lead stands as the
summary and the key sentences as key points (:mod:`summarizer._briefing.key_sentences`). No request is ever
made, so it needs no key, no server and no weights, and it is what a digest falls back to for
an article whose model still fails after its retries.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.backends.base import ModelInfo, Reply, Request
from summarizer.cost import free
from summarizer.errors import ConfigurationError

EXTRACTIVE = "extractive"


@dataclass(frozen=True)
class ExtractiveBackend:
    """A backend with no model: its strategy makes no calls."""

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(EXTRACTIVE, EXTRACTIVE, pricing=free)

    def send(self, request: Request) -> Reply:
        raise ConfigurationError(
            "the extractive mode makes no model calls; choose a model to use a strategy that writes "
            "(headline, summarize, compress or write), or leave the strategy unset"
        )

    async def asend(self, request: Request) -> Reply:
        return self.send(request)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
