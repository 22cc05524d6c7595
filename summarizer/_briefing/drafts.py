"""What the model is asked to fill: small answers that refer to the article by sentence id.

The model never copies article text. It names sentence ids (``[S4]``); the library fills in the
exact sentences, and quotes come from deterministic detection, so evidence and quotes are
verbatim by construction. Each draft knows how to check itself against the article:
validation with the article as context raises (and the re-ask engine, :mod:`summarizer._briefing.asking`,
re-asks with the errors); after the last re-ask, :meth:`Draft.grounded` keeps what is grounded
and reports what it dropped.
``Field`` descriptions reach the model inside the JSON Schema, so they are prompt text too.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer._briefing.draft_checks import (
    STANCE_WORDS,
    BriefingGround,
    first_sentences,
    ids_problem,
    point_problem,
    point_style,
    prose_problem,
    repaired_point,
    stance_problem,
    too_long,
    within_limit,
)
from summarizer._briefing.key_sentences import SUMMARY_WORDS, shortened
from summarizer.diagnostics import WarningCode
from summarizer.grounding import anchor_statement, match_form, occurs_in
from summarizer.nlp.headlines import HEADLINE_WORDS


@dataclass(frozen=True)
class Flaw:
    """What keeps one item of an answer from being shown: the field it is in, why, and the warning it becomes.

    ``text`` is the reason a re-ask gives the model; ``field`` and ``code`` are what the warning of
    a dropped item records, so nothing downstream reads them back out of the text.
    """

    field: str
    text: str
    code: WarningCode = WarningCode.DROPPED_UNGROUNDED

    def __str__(self) -> str:
        return self.text


class Draft(BaseModel):
    """Base of every model answer: grounded on validation when an article is in context."""

    model_config = ConfigDict(extra="ignore")

    def grounded(self, ground: Any) -> tuple[Self, list[Flaw]]:
        """A copy without ungrounded items, and one flaw per item dropped.

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
            raise ValueError("Fix these problems: " + "; ".join(map(str, problems)))
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

    text: str = Field(description="One key fact in one short sentence of at most 20 words.")
    sentences: list[int] = Field(max_length=3, description="Ids of the 1-3 sentences that state this fact, e.g. [3].")


class DraftPosition(BaseModel):
    """One actor's stated position."""

    actor: str = Field(description="The person, country or organization, named as in the article.")
    stance: str = Field(description="What they want, demand or maintain, in a few words.")
    sentences: list[int] = Field(max_length=3, description="Ids of the sentences that report this position.")


class HeadlineDraft(Draft):
    """A headline alone: what the smallest models write, from the key sentences.

    Measured on news with reference summaries, a 0.5B model's own summaries scored below the
    article's lead sentence and sometimes misstated it, so for such models the lead is the summary.
    """

    headline: str = Field(description="A factual headline of at most 12 words.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[Flaw]]:
        """The copy with a long headline shortened at a clause, and what is wrong with it."""
        issue = prose_problem(self.headline.strip(), ground)
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        flaws = [Flaw("headline", f"the headline {issue}")] if issue else []
        return self.model_copy(update={"headline": headline}), flaws


class SummarizeDraft(HeadlineDraft):
    """Headline and bottom line: what the smallest models write, from the key sentences alone."""

    headline: str = Field(description="A factual headline of at most 12 words.")
    summary: str = Field(description="The bottom line in two or three sentences.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[Flaw]]:
        """The copy with a long headline or summary shortened (at a clause, at a sentence), and what is wrong.

        Nothing is cut mid-word. Empty text, stray markup and invented numbers are problems (a
        reason to re-ask, then to take the article's own title or opening instead).
        """
        problems: list[Flaw] = []
        for label, text in (("headline", self.headline.strip()), ("summary", self.summary.strip())):
            issue = prose_problem(text, ground)
            if issue:
                problems.append(Flaw(label, f"the {label} {issue}"))
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        summary = within_limit(self.summary.strip(), SUMMARY_WORDS, first_sentences)
        return self.model_copy(update={"headline": headline, "summary": summary}), problems


class CompressDraft(SummarizeDraft):
    """Headline, bottom line and key points: what a small model writes from the key sentences."""

    key_points: list[DraftPoint] = Field(max_length=5, description="The most important distinct facts.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[Flaw]]:
        """The grounded copy and what could not be grounded (each a reason to re-ask, then to drop).

        Ungrounded key points (wrong ids, invented numbers or words) are problems. What is only a
        matter of style is repaired here instead, since asking a small model again rarely helps and
        costs a whole request: a key point that copies its sentence, repeats a quotation or runs
        long gives way to the sentence's gist (its main clause) or is shortened at a clause boundary.
        One too long for either is a problem like an ungrounded one: a key point is never shown whole
        past its limit.
        """
        brief, problems = super().grounded(ground)
        points: list[DraftPoint] = []
        seen: set[str] = set()
        for point in self.key_points:
            text = point.text.strip()
            if match_form(text).lower() in seen:
                continue  # an exact repeat invents nothing: the library drops it rather than re-asking
            seen.add(match_form(text).lower())
            cited = anchor_statement(text, point.sentences, ground.citable, ground.article.text_of)
            issue, code = point_problem(text, cited, ground), WarningCode.DROPPED_UNGROUNDED
            if issue is None and point_style(text, cited, ground) is not None:
                repaired = repaired_point(text, cited, ground)
                if repaired is None:  # too long is no sign it was made up: its warning says so
                    issue, code = too_long(text), WarningCode.DROPPED_TOO_LONG
                text = repaired or text
            if issue:
                problems.append(Flaw("key_points", f"key point {point.text[:60]!r} {issue}", code))
                continue
            if match_form(text).lower() not in seen or text == point.text.strip():
                seen.add(match_form(text).lower())
                points.append(DraftPoint(text=text, sentences=cited))
        return brief.model_copy(update={"key_points": points}), problems


class WriteDraft(CompressDraft):
    """Headline, bottom line, key points and positions: what a strong model writes from the whole article."""

    positions: list[DraftPosition] = Field(
        default_factory=list,
        max_length=3,
        description="Positions of the main actors, only where the article reports them.",
    )

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[Flaw]]:
        brief, problems = super().grounded(ground)
        positions: list[DraftPosition] = []
        for position in self.positions:
            actor, stance = position.actor.strip(), within_limit(position.stance.strip(), STANCE_WORDS, shortened)
            issue = ids_problem(position.sentences, ground.article) or prose_problem(position.stance.strip(), ground)
            if issue is None and not occurs_in(actor, ground.article.text):
                issue = "names an actor the article does not name"
            issue = issue or stance_problem(stance)
            if issue:
                problems.append(Flaw("positions", f"position of {actor[:40]!r} {issue}"))
                continue
            positions.append(DraftPosition(actor=actor, stance=stance, sentences=position.sentences))
        return brief.model_copy(update={"positions": positions}), problems


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node
