"""What a briefing or digest says about how it was made: structured warnings, one code per kind.

``meta.warnings`` (and a story's ``warnings``) hold :class:`WarningEntry` values rather than free
strings so a program can act on them (count the drops, alert on withheld instructions) without
parsing prose, and so the reader's view can show only what a reader needs: the dropped and
withheld items, in one line, while the JSON keeps every routine note. Each code has one severity,
fixed here, and one description, which the exported JSON Schema carries per value.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

Severity = Literal["dropped", "repaired", "note"]
"""``dropped``: something was left out; ``repaired``: kept, but changed to pass its check;
``note``: how an item was made (a stand-in for what the model did not give), nothing lost."""


class WarningCode(StrEnum):
    """The kind of a warning; each value has one severity and the meaning described with it."""

    WITHHELD_INJECTION = "withheld_injection"
    NO_ANSWER = "no_answer"
    INVALID_ANSWER = "invalid_answer"
    DROPPED_UNGROUNDED = "dropped_ungrounded"
    DROPPED_TOO_LONG = "dropped_too_long"
    DROPPED_FINAL_CHECK = "dropped_final_check"
    REPAIRED_SPEAKER = "repaired_speaker"
    FALLBACK_HEADLINE = "fallback_headline"
    FALLBACK_SUMMARY = "fallback_summary"
    FALLBACK_KEY_POINT = "fallback_key_point"
    EXTRACTIVE_FALLBACK = "extractive_fallback"
    TOLD_IN_OWN_WORDS = "told_in_own_words"

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The enum with a description per value (``oneOf`` of ``const``), for the schema's readers."""
        schema = handler.resolve_ref_schema(handler(core))
        schema["oneOf"] = [{"const": code.value, "description": CODES[code][1]} for code in cls]
        return schema


CODES: Final[dict[WarningCode, tuple[Severity, str]]] = {
    WarningCode.WITHHELD_INJECTION: (
        "dropped", "A sentence of the article addresses an AI model (a prompt injection): it was withheld "
        "from the model and is never cited as evidence; it keeps its number (sentence_ids)."),
    WarningCode.NO_ANSWER: (
        "dropped", "A model call gave no answer at all (failed, empty, or left to a batch job); the "
        "article's own words stand in."),
    WarningCode.INVALID_ANSWER: (
        "dropped", "The model's answer did not have the required shape even after re-asks; it was "
        "discarded and the article's own words stand in."),
    WarningCode.DROPPED_UNGROUNDED: (
        "dropped", "An item the model wrote could not be traced to the article (or, in a digest, to "
        "its sources): wrong sentence ids, invented names or numbers, a stance that is not one. It was left out."),
    WarningCode.DROPPED_TOO_LONG: (
        "dropped", "A key point the model wrote ran past its word limit and neither a clause boundary nor "
        "its sentence's main clause (the gist) shortened it; it was left out rather than shown whole."),
    WarningCode.DROPPED_FINAL_CHECK: (
        "dropped", "The last check of the whole briefing against the article refused the item (evidence "
        "that does not match, a quotation that is not verbatim, an entity not named); it was left out."),
    WarningCode.REPAIRED_SPEAKER: (
        "repaired", "A quotation's speaker is not named in the article; the quotation stays, marked unattributed."),
    WarningCode.FALLBACK_HEADLINE: (
        "note", "The model gave no usable headline; the article's title (or its lead) stands in."),
    WarningCode.FALLBACK_SUMMARY: (
        "note", "The model gave no usable summary; the article's opening sentences stand in."),
    WarningCode.FALLBACK_KEY_POINT: (
        "note", "The key point is its sentence's own main clause (the gist), not a text the model wrote."),
    WarningCode.EXTRACTIVE_FALLBACK: (
        "note", "The whole briefing is made of the article's own words because the model failed; "
        "the message says how."),
    WarningCode.TOLD_IN_OWN_WORDS: (
        "note", "A digest story of several articles is told in their own sentences (written_by "
        "\"extractive\") because the model's story failed or could not be used; the message says how."),
}  # fmt: skip


class WarningEntry(BaseModel):
    """One thing a program may want to know about how a briefing or story was made."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: WarningCode = Field(description="The kind of warning; each value's description says what it means.")
    severity: Severity = Field(
        description="dropped: something was left out (or withheld from the model); repaired: kept but changed to "
        "pass its check; note: how an item was made, nothing lost. Fixed by the code."
    )
    item: str = Field(
        description="What it concerns: a field of the briefing or story, with its index in the list as "
        'assembled when the final check names one item ("quotes[3]", "entities[0]"), else the field alone '
        '("key_points", "headline", "summary", "positions"); "article" for sentences of the article, "answer" '
        'for a model answer as a whole, "briefing" or "story" for the whole result.'
    )
    sentence_ids: list[int] = Field(default_factory=list, description="The article sentences concerned, if any.")
    message: str = Field(description="What happened, for people.")

    @classmethod
    def of(cls, code: WarningCode, item: str, message: str, sentence_ids: Sequence[int] = ()) -> WarningEntry:
        """An entry of ``code``, its severity the code's own."""
        return cls(code=code, severity=CODES[code][0], item=item, sentence_ids=list(sentence_ids), message=message)

    def __str__(self) -> str:
        return self.message


def messages(entries: Sequence[WarningEntry]) -> str:
    """The entries' messages in one readable line (for error messages)."""
    return "; ".join(e.message for e in entries)


def left_out(entries: Sequence[WarningEntry]) -> str | None:
    """The reader's one line about what was dropped or withheld, or None when nothing was.

    Routine notes and repairs stay in the JSON only: a reader needs to know that something is
    missing, and where to look, not how each item was made.
    """
    codes = [e.code for e in entries]
    dropped = sum(c in (WarningCode.DROPPED_UNGROUNDED, WarningCode.DROPPED_FINAL_CHECK) for c in codes)
    too_long = codes.count(WarningCode.DROPPED_TOO_LONG)
    unusable = sum(c in (WarningCode.NO_ANSWER, WarningCode.INVALID_ANSWER) for c in codes)
    withheld = codes.count(WarningCode.WITHHELD_INJECTION)
    parts = []
    if dropped:
        parts.append(f"{_count(dropped, 'item was', 'items were')} left out as ungrounded")
    if too_long:
        parts.append(f"{_count(too_long, 'key point was', 'key points were')} left out as too long")
    if unusable:
        parts.append(f"{_count(unusable, 'model answer was', 'model answers were')} unusable and left out")
    if withheld:
        parts.append(f"{_count(withheld, 'sentence', 'sentences')} addressing an AI model "
                     f"{'was' if withheld == 1 else 'were'} withheld from the model")  # fmt: skip
    return "; ".join(parts) + "; see the JSON." if parts else None


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
