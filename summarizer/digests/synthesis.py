"""One story from its member briefings: the model writes, the sources decide what stays.

The model sees labelled sentences (``[A2.S7]``) of each member article - the ones its briefing
rests on - and answers with a headline, a summary, developments and positions that cite labels.
Validation with the story as ground re-anchors each development to the sentences that state it,
rejects labels that do not exist, numbers the cited sentences do not hold and actors they do not
name; the pipeline re-asks, and what still fails is dropped with a warning. A story of one
article needs no model at all: its briefing already is the synthesis. Quotes are never written
by the model: they are the member briefings' verbatim quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Self

from pydantic import BaseModel, Field

from summarizer.asking import usable_draft
from summarizer.backends.base import Answer, StructuredCall
from summarizer.drafts import (
    HEADLINE_WORDS,
    POINT_WORDS,
    STRAY,
    SUMMARY_WORDS,
    Draft,
    first_sentences,
    stance_problem,
    within_limit,
)
from summarizer.extractive import shortened
from summarizer.grounding import (
    GroundedText,
    anchor_evidence,
    anchor_statement,
    content_words,
    fold,
    missing_numbers,
    occurs_in,
)
from summarizer.ingest.sentences import split_sentences
from summarizer.prompting import LabelledArticle, Prompts
from summarizer.schema import Briefing, Evidence

from .schema import Citation, Source, Statement, StoryPosition, StoryQuote

_LABEL = re.compile(r"A(\d+)\W{0,3}S(\d+)", re.IGNORECASE)  # the model may write [A1 S4] for A1.S4
_OFFERED_PER_ARTICLE = 8
_LEAD = 2
_QUOTES_PER_ARTICLE = 2
_CORROBORATION = 0.5  # share of a statement's content words another article's sentence must hold
_SUMMARY_SUPPORT = 0.5  # a summary sentence must share half its content words with a source sentence
_QUOTES_PER_STORY = 5
SYNTHESIS_TOKENS = 700


@dataclass(frozen=True)
class Member:
    """An article of a story: its digest source entry, its text and its briefing."""

    source: Source
    article: GroundedText
    briefing: Briefing


@dataclass(frozen=True)
class StoryGround:
    """The sentences a story may cite, by label (``A3.S4``: the digest's source A3, sentence 4)."""

    members: list[Member]

    @cached_property
    def offered(self) -> dict[str, tuple[Member, int]]:
        """Each citable sentence by label (``A3.S4``: source A3, sentence 4).

        A story of one article may cite any sentence. Several articles offer their opening
        and the sentences their briefing rests on (key points, positions, quotes), to keep
        the prompt short.
        """
        offered: dict[str, tuple[Member, int]] = {}
        for member in self.members:
            briefing, withheld = member.briefing, set(member.article.withheld)
            ids = [s.id for s in member.article.sentences]
            if len(self.members) > 1:
                cited = [e.sentence_id for p in briefing.key_points for e in p.evidence]
                cited += [e.sentence_id for p in briefing.positions for e in p.evidence]
                cited += [i for q in briefing.quotes if q.speaker != "unattributed" for i in q.sentence_ids]
                ids = list(dict.fromkeys([*ids[:_LEAD], *cited]))[:_OFFERED_PER_ARTICLE]
            for i in sorted(i for i in ids if i not in withheld):
                offered[f"{member.source.id}.S{i}"] = (member, i)
        return offered

    @cached_property
    def words(self) -> dict[str, set[str]]:
        return {label: content_words(self.text(label)) for label in self.offered}

    def text(self, label: str) -> str:
        member, sentence_id = self.offered[label]
        return member.article.text_of(sentence_id)

    def citation(self, label: str) -> Citation:
        member, sentence_id = self.offered[label]
        return Citation(article=member.source.id, sentence_id=sentence_id, text=self.text(label))

    def labelled(self) -> list[LabelledArticle]:
        """The member articles as the prompt shows them."""
        shown: list[LabelledArticle] = []
        for member in self.members:
            prefix = f"{member.source.id}."
            sentences = [(label, self.text(label)) for label in self.offered if label.startswith(prefix)]
            title = member.source.title or member.briefing.headline
            shown.append(LabelledArticle(member.source.id, title, member.source.outlet, sentences))
        return shown

    def corroborated(self, statement: str, labels: list[str]) -> list[str]:
        """``labels`` plus, from each other article, the sentence that states the same (if one does).

        The model tends to cite one outlet; the reader should see every outlet that reports a fact.
        """
        cited_articles = {label.split(".")[0] for label in labels}
        extra: list[str] = []
        for member in self.members:
            if member.source.id in cited_articles:
                continue
            prefix = f"{member.source.id}."
            own = {label: words for label, words in self.words.items() if label.startswith(prefix)}
            found = anchor_evidence(statement, [], own, minimum=_CORROBORATION)
            if found and _statement_problem(statement, found, self) is None:
                extra += found
        return [*labels, *extra]

    def naming(self, actor: str, labels: list[str]) -> list[str]:
        """Those of ``labels`` whose sentence names ``actor`` (or, for a person, their surname)."""
        words = actor.split()
        surname = words[-1] if words else actor
        return [x for x in labels if occurs_in(actor, self.text(x)) or occurs_in(surname, self.text(x))]


def normalize_labels(labels: list[str], ground: StoryGround) -> tuple[list[str], list[str]]:
    """Labels as ``A1.S4`` (the model may write ``[A1 S4]``), split into known and unknown."""
    known: list[str] = []
    unknown: list[str] = []
    for raw in labels:
        match = _LABEL.search(raw)
        label = f"A{match[1]}.S{match[2]}" if match else raw
        (known if label in ground.offered else unknown).append(label)
    return list(dict.fromkeys(known)), unknown


class DraftDevelopment(BaseModel):
    """A development of the story and the sentences that state it."""

    text: str = Field(description="One fact of the story, in one short sentence of your own.")
    sources: list[str] = Field(max_length=4, description='Labels of the sentences that state it, e.g. ["A1.S4"].')


class DraftStoryPosition(BaseModel):
    """One actor's position as the sources report it."""

    actor: str = Field(description="The person, country or organization, named as in the articles.")
    stance: str = Field(description="What they want, demand or maintain, in a few words.")
    sources: list[str] = Field(max_length=3, description="Labels of the sentences that report this position.")


class DraftStory(Draft):
    """A story written from several articles' sentences."""

    headline: str = Field(description="A factual headline of at most 12 words.")
    summary: str = Field(description="The bottom line in two sentences.")
    developments: list[DraftDevelopment] = Field(max_length=5, description="The 3-5 most important distinct facts.")
    positions: list[DraftStoryPosition] = Field(
        default_factory=list, max_length=4, description="Each actor's reported position; [] if none."
    )

    def grounded(self, story: StoryGround) -> tuple[Self, list[str]]:
        problems: list[str] = []
        developments: list[DraftDevelopment] = []
        seen: set[str] = set()
        for item in self.developments:
            text = within_limit(
                item.text.strip(), POINT_WORDS, shortened
            )  # long prose is cut at a clause, never mid-word
            if fold(text).lower() in seen:
                continue
            seen.add(fold(text).lower())
            known, _ = normalize_labels(item.sources, story)  # a wrong label is repaired like a wrong id
            anchored = anchor_statement(text, known, story.words, story.text)
            issue = _statement_problem(text, anchored, story)
            if issue is None and STRAY.search(text):
                issue = "carries stray JSON or markup; write plain prose"
            if issue:
                problems.append(f"development {item.text[:60]!r} {issue}")
                continue
            developments.append(item.model_copy(update={"text": text, "sources": anchored}))
        positions: list[DraftStoryPosition] = []
        for position in self.positions:
            known, unknown = normalize_labels(position.sources, story)
            naming = story.naming(position.actor, known)
            if not known:
                problems.append(f"position of {position.actor[:40]!r} cites labels that do not exist: {unknown}")
            elif not naming:
                problems.append(f"position of {position.actor[:40]!r}: its sentences do not name that actor")
            else:
                positions.append(position.model_copy(update={"sources": naming}))
        if not self.headline.strip() or not self.summary.strip():
            problems.append("headline and summary must not be empty")
        elif STRAY.search(self.headline + self.summary):
            problems.append("headline and summary must be plain prose, without JSON or markup")
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        summary = within_limit(self.summary.strip(), SUMMARY_WORDS, first_sentences)
        update = {"developments": developments, "positions": positions, "headline": headline, "summary": summary}
        return self.model_copy(update=update), problems


def _statement_problem(text: str, labels: list[str], story: StoryGround) -> str | None:
    if not labels:
        return f"cites no sentence that states it (valid labels look like {next(iter(story.offered))})"
    absent = missing_numbers(text, " ".join(story.text(label) for label in labels))
    if absent:
        return f"has numbers its sentences do not contain: {absent}"
    return None


def story_call(story: StoryGround, prompts: Prompts) -> StructuredCall[DraftStory]:
    """The one model call that writes a story of several articles."""
    return StructuredCall(prompts.story_messages(story.labelled()), DraftStory, story, SYNTHESIS_TOKENS)


class StoryAnswer(BaseModel):
    """What the model's answer left once grounded, and what was dropped: the unit that is cached."""

    draft: DraftStory | None
    warnings: list[str]

    @classmethod
    def of(cls, answer: Answer[DraftStory], story: StoryGround) -> StoryAnswer:
        """The grounded draft, or what is left of the last answer once ungrounded items are dropped."""
        draft, warnings = usable_draft(DraftStory, answer, story)
        return cls(draft=draft, warnings=warnings)

    def written(self, story: StoryGround) -> Written:
        """The story as the digest tells it."""
        if self.draft is None:
            return from_briefings(story, [*self.warnings, "told by its briefings instead"])
        return from_draft(self.draft, story, list(self.warnings))


@dataclass(frozen=True)
class Written:
    """A story's text, every part cited."""

    headline: str
    summary: Statement
    developments: list[Statement]
    positions: list[StoryPosition]
    warnings: list[str]
    by: Literal["model", "briefing"]


def from_draft(draft: DraftStory, story: StoryGround, warnings: list[str]) -> Written:
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
            warnings.append(f"dropped: position of {p.actor.strip()!r}: {issue}")
        elif _actor_key(p.actor) not in actors:
            actors.add(_actor_key(p.actor))
            citations = [story.citation(x) for x in p.sources]
            positions.append(StoryPosition(actor=p.actor.strip(), stance=p.stance.strip(), citations=citations))
    positions += _briefing_positions(story, actors)
    summary = _cited_summary(draft.summary, story, warnings) or (developments[0] if developments else None)
    if summary is None:
        return from_briefings(story, [*warnings, "the model's story had no grounded summary or development"])
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


def from_briefings(story: StoryGround, warnings: list[str]) -> Written:
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


def _cited_summary(text: str, story: StoryGround, warnings: list[str]) -> Statement | None:
    """Each sentence of ``text`` anchored to the sentence that states it; the unsupported dropped."""
    kept: list[str] = []
    labels: list[str] = []
    for sentence in (found.text for found in split_sentences(text)):
        if repeats(sentence, kept):
            continue  # a summary never says the same thing twice
        anchored = anchor_evidence(sentence, [], story.words, minimum=_SUMMARY_SUPPORT)
        if anchored and _statement_problem(sentence, anchored, story) is None:
            kept.append(sentence)
            labels += [label for label in anchored if label not in labels]
        elif sentence:
            warnings.append(f"dropped from the summary (no source sentence states it): {sentence[:80]!r}")
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
