"""The briefing format, defined once.

These models are the contract with users: they are exported as JSON Schema files under
``schemas/`` (a test fails when a file drifts from its model) and every briefing the library
returns validates against them. Grounding is enforced here too: validated with the article as
context (``model_validate(data, context={"article": ...})``), a briefing whose quotes, evidence or
entities are not in the article is rejected, so nothing ungrounded can be constructed by accident.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer.grounding import GroundedText, occurs_in

SCHEMA_VERSION: Final = "1.0.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceMeta(_Model):
    """What the input said about itself; each field only when present."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    byline: str | None = None


class Evidence(_Model):
    """A sentence of the article, by id and exact text."""

    sentence_id: int = Field(ge=1)
    text: str


class KeyPoint(_Model):
    """One point of the briefing and the sentences it rests on."""

    text: str = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)


class EntityType(StrEnum):
    """Coarse entity types; ``other`` for whatever fits none of the three."""

    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    OTHER = "other"


class Entity(_Model):
    """A person, organization or place named in the article, with its name as written."""

    name: str = Field(min_length=1)
    type: EntityType
    role: str | None = Field(default=None, description="Role or title as the article states it.")


AttributionMethod = Literal["explicit", "pronoun", "description", "continuation", "unattributed"]


class Quote(_Model):
    """A verbatim direct quotation: ``text == article[start:end]``."""

    id: int = Field(ge=1)
    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence_ids: list[int] = Field(min_length=1)
    speaker: str = Field(description='As the article names or describes them, or "unattributed".')
    attribution: AttributionMethod = Field(description="How the speaker was found in the text.")


class Position(_Model):
    """What a main actor wants or holds, as the article reports it."""

    actor: str = Field(min_length=1)
    stance: str = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)


class Meta(_Model):
    """How the briefing was made: enough to reproduce it and to audit what was dropped."""

    model: str
    strategy: str
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    attempts: int = Field(ge=0, description="Model calls made, re-asks included.")
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    seconds: float = Field(ge=0)
    cost_usd: float | None = Field(
        default=None, ge=0, description="Estimated US dollars for the tokens, re-asks included; 0 for the embedded "
        "model, null when the model's price is not known.",
    )  # fmt: skip
    warnings: list[str] = Field(default_factory=list, description="What was dropped as ungrounded, and why.")


class Briefing(_Model):
    """A grounded briefing of one article."""

    schema_version: Literal["1.0.0"] = SCHEMA_VERSION
    source: SourceMeta
    headline: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="The bottom line in two or three sentences.")
    key_points: list[KeyPoint]
    entities: list[Entity]
    quotes: list[Quote]
    positions: list[Position]
    meta: Meta

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Briefing:
        article = (info.context or {}).get("article")
        if isinstance(article, GroundedText):
            problems = briefing_problems(self, article)
            if problems:
                raise ValueError("ungrounded briefing: " + "; ".join(problems))
        return self

    def to_markdown(self) -> str:
        """Render for people: email, chat, a terminal."""
        from summarizer.render import briefing_markdown

        return briefing_markdown(self)


def briefing_problems(briefing: Briefing, article: GroundedText) -> list[str]:
    """Everything in ``briefing`` that cannot be traced to ``article``; empty when grounded."""
    problems: list[str] = []
    evidence = [e for kp in briefing.key_points for e in kp.evidence]
    evidence += [e for p in briefing.positions for e in p.evidence]
    for item in evidence:
        if article.sentence_text(item.sentence_id) != item.text:
            problems.append(f"evidence S{item.sentence_id} does not match the article")
    for quote in briefing.quotes:
        if article.text[quote.start : quote.end] != quote.text:
            problems.append(f"quote {quote.id} is not verbatim at {quote.start}:{quote.end}")
        if quote.speaker != "unattributed" and not occurs_in(quote.speaker, article.text):
            problems.append(f"quote {quote.id}'s speaker {quote.speaker!r} is not named in the article")
    for entity in briefing.entities:
        if not occurs_in(entity.name, article.text):
            problems.append(f"entity {entity.name!r} is not named in the article")
    return problems
