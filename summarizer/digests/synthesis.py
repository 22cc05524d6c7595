"""One story from its member briefings: the model writes, the sources decide what stays.

The model's story (:mod:`summarizer.digests.drafts`) is grounded on validation; the pipeline
re-asks, and what still fails is dropped with a warning. A story of one article needs no model
at all: its briefing already is the synthesis. Quotes are never written by the model: they are
the member briefings' verbatim quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from summarizer.asking import Answer, usable_draft
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.draft_checks import stance_problem
from summarizer.grounding import anchor_evidence, content_words, fold
from summarizer.ingest.sentences import split_sentences
from summarizer.schema import Evidence

from .drafts import DraftStory, Member, StoryGround, statement_problem
from .schema import Citation, Statement, StoryPosition, StoryQuote

_QUOTES_PER_ARTICLE = 2
_SUMMARY_SUPPORT = 0.5  # a summary sentence must share half its content words with a source sentence
_QUOTES_PER_STORY = 5


class StoryAnswer(BaseModel):
    """What the model's answer left once grounded, and what was dropped: the unit that is cached."""

    draft: DraftStory | None
    warnings: list[WarningEntry]

    @classmethod
    def of(cls, answer: Answer[DraftStory], story: StoryGround) -> StoryAnswer:
        """The grounded draft, or what is left of the last answer once ungrounded items are dropped."""
        draft, warnings = usable_draft(DraftStory, answer, story)
        return cls(draft=draft, warnings=warnings)

    def written(self, story: StoryGround) -> Written:
        """The story as the digest tells it."""
        if self.draft is None:
            told = WarningEntry.of(WarningCode.TOLD_BY_BRIEFINGS, "story", "told by its briefings instead")
            return from_briefings(story, [*self.warnings, told])
        return from_draft(self.draft, story, list(self.warnings))


@dataclass(frozen=True)
class Written:
    """A story's text, every part cited."""

    headline: str
    summary: Statement
    developments: list[Statement]
    positions: list[StoryPosition]
    warnings: list[WarningEntry]
    by: Literal["model", "briefing"]


def from_draft(draft: DraftStory, story: StoryGround, warnings: list[WarningEntry]) -> Written:
    """The model's story, its summary cited sentence by sentence; unsupported sentences dropped."""
    developments = [
        Statement(text=d.text.strip(), citations=[story.citation(x) for x in story.corroborated(d.text, d.sources)])
        for d in draft.developments
    ]
    positions: list[StoryPosition] = []
    actors: set[str] = set()
    for p in draft.positions:
        issue = stance_problem(p.stance.strip())
        if issue:
            message = f"dropped: position of {p.actor.strip()!r}: {issue}"
            warnings.append(WarningEntry.of(WarningCode.DROPPED_UNGROUNDED, "positions", message))
        elif _actor_key(p.actor) not in actors:
            actors.add(_actor_key(p.actor))
            citations = [story.citation(x) for x in p.sources]
            positions.append(StoryPosition(actor=p.actor.strip(), stance=p.stance.strip(), citations=citations))
    positions += _briefing_positions(story, actors)
    summary = _cited_summary(draft.summary, story, warnings) or (developments[0] if developments else None)
    if summary is None:
        why = "the model's story had no grounded summary or development; told by its briefings"
        return from_briefings(story, [*warnings, WarningEntry.of(WarningCode.TOLD_BY_BRIEFINGS, "story", why)])
    developments = _not_repeating(developments, summary.text)
    return Written(draft.headline.strip(), summary, developments, positions, warnings, "model")


_REPEAT = 0.7  # share of content words two statements of a story may share before one repeats the other


def repeats(text: str, others: list[str]) -> bool:
    """Whether ``text`` says again what one of ``others`` says (most of its content words are there)."""
    words = content_words(text)
    return bool(words) and any(len(words & content_words(o)) / len(words) >= _REPEAT for o in others)


def _not_repeating(developments: list[Statement], summary: str) -> list[Statement]:
    """The developments that say something the summary and the developments before them do not."""
    said = [s.text for s in split_sentences(summary)]
    kept: list[Statement] = []
    for development in developments:
        if not repeats(development.text, said):
            kept.append(development)
            said.append(development.text)
    return kept


