"""The briefing format, defined once.

These models are the contract with users: they are exported as JSON Schema files under
``schemas/`` (a test fails when a file drifts from its model) and every briefing the library
returns validates against them. Grounding is enforced here too: validated with the article as
context (``model_validate(data, context={"article": ...})``), a briefing whose quotes, evidence or
entities are not in the article is rejected, so nothing ungrounded can be constructed by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer.diagnostics import WarningCode, WarningEntry, messages
from summarizer.grounding import GroundedText, occurs_in

SCHEMA_VERSION: Final = "2.0.0"
"""Major: a change a reader of the JSON must adapt to (2.0.0: ``meta.warnings`` became structured)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceMeta(_Model):
    """What the input said about itself; each field only when present."""

    title: str | None = Field(default=None, description="The article's title as the input gave it.")
    outlet: str | None = Field(default=None, description="The publication, as the input named it.")
    url: str | None = Field(default=None, description="Where the article was published, as the input gave it.")
    published: dt.date | None = Field(default=None, description="Publication date, as the input stated it.")
    byline: str | None = Field(default=None, description="The author line, as the input gave it.")


class Evidence(_Model):
    """A sentence of the article, by id and exact text."""

    sentence_id: int = Field(ge=1, description="The sentence's number in the article, from 1 (S1, S2, ...).")
    text: str = Field(description="The sentence exactly as it stands in the article.")


class KeyPoint(_Model):
    """One point of the briefing and the sentences it rests on."""

    text: str = Field(min_length=1, description="The point in one sentence.")
    evidence: list[Evidence] = Field(min_length=1, description="The article sentences that state it.")


class EntityType(StrEnum):
    """Coarse entity types; ``other`` for whatever fits none of the three."""

    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    OTHER = "other"


class Entity(_Model):
    """A person, organization or place named in the article, with its name as written."""

    name: str = Field(min_length=1, description="The name as the article writes it (its fullest form).")
    type: EntityType = Field(description="person, organization, place or other.")
    role: str | None = Field(default=None, description="Role or title as the article states it.")


AttributionMethod = Literal["explicit", "pronoun", "description", "continuation", "unattributed"]


class Quote(_Model):
    """A verbatim direct quotation: ``text == article[start:end]``."""

    id: int = Field(ge=1, description="Number of the quotation in the briefing, from 1, in article order.")
    text: str = Field(min_length=1, description="The quoted words, verbatim, without the quotation marks.")
    start: int = Field(ge=0, description="Offset of the first character of text in the cleaned article text.")
    end: int = Field(ge=0, description="Offset just past the last character: text == article[start:end].")
    sentence_ids: list[int] = Field(min_length=1, description="The article sentences the quotation spans.")
    speaker: str = Field(description='As the article names or describes them, or "unattributed".')
    attribution: AttributionMethod = Field(
        description="How the speaker was found: explicit (named with a speech verb), pronoun or description "
        "(resolved to a name), continuation (the previous quotation's speaker), unattributed."
    )


class Position(_Model):
    """What a main actor wants or holds, as the article reports it."""

    actor: str = Field(min_length=1, description="The person or organization, as the article names them.")
    stance: str = Field(min_length=1, description="What they want or hold, in a sentence.")
    evidence: list[Evidence] = Field(min_length=1, description="The article sentences that report it.")


class Meta(_Model):
    """How the briefing was made: enough to reproduce it and to audit what was dropped."""

    model: str = Field(description='The model that wrote it: a registry name, "openai/<model>", or "extractive".')
    strategy: str = Field(description="What the model was asked to write: extractive, headline, summarize, "
                          "compress or write.")  # fmt: skip
    parts: int = Field(default=1, ge=1, description="Requests the article was split into (write strategy, "
                       "long articles); 1 otherwise.")  # fmt: skip
    prompt_version: str = Field(description="Hash of the prompt templates; a change redoes cached briefings.")
    schema_version: str = Field(default=SCHEMA_VERSION, description="The version of this format.")
    attempts: int = Field(ge=0, description="Model calls made, re-asks included.")
    input_tokens: int = Field(ge=0, description="Prompt tokens of every call, re-asks included.")
    output_tokens: int = Field(ge=0, description="Completion tokens of every call, re-asks included.")
    seconds: float = Field(ge=0, description="Wall-clock seconds from the start of the brief (NLP stage, model "
                           "calls, assembly), reading the input excluded.")  # fmt: skip
    cost_usd: float | None = Field(
        default=None, ge=0, description="Estimated US dollars for the tokens, re-asks included; 0 for the embedded "
        "model, null when the model's price is not known.",
    )  # fmt: skip
    warnings: list[WarningEntry] = Field(
        default_factory=list,
        description="Everything worth knowing about how it was made: what was dropped or withheld, what was "
        "repaired, what stands in for the model's text. Each entry's code says which.",
    )


