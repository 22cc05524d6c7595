"""The model-free backend: ``--model extractive`` briefs from the article's own words alone.

Quotes, speakers and entities come from the NLP stage as always; the lead stands as the
summary and the key sentences as key points (:mod:`summarizer.extractive`). No request is ever
made, so it needs no key, no server and no weights, and it is what a digest falls back to for
an article whose model still fails after its retries.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.backends.base import Answer, D, StructuredCall
from summarizer.errors import ConfigurationError

EXTRACTIVE = "extractive"


@dataclass(frozen=True)
class ExtractiveBackend:
    """A backend with no model: its strategy makes no calls."""

    @property
    def model_name(self) -> str:
        return EXTRACTIVE

    @property
    def parallel_requests(self) -> int | None:
        return None

    @property
    def default_strategy(self) -> str:
        return EXTRACTIVE

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        return 0.0

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        raise ConfigurationError(
            "the extractive mode makes no model calls; choose a model to use a strategy that writes (compress, write)"
        )

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        return self.complete(call)

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""
