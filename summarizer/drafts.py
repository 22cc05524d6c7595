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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer.extractive import shortened
from summarizer.grounding import GroundedText, anchor_statement, content_words, fold, missing_numbers, occurs_in
from summarizer.ingest.sentences import split_sentences


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


@dataclass(frozen=True)
class BriefingGround:
    """What a briefing's draft is checked against: the article and what the NLP stage found in it.

    ``offered`` holds the ids of the sentences the model was shown to compress (None when it saw
    the whole article): their key points must then keep to those sentences' own words, bar the
    article's names (a compression may say "Locke" where its sentence said "he"). ``gists`` are
    the sentences' main clauses, what a failed compression falls back to.
    """

    article: GroundedText
    names: frozenset[str] = frozenset()
    offered: tuple[int, ...] | None = None
    gists: dict[int, str] = field(default_factory=dict)

    @property
    def citable(self) -> dict[int, set[str]]:
        """Content words of each sentence a key point may cite."""
        words = self.article.sentence_words
        return words if self.offered is None else {i: words[i] for i in self.offered if i in words}


class DraftPoint(BaseModel):
    """A key point and the sentences that state it."""

    text: str = Field(description="One key fact in one short sentence of at most 20 words.")
    sentences: list[int] = Field(max_length=3, description="Ids of the 1-3 sentences that state this fact, e.g. [3].")


class DraftPosition(BaseModel):
    """One actor's stated position."""

    actor: str = Field(description="The person, country or organization, named as in the article.")
    stance: str = Field(description="What they want, demand or maintain, in a few words.")
    sentences: list[int] = Field(max_length=3, description="Ids of the sentences that report this position.")


# Lengths are checked after the answer is written, never imposed by the grammar mid-word.
HEADLINE_WORDS, SUMMARY_WORDS, POINT_WORDS, STANCE_WORDS = 16, 75, 25, 20


