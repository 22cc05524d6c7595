"""The one seam between the briefing pipeline and any model.

A backend makes one attempt: it sends chat messages (retrying transient transport faults) and
returns a draft validated against the article, or the raw answer and its problems when
validation failed. Re-asks are the pipeline's job, so every backend gets them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from summarizer.drafts import Draft

D = TypeVar("D", bound=Draft)


@dataclass(frozen=True)
class StructuredCall(Generic[D]):
    """One structured request: messages plus the draft type the answer must validate as."""

    messages: list[dict[str, str]]
    response_model: type[D]
    ground: Any = field(repr=False)  # what the answer is checked against: an article, or a story's sources
    max_tokens: int


@dataclass(frozen=True)
class Answer(Generic[D]):
    """What came back: a validated draft, or the raw answer and what was wrong with it."""

    draft: D | None
    last_raw: str | None
    attempts: int
    input_tokens: int
    output_tokens: int
    problems: tuple[str, ...] = ()


class Backend(Protocol):
    """Anything that can fill a draft from messages; see :mod:`summarizer.backends.registry`."""

    @property
    def model_name(self) -> str:
        """The model as recorded in ``meta.model``."""
        ...

    @property
    def parallel_requests(self) -> int | None:
        """How many requests the server works on at once; None when it is not known to be limited."""
        ...

    @property
    def default_strategy(self) -> str:
        """``compress`` for small models, ``write`` for models that brief from the whole article, ``extractive``."""
        ...

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        """Estimated US dollars for these tokens; 0 for a local model, None when the price is not known."""
        ...

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        """One attempt at ``call.response_model``; transient faults retried, nothing re-asked."""
        ...

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        """The same, for asyncio."""
        ...

    def close(self) -> None:
        """Release clients and servers."""
        ...

    async def aclose(self) -> None:
        """Release them from inside the event loop the async calls ran in."""
        ...
