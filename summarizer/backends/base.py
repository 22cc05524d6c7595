"""The one seam between the library and any model: a request goes out, raw JSON text comes back.

A backend knows nothing of briefings, drafts or grounding (as httpx's transport knows only
requests and responses): it sends chat messages asking for JSON that fits a pydantic model,
retrying transient transport faults, and returns the text, the tokens spent and whether the
answer was cut off. Validating the text, grounding it and re-asking are the re-ask engine's
(:mod:`summarizer._briefing.asking`), in one place for every backend. What the registry knows about a
model travels with the backend as one small frozen :class:`ModelInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel

from summarizer.cost import Pricing, unpriced


@dataclass(frozen=True)
class Request:
    """One model request: chat messages, the model the JSON answer must fit, an output token limit."""

    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    max_tokens: int


@dataclass(frozen=True)
class Reply:
    """What the model sent back, unjudged: its JSON text (None when it sent none) and what it cost.

    ``cut_off`` is true when the answer stopped at ``max_tokens``: the text is then unusable.
    """

    text: str | None
    input_tokens: int = 0
    output_tokens: int = 0
    cut_off: bool = False


@dataclass(frozen=True)
class ModelInfo:
    """What the registry knows about a model, beside how to reach it.

    ``name`` is recorded in ``meta.model``; ``default_strategy`` is the strategy used when the
    settings name none (``headline`` for the embedded models, ``write`` for models that brief
    from the whole article, ``extractive``); ``parallel_requests`` is how many requests the
    server works on at once (None when it is not known to be limited); ``pricing`` prices tokens.
    """

    name: str
    default_strategy: str
    parallel_requests: int | None = None
    pricing: Pricing = field(default=unpriced, compare=False)

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        """Estimated US dollars for these tokens; 0 for a local model, None when the price is not known."""
        return self.pricing(input_tokens, output_tokens)


class Backend(Protocol):
    """Anything that can send a :class:`Request` to a model; see :mod:`summarizer.backends.registry`."""

    @property
    def info(self) -> ModelInfo:
        """The model's name, default strategy, price and parallelism."""
        ...

    def send(self, request: Request) -> Reply:
        """One attempt at ``request``: transient faults retried, nothing validated or re-asked."""
        ...

    async def asend(self, request: Request) -> Reply:
        """The same, for asyncio."""
        ...

    def close(self) -> None:
        """Release clients and servers."""
        ...

    async def aclose(self) -> None:
        """Release them from inside the event loop the async calls ran in."""
        ...