class DraftTitle(Draft):
    """A headline alone: what the smallest models write, from the key sentences.

    Measured on news with reference summaries, a 0.5B model's own summaries scored below the
    article's lead sentence and sometimes misstated it, so for such models the lead is the summary.
    """

    headline: str = Field(description="A factual headline of at most 12 words.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[str]]:
        """The copy with a long headline shortened at a clause, and what is wrong with it."""
        issue = prose_problem(self.headline.strip(), ground)
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        return self.model_copy(update={"headline": headline}), [f"the headline {issue}"] if issue else []


class DraftHeadline(DraftTitle):
    """Headline and bottom line: what the smallest models write, from the key sentences alone."""

    headline: str = Field(description="A factual headline of at most 12 words.")
    summary: str = Field(description="The bottom line in two or three sentences.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[str]]:
        """The copy with a long headline or summary shortened (at a clause, at a sentence), and what is wrong.

        Nothing is cut mid-word. Empty text, stray markup and invented numbers are problems (a
        reason to re-ask, then to take the article's own title or opening instead).
        """
        problems: list[str] = []
        for label, text in (("headline", self.headline.strip()), ("summary", self.summary.strip())):
            issue = prose_problem(text, ground)
            if issue:
                problems.append(f"the {label} {issue}")
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        summary = within_limit(self.summary.strip(), SUMMARY_WORDS, first_sentences)
        return self.model_copy(update={"headline": headline, "summary": summary}), problems


class DraftBrief(DraftHeadline):
    """Headline, bottom line and key points: what a small model writes from the key sentences."""

    key_points: list[DraftPoint] = Field(max_length=5, description="The most important distinct facts.")

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[str]]:
        """The grounded copy and what could not be grounded (each a reason to re-ask, then to drop).

        Ungrounded key points (wrong ids, invented numbers or words) are problems. What is only a
        matter of style is repaired here instead, since asking a small model again rarely helps and
        costs a whole request: a key point that copies its sentence, repeats a quotation or runs
        long gives way to the sentence's gist (its main clause) or is shortened at a clause boundary.
        """
        brief, problems = super().grounded(ground)
        points: list[DraftPoint] = []
        seen: set[str] = set()
        for point in self.key_points:
            text = point.text.strip()
            if fold(text).lower() in seen:
                continue  # an exact repeat invents nothing: the library drops it rather than re-asking
            seen.add(fold(text).lower())
            cited = anchor_statement(text, point.sentences, ground.citable, ground.article.text_of)
            issue = _point_problem(text, cited, ground)
            if issue is None and point_style(text, cited, ground) is not None:
                text = _repaired(text, cited, ground)
            if issue:
                problems.append(f"key point {point.text[:60]!r} {issue}")
                continue
            if fold(text).lower() not in seen or text == point.text.strip():
                seen.add(fold(text).lower())
                points.append(DraftPoint(text=text, sentences=cited))
        return brief.model_copy(update={"key_points": points}), problems


class DraftSummary(DraftBrief):
    """Headline, bottom line, key points and positions: what a strong model writes from the whole article."""

    positions: list[DraftPosition] = Field(
        default_factory=list,
        max_length=3,
        description="Positions of the main actors, only where the article reports them.",
    )

    def grounded(self, ground: BriefingGround) -> tuple[Self, list[str]]:
        brief, problems = super().grounded(ground)
        positions: list[DraftPosition] = []
        for position in self.positions:
            actor, stance = position.actor.strip(), within_limit(position.stance.strip(), STANCE_WORDS, shortened)
            issue = _ids_problem(position.sentences, ground.article) or prose_problem(position.stance.strip(), ground)
            if issue is None and not occurs_in(actor, ground.article.text):
                issue = "names an actor the article does not name"
            issue = issue or stance_problem(stance)
            if issue:
                problems.append(f"position of {actor[:40]!r} {issue}")
                continue
            positions.append(DraftPosition(actor=actor, stance=stance, sentences=position.sentences))
        return brief.model_copy(update={"positions": positions}), problems


def within_limit(text: str, max_words: int, cut: Callable[[str, int], str | None]) -> str:
    """``text`` if it is short enough, else cut by ``cut`` at a clause or sentence boundary, else whole.

    Never cut mid-word or mid-clause: a long text that no boundary shortens is better shown whole.
    """
    if len(text.split()) <= max_words:
        return text
    return cut(text, max_words) or text


def first_sentences(text: str, max_words: int) -> str | None:
    """The leading whole sentences of ``text`` within ``max_words`` words; None if the first is longer."""
    kept: list[str] = []
    for sentence in split_sentences(text):
        if len(" ".join([*kept, sentence.text]).split()) > max_words:
            break
        kept.append(sentence.text)
    return " ".join(kept) or None


def _repaired(text: str, cited: list[int], ground: BriefingGround) -> str:
    """A key point that copies its sentence or runs long, cut to the sentence's gist or at a clause."""
    gist = ground.gists.get(cited[0], "") if cited else ""
    sentence = ground.article.text_of(cited[0]) if cited else text
    if gist and len(gist.split()) <= min(POINT_WORDS, 0.8 * len(sentence.split())):
        return gist
    return within_limit(text, POINT_WORDS, shortened)


def copied_sentence(text: str, ground: BriefingGround) -> int | None:
    """The sentence ``text`` copies (nine in ten of its content words), if any."""
    words = content_words(text)
    for sentence_id, sentence in ground.article.sentence_words.items():
        if words and len(words & sentence) / len(words) >= 0.9 and len(sentence) <= 1.6 * len(words):
            return sentence_id
    return None


STRAY = re.compile(r'[{}\[\]<>]|\\"|",\s*"')


def prose_problem(text: str, ground: BriefingGround) -> str | None:
    """Why a prose field cannot be shown: empty (or too long to cut), stray JSON or markup, invented numbers."""
    if not text:
        return "must not be empty"
    if STRAY.search(text):
        return "carries stray JSON or markup; write plain prose"
    absent = missing_numbers(text, ground.article.text)
    if absent:
        return f"has numbers the article does not state: {absent}"
    return None


def point_style(text: str, cited: list[int], ground: BriefingGround) -> str | None:
    """Why a grounded key point is not yet a good one (too long, a copied sentence, a quotation), or None."""
    words = content_words(text)
    if len(text.split()) > POINT_WORDS:
        return f"is {len(text.split())} words long; say its main fact in at most 20 words"
    copied = copied_sentence(text, ground)
    if copied is not None:
        return f"copies sentence S{copied}; keep only its main fact, in fewer words"
    quoted = {w for q in ground.article.quotes for w in content_words(q.text)
              if any(ground.article.sentence_ids_between(q.start, q.end).count(i) for i in cited)}  # fmt: skip
    if words and len(words & quoted) / len(words) >= 0.6:
        return "repeats a quotation; state the fact it reports instead"
    return None


def _point_problem(text: str, ids: list[int], ground: BriefingGround) -> str | None:
    issue = _ids_problem(ids, ground.article)
    if issue:
        return issue
    if ground.offered is not None and not set(ids) <= set(ground.offered):
        return f"cites sentences it was not given: {sorted(set(ids) - set(ground.offered))}"
    evidence = " ".join(ground.article.text_of(i) for i in ids)
    absent = missing_numbers(text, evidence)
    if absent:
        return f"has numbers its sentences do not contain: {absent}"
    if ground.offered is not None:
        foreign = sorted(foreign_words(text, evidence, ground.names))
        if foreign:
            return f"uses words its sentence does not contain: {foreign}; use the sentence's own words"
    return None


def foreign_words(text: str, source: str, names: frozenset[str]) -> set[str]:
    """Content words of ``text`` that neither ``source`` (by stem) nor the article's names hold."""
    stems = {_stem(w) for w in content_words(source)}
    return {w for w in content_words(text) if _stem(w) not in stems and w not in names}


def _stem(word: str) -> str:
    """A crude stem: "rises", "rising", "rose" do not all meet, but "talks"/"talked"/"talking" do."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


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


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node