class Briefing(_Model):
    """A grounded briefing of one article."""

    model_config = ConfigDict(
        json_schema_extra={
            "$id": f"https://summarizer.invalid/schemas/briefing-{SCHEMA_VERSION}.schema.json",
            "x-schema-version": SCHEMA_VERSION,
        }
    )

    schema_version: Literal["2.0.0"] = Field(default=SCHEMA_VERSION, description="The version of this format.")
    source: SourceMeta = Field(description="What the input said about itself.")
    headline: str = Field(min_length=1, description="One line that says what happened.")
    summary: str = Field(min_length=1, description="The bottom line in two or three sentences.")
    key_points: list[KeyPoint] = Field(description="The main facts, in article order, each with its evidence.")
    entities: list[Entity] = Field(description="People, organizations and places the article names.")
    quotes: list[Quote] = Field(description="Direct quotations, verbatim, with their speakers.")
    positions: list[Position] = Field(description="What the main actors want or hold (write strategy only).")
    meta: Meta = Field(description="How it was made.")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Briefing:
        article = (info.context or {}).get("article")
        if isinstance(article, GroundedText):
            problems = [p.warning for p in briefing_problems(self, article)]
            if problems:
                raise ValueError("ungrounded briefing: " + messages(problems))
        return self

    def to_markdown(self) -> str:
        """Render for people: email, chat, a terminal."""
        from summarizer._briefing.render import briefing_markdown

        return briefing_markdown(self)


@dataclass(frozen=True)
class Problem:
    """An item the final check refuses: where it is (``field``, ``index``) and the warning that says why."""

    field: Literal["key_points", "positions", "quotes", "entities"]
    index: int
    warning: WarningEntry


def briefing_problems(briefing: Briefing, article: GroundedText) -> Iterator[Problem]:
    """Everything in ``briefing`` that cannot be traced to ``article``; nothing when grounded.

    The one statement of the final check's rules: the validator reports what it yields, and
    assembly drops (or, for a speaker, repairs) exactly the items it names.
    """
    dropped = WarningCode.DROPPED_FINAL_CHECK
    cited: list[tuple[Literal["key_points", "positions"], list[list[Evidence]]]] = [
        ("key_points", [p.evidence for p in briefing.key_points]),
        ("positions", [p.evidence for p in briefing.positions]),
    ]
    for field, evidence in cited:
        for index, items in enumerate(evidence):
            bad = [e.sentence_id for e in items if article.sentence_text(e.sentence_id) != e.text]
            if bad:
                message = f"{field}[{index}]: evidence {', '.join(f'S{i}' for i in bad)} does not match the article"
                yield Problem(field, index, WarningEntry.of(dropped, f"{field}[{index}]", message, bad))
    for index, quote in enumerate(briefing.quotes):
        where = f"quotes[{index}]"
        if article.text[quote.start : quote.end] != quote.text:
            message = f"quote {quote.id} is not verbatim at {quote.start}:{quote.end}"
            yield Problem("quotes", index, WarningEntry.of(dropped, where, message, quote.sentence_ids))
        elif quote.speaker != "unattributed" and not occurs_in(quote.speaker, article.text):
            message = f"quote {quote.id}'s speaker {quote.speaker!r} is not named in the article"
            code = WarningCode.REPAIRED_SPEAKER
            yield Problem("quotes", index, WarningEntry.of(code, where, message, quote.sentence_ids))
    for index, entity in enumerate(briefing.entities):
        if not occurs_in(entity.name, article.text):
            message = f"entity {entity.name!r} is not named in the article"
            yield Problem("entities", index, WarningEntry.of(dropped, f"entities[{index}]", message))
