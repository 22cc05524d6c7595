"""One story from its member briefings: the model writes, the sources decide what stays.

The model's story (:mod:`summarizer.digests.drafts`) is grounded on validation; the pipeline
re-asks, and what still fails is dropped with a warning. A story of one article needs no model
at all: its briefing already is the synthesis. A story of several articles without a model (the
extractive mode, or the model's story failed) is told in its members' own sentences
(:func:`from_own_words`). Quotes are never written by the model: they are the member briefings'
verbatim quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from summarizer._briefing.asking import Answer, usable_draft
from summarizer._briefing.draft_checks import POINT_WORDS, stance_problem, within_limit
from summarizer._briefing.key_sentences import SUMMARY_WORDS, shortened
from summarizer._briefing.schema import Evidence
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.grounding import anchor_evidence, content_words, match_form, missing_numbers, numbers_in
from summarizer.ingest.sentences import split_sentences

from .drafts import SUMMARY_SUPPORT, DraftStory, Member, StoryGround, statement_problem
from .schema import Citation, Statement, StoryPosition, StoryQuote

_QUOTES_PER_ARTICLE = 2
_QUOTES_PER_STORY = 5
_DEVELOPMENTS = 5  # as many as the model is asked for
_OWN_WORDS = "told in its articles' own sentences"


class StoryAnswer(BaseModel):
    """What the model's answer left once grounded, and what was dropped: the unit that is cached."""

    draft: DraftStory | None
    warnings: list[WarningEntry]

    @classmethod
    def of(cls, answer: Answer[DraftStory], story: StoryGround) -> StoryAnswer:
        """The grounded draft, or what is left of the last answer once ungrounded items are dropped."""
        draft, warnings = usable_draft(DraftStory, answer, story)
        return cls(draft=draft, warnings=warnings)

    @classmethod
    def told(cls, answer: Answer[DraftStory], story: StoryGround) -> tuple[StoryAnswer, Written]:
        """:meth:`of` and :meth:`written` at once: both check claims, waiting on the NLP workers (run off the loop)."""
        result = cls.of(answer, story)
        return result, result.written(story)

    @classmethod
    def kept(cls, value: str, story: StoryGround) -> StoryAnswer:
        """A stored answer, grounded again on ``story`` leniently (raises ValidationError only for its shape).

        What was stored may be what was left of an answer once its ungrounded parts were
        dropped, with problems no dropping removes (an empty headline): strict validation would
        refuse it on every later run, and every run would ask the model again. Its problems are
        in its warnings already; grounding it again only re-anchors its citations.
        """
        stored = cls.model_validate_json(value)  # no ground in context: the shape only
        if stored.draft is None:
            return stored
        draft, _ = stored.draft.grounded(story)
        return stored.model_copy(update={"draft": draft})

    def written(self, story: StoryGround) -> Written:
        """The story as the digest tells it."""
        if self.draft is None:
            told = WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", f"{_OWN_WORDS} instead")
            return from_own_words(story, [*self.warnings, told])
        return from_draft(self.draft, story, list(self.warnings))