def from_briefings(story: StoryGround, warnings: list[WarningEntry]) -> Written:
    """A story told by its briefings alone: for one article, or when the model's story failed."""
    lead = story.members[0]
    summary = _cited_summary(lead.briefing.summary, story, warnings) or _lead_statement(lead)
    developments: list[Statement] = []
    seen: set[str] = set()
    for member in story.members:
        for point in member.briefing.key_points:
            said = [summary.text, *(d.text for d in developments)]
            if fold(point.text).lower() not in seen and not repeats(point.text, said):
                seen.add(fold(point.text).lower())
                developments.append(Statement(text=point.text, citations=_citations(member, point.evidence)))
    positions = _briefing_positions(story, set())
    return Written(lead.briefing.headline, summary, developments, positions, warnings, "briefing")


def notable_quotes(story: StoryGround) -> list[StoryQuote]:
    """Attributed quotes of the members, longest first per article, each quotation once."""
    quotes: list[StoryQuote] = []
    seen: set[str] = set()
    for member in story.members:
        attributed = [q for q in member.briefing.quotes if q.speaker != "unattributed" and len(q.text.split()) >= 5]
        for quote in sorted(attributed, key=lambda q: -len(q.text))[:_QUOTES_PER_ARTICLE]:
            if fold(quote.text).lower() in seen:
                continue
            seen.add(fold(quote.text).lower())
            quotes.append(StoryQuote(article=member.source.id, text=quote.text, speaker=quote.speaker,
                                     start=quote.start, end=quote.end, sentence_ids=quote.sentence_ids))  # fmt: skip
    return quotes[:_QUOTES_PER_STORY]


def _cited_summary(text: str, story: StoryGround, warnings: list[WarningEntry]) -> Statement | None:
    """Each sentence of ``text`` anchored to the sentence that states it; the unsupported dropped."""
    kept: list[str] = []
    labels: list[str] = []
    for sentence in (found.text for found in split_sentences(text)):
        if repeats(sentence, kept):
            continue  # a summary never says the same thing twice
        anchored = anchor_evidence(sentence, [], story.words, minimum=_SUMMARY_SUPPORT)
        if anchored and statement_problem(sentence, anchored, story) is None:
            kept.append(sentence)
            labels += [label for label in anchored if label not in labels]
        elif sentence:
            message = f"dropped from the summary (no source sentence states it): {sentence[:80]!r}"
            warnings.append(WarningEntry.of(WarningCode.DROPPED_UNGROUNDED, "summary", message))
    if not kept:
        return None
    return Statement(text=" ".join(kept), citations=[story.citation(label) for label in labels])


def _briefing_positions(story: StoryGround, known: set[str]) -> list[StoryPosition]:
    """The members' positions whose cited sentences name their actor (small models mix them up)."""
    positions: list[StoryPosition] = []
    for member in story.members:
        for position in member.briefing.positions:
            labels = [f"{member.source.id}.S{e.sentence_id}" for e in position.evidence]
            labels = story.naming(position.actor, [label for label in labels if label in story.offered])
            if _actor_key(position.actor) not in known and labels and stance_problem(position.stance) is None:
                known.add(_actor_key(position.actor))
                citations = [story.citation(label) for label in labels]
                positions.append(StoryPosition(actor=position.actor, stance=position.stance, citations=citations))
    return positions


def _actor_key(actor: str) -> str:
    """One key per actor: "Antony Blinken" and "Blinken" are one."""
    words = fold(actor).lower().split()
    return words[-1] if words else ""


def _citations(member: Member, evidence: list[Evidence]) -> list[Citation]:
    return [Citation(article=member.source.id, sentence_id=e.sentence_id, text=e.text) for e in evidence]


def _lead_statement(member: Member) -> Statement:
    first = next(
        (s for s in member.article.sentences if s.id not in member.article.withheld), member.article.sentences[0]
    )
    return Statement(
        text=first.text, citations=[Citation(article=member.source.id, sentence_id=first.id, text=first.text)]
    )
