"""What the model is asked to fill: small answers that refer to the article by sentence id.

The model never copies article text. It names sentence ids (``[S4]``); the library fills in the
exact sentences, and quotes come from deterministic detection, so evidence and quotes are
verbatim by construction. Each draft knows how to check itself against the article:
validation with the article as context raises (and instructor re-asks with the errors); after
the last re-ask, :meth:`Draft.grounded` keeps what is grounded and reports what it dropped.
``Field`` descriptions reach the model inside the JSON Schema, so they are prompt text too.
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer.grounding import GroundedText, anchor_statement, fold, missing_numbers, occurs_in


class Draft(BaseModel):
    """Base of every model answer: grounded on validation when an article is in context."""

    model_config = ConfigDict(extra="ignore")

    def grounded(self, ground: Any) -> tuple[Self, list[str]]:
        """A copy without ungrounded items, and one warning per item dropped.

        ``ground`` is what the answer must be traced to: the article for a briefing's drafts,
        the member sources for a story's. Key points come back re-anchored to the sentences
        that actually state them.
        """
        raise NotImplementedError

    @model_validator(mode="after")
    def _check_grounding(self, info: ValidationInfo) -> Self:
        """With ground in context, the validated draft is the grounded (re-anchored) copy."""
        ground = (info.context or {}).get("ground")
        if ground is None:
            return self
        grounded, problems = self.grounded(ground)
        if problems:
            raise ValueError("Fix these problems: " + "; ".join(problems))
        return grounded

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema with ``$ref``s inlined: llama.cpp's grammar builder mishandles refs in arrays.

        Asked for on every request, so the default form is built once per class (a pure memo).
        """
        if args or kwargs:
            return _inlined(super().model_json_schema(*args, **kwargs))
        schema: dict[str, Any] = json.loads(_default_schema(cls))
        return schema


@functools.cache
def _default_schema(model: type[Draft]) -> str:
    return json.dumps(_inlined(super(Draft, model).model_json_schema()))


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    inlined: dict[str, Any] = _inline_refs(schema, schema.pop("$defs", {}))
    return inlined


class DraftPoint(BaseModel):
    """A key point and the sentences that state it."""

    text: str = Field(max_length=200, description="One key fact of the article, in one short sentence of your own.")
    sentences: list[int] = Field(max_length=3, description="Ids of the 1-3 sentences that state this fact, e.g. [3].")


class DraftPosition(BaseModel):
    """One actor's stated position."""

    actor: str = Field(max_length=80, description="The person, country or organization, named as in the article.")
    stance: str = Field(max_length=120, description="What they want, demand or maintain, in a few words.")
    sentences: list[int] = Field(max_length=3, description="Ids of the sentences that report this position.")


class DraftSummary(Draft):
    """Headline, bottom line, key points and positions."""

    headline: str = Field(max_length=100, description="A factual headline of at most 12 words.")
    summary: str = Field(max_length=400, description="The bottom line in two or three sentences.")
    key_points: list[DraftPoint] = Field(max_length=4, description="The 3-4 most important distinct facts.")
    positions: list[DraftPosition] = Field(
        default_factory=list,
        max_length=3,
        description="Positions of the main actors, only where the article reports them.",
    )

    def grounded(self, article: GroundedText) -> tuple[Self, list[str]]:
        problems: list[str] = []
        points: list[DraftPoint] = []
        seen: set[str] = set()
        for point in self.key_points:
            if fold(point.text).lower() in seen:
                continue  # an exact repeat invents nothing: the library drops it rather than re-asking
            seen.add(fold(point.text).lower())
            anchored = point.model_copy(
                update={
                    "sentences": anchor_statement(point.text, point.sentences, article.sentence_words, article.text_of)
                }
            )
            issue = _point_problem(anchored.text, anchored.sentences, article)
            if issue:
                problems.append(f"key point {point.text[:60]!r} {issue}")
                continue
            points.append(anchored)
        positions: list[DraftPosition] = []
        for position in self.positions:
            issue = _ids_problem(position.sentences, article)
            if issue is None and not occurs_in(position.actor, article.text):
                issue = "names an actor the article does not name"
            if issue:
                problems.append(f"position of {position.actor[:40]!r} {issue}")
                continue
            positions.append(position)
        if not self.headline.strip() or not self.summary.strip():
            problems.append("headline and summary must not be empty")
        return self.model_copy(update={"key_points": points, "positions": positions}), problems


class DraftPerson(BaseModel):
    """A person and their role."""

    name: str = Field(max_length=80, description="Full name exactly as written in the article.")
    role: str | None = Field(default=None, max_length=80, description="Their title or role, as the article states it.")


class DraftEntities(Draft):
    """People, organizations and places named in the article."""

    people: list[DraftPerson] = Field(max_length=8, description="Every person named in the article.")
    organizations: list[Annotated[str, Field(max_length=80)]] = Field(
        max_length=6, description="Organizations named in the article, as written."
    )
    places: list[Annotated[str, Field(max_length=60)]] = Field(
        max_length=6, description="Countries, cities and regions named in the article, as written."
    )

    def grounded(self, article: GroundedText) -> tuple[Self, list[str]]:
        problems: list[str] = []

        def keep(name: str) -> bool:
            if occurs_in(name, article.text):
                return True
            problems.append(f"{name[:60]!r} is not named in the article")
            return False

        people = [
            p.model_copy(update={"role": p.role if p.role and occurs_in(p.role, article.text) else None})
            for p in self.people
            if keep(p.name)
        ]
        update = {
            "people": people,
            "organizations": [o for o in self.organizations if keep(o)],
            "places": [p for p in self.places if keep(p)],
        }
        return self.model_copy(update=update), problems


class DraftBriefing(DraftSummary, DraftEntities):
    """Everything in one answer, for models strong enough to do it in one pass."""

    def grounded(self, article: GroundedText) -> tuple[Self, list[str]]:
        summary, first = DraftSummary.grounded(self, article)
        entities, second = DraftEntities.grounded(summary, article)
        return entities, first + second


def stance_problem(stance: str) -> str | None:
    """Why ``stance`` is no position (small models put a title there: "President", "leader"), or None."""
    words = stance.split()
    if len(words) < 3:
        return f"{stance!r} is too short to state a position"
    if all(w[:1].isupper() or w.lower() in {"of", "the", "and", "for", "to"} for w in words):
        return f"{stance!r} reads as a title, not a position"
    return None


def _ids_problem(ids: list[int], article: GroundedText) -> str | None:
    if not ids:
        return "cites no sentence"
    missing = [i for i in ids if article.sentence_text(i) is None]
    if missing:
        return f"cites sentences that do not exist: {missing} (valid ids are 1-{len(article.sentences)})"
    withheld = [i for i in ids if i in article.withheld]
    if withheld:
        return f"cites withheld sentences: {withheld}"
    return None


def _point_problem(text: str, ids: list[int], article: GroundedText) -> str | None:
    issue = _ids_problem(ids, article)
    if issue:
        return issue
    absent = missing_numbers(text, " ".join(article.text_of(i) for i in ids))
    if absent:
        return f"has numbers its sentences do not contain: {absent}"
    return None


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node