@dataclass(frozen=True)
class Written:
    """A story's text, every part cited."""

    headline: str
    summary: Statement
    developments: list[Statement]
    positions: list[StoryPosition]
    warnings: list[WarningEntry]
    by: Literal["model", "briefing", "extractive"]


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
    if summary is None or not draft.headline.strip():
        why = f"the model's story had no headline or grounded summary; {_OWN_WORDS}"
        return from_own_words(story, [*warnings, WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", why)])
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
    """A story told by its briefing alone: what a story of one article is."""
    lead = story.members[0]
    summary = _cited_summary(lead.briefing.summary, story, warnings) or _lead_statement(lead)
    developments: list[Statement] = []
    seen: set[str] = set()
    for member in story.members:
        for point in member.briefing.key_points:
            said = [summary.text, *(d.text for d in developments)]
            if match_form(point.text).lower() not in seen and not repeats(point.text, said):
                seen.add(match_form(point.text).lower())
                developments.append(Statement(text=point.text, citations=_citations(member, point.evidence)))
    positions = _briefing_positions(story, set())
    return Written(lead.briefing.headline, summary, developments, positions, warnings, "briefing")


def from_own_words(story: StoryGround, warnings: list[WarningEntry]) -> Written:
    """A story of several articles told in their own sentences, no model asked.

    What the extractive mode writes, and what a story falls back to when the model's could not
    be used (its warnings say why). The headline is the lead article's title (else its
    briefing's), the summary its opening sentence, and the developments the members' key
    sentences (those their briefings' key points rest on), taken from each article in turn so
    every outlet is heard, each fact once. Every statement is an article's own sentence (cut at a
    clause when long), cited to it and to every other member that states the same, as the
    model's citations are: grounded by construction.
    """
    lead = story.members[0]
    summary = _cited_everywhere(story, lead, _opening(lead), SUMMARY_WORDS)
    said = [summary.text]
    queues = [_key_sentences(member) for member in story.members]
    developments: list[Statement] = []
    while any(queues) and len(developments) < _DEVELOPMENTS:
        for member, queue in zip(story.members, queues, strict=True):
            while queue and len(developments) < _DEVELOPMENTS:
                development = _cited_everywhere(story, member, queue.pop(0), POINT_WORDS)
                if not repeats(development.text, said) and not _same_figures(development.text, said):
                    said.append(development.text)
                    developments.append(development)
                    break
    headline = lead.source.title or lead.briefing.headline
    return Written(headline, summary, developments, _briefing_positions(story, set()), warnings, "extractive")


def _same_figures(text: str, said: list[str]) -> bool:
    """Whether ``text`` states two or more figures and one statement of ``said`` states them all.

    Outlets word one fact differently ("voted 412 to 96" / "412 in favour and 96 against"); the
    figures give it away where the words do not.
    """
    return len(numbers_in(text)) >= 2 and any(not missing_numbers(text, other) for other in said)


def _key_sentences(member: Member) -> list[int]:
    """The sentences a member's briefing rests on: its summary's, then its key points'; else its opening ones."""
    withheld = set(member.article.withheld)
    summarized = [s.id for s in member.article.sentences if s.text in member.briefing.summary]
    cited = summarized + [e.sentence_id for point in member.briefing.key_points for e in point.evidence]
    ids = cited or [s.id for s in member.article.sentences[:_DEVELOPMENTS]]
    return [i for i in dict.fromkeys(ids) if i not in withheld and member.article.sentence_text(i)]


def _cited_everywhere(story: StoryGround, member: Member, sentence_id: int, max_words: int) -> Statement:
    """A member's sentence (cut at a clause when long), cited to it and to every other member that states it.

    The model's citations name every outlet that reports a fact (:meth:`StoryGround.corroborated`);
    so do these.
    """
    sentence = member.article.text_of(sentence_id)
    text = within_limit(sentence, max_words, shortened)
    own = Citation(article=member.source.id, sentence_id=sentence_id, text=sentence)
    others = story.corroborated(text, [f"{member.source.id}.S{sentence_id}"])[1:]
    return Statement(text=text, citations=[own, *(story.citation(label) for label in others)])


def notable_quotes(story: StoryGround) -> list[StoryQuote]:
    """Attributed quotes of the members, longest first per article, each quotation once."""
    quotes: list[StoryQuote] = []
    seen: set[str] = set()
    for member in story.members:
        attributed = [q for q in member.briefing.quotes if q.speaker != "unattributed" and len(q.text.split()) >= 5]
        for quote in sorted(attributed, key=lambda q: -len(q.text))[:_QUOTES_PER_ARTICLE]:
            if match_form(quote.text).lower() in seen:
                continue
            seen.add(match_form(quote.text).lower())
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
        anchored = anchor_evidence(sentence, [], story.words, minimum=SUMMARY_SUPPORT)
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
    words = match_form(actor).lower().split()
    return words[-1] if words else ""


def _citations(member: Member, evidence: list[Evidence]) -> list[Citation]:
    return [Citation(article=member.source.id, sentence_id=e.sentence_id, text=e.text) for e in evidence]


def _opening(member: Member) -> int:
    """The id of the article's first sentence that is not withheld (its lead)."""
    return next((s.id for s in member.article.sentences if s.id not in member.article.withheld), 1)


def _lead_statement(member: Member) -> Statement:
    sentence_id = _opening(member)
    text = member.article.text_of(sentence_id)
    return Statement(text=text, citations=[Citation(article=member.source.id, sentence_id=sentence_id, text=text)])
