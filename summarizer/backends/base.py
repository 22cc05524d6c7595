"""The one seam between the briefing pipeline and any model.

A backend takes chat messages and a draft model and returns a validated draft, or the raw
last answer when validation still failed after the re-asks, so the pipeline can keep what is
grounded and drop the rest with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from summarizer.drafts import Draft
from summarizer.grounding import GroundedText

D = TypeVar("D", bound=Draft)


@dataclass(frozen=True)
class StructuredCall(Generic[D]):
    """One structured request: messages plus the draft type the answer must validate as."""

    messages: list[dict[str, str]]
    response_model: type[D]
    article: GroundedText
    max_reasks: int
    token_budget: int | None
    max_tokens: int


@dataclass(frozen=True)
class Answer(Generic[D]):
    """What came back: a validated draft, or the last raw answer that did not validate."""

    draft: D | None
    last_raw: str | None
    attempts: int
    input_tokens: int
    output_tokens: int
    error: str | None = None


class Backend(Protocol):
    """Anything that can fill a draft from messages; see :mod:`summarizer.backends.registry`."""

    @property
    def model_name(self) -> str:
        """The model as recorded in ``meta.model``."""
        ...

    @property
    def default_strategy(self) -> str:
        """``stepwise`` for small models, ``single`` for models that fill a briefing in one pass."""
        ...

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        """Fill ``call.response_model``; transient faults retried, validation re-asked."""
        ...

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        """The same, for asyncio."""
        ...

    def close(self) -> None:
        """Release clients and servers."""
        ...
