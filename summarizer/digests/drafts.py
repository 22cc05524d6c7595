"""What the model is asked to fill for a story, and the sentences of its members it must be traced to.

The model sees labelled sentences (``[A2.S7]``) of each member article - the ones its briefing
rests on - and answers with a headline, a summary, developments and positions that cite labels.
Validation with the story as ground re-anchors each development to the sentences that state it,
rejects labels that do not exist, numbers the cited sentences do not hold and actors they do not
name. This mirrors :mod:`summarizer._briefing.drafts` for one article; ``Field`` descriptions are prompt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Self

from pydantic import BaseModel, Field

from summarizer._briefing.asking import StructuredCall
from summarizer._briefing.draft_checks import (
    POINT_WORDS,
    STRAY,
    first_sentences,
    sentence_case,
    title_case,
    within_limit,
)
from summarizer._briefing.drafts import Draft, Flaw
from summarizer._briefing.key_sentences import SUMMARY_WORDS, shortened
from summarizer._briefing.prompting import LabelledArticle, Prompts
from summarizer._briefing.schema import Briefing
from summarizer.claims.features import ABSENCES
from summarizer.grounding import (
    GroundedText,
    anchor_evidence,
    anchor_statement,
    content_words,
    match_form,
    missing_numbers,
    occurs_in,
)
from summarizer.ingest.sentences import split_sentences
from summarizer.nlp.headlines import HEADLINE_WORDS

from .schema import Citation, Source

if TYPE_CHECKING:
    from summarizer.claims.checker import ClaimChecker
    from summarizer.nlp.analysis import Analysis

_LABEL = re.compile(r"A(\d+)\W{0,3}S(\d+)", re.IGNORECASE)  # the model may write [A1 S4] for A1.S4
_OFFERED_PER_ARTICLE = 8
_LEAD = 2
_CORROBORATION = 0.5  # share of a statement's content words another article's sentence must hold
SYNTHESIS_TOKENS = 700


@dataclass(frozen=True)
class Member:
    """An article of a story: its digest source entry, its text and its briefing.

    ``analysis``: the NLP stage its briefing ran, when made for claim checks; the story's
    checkers read it instead of running the stage again (None: a briefing made earlier).
    """

    source: Source
    article: GroundedText
    briefing: Briefing
    analysis: Analysis | None = None


@dataclass(frozen=True)
class StoryGround:
    """The sentences a story may cite, by label (``A3.S4``: the digest's source A3, sentence 4).

    ``claims`` holds a claim checker per member (by source id) where the model writes the story:
    what it writes is then checked against the articles it cites (:meth:`claim_problem`).
    """

    members: list[Member]
    claims: dict[str, ClaimChecker] = field(default_factory=dict)

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
            if found and statement_problem(statement, found, self) is None:
                extra += found
        return [*labels, *extra]

    def claim_problem(self, text: str, labels: list[str]) -> str | None:
        """What the claim checker finds unsupported in ``text`` by the articles ``labels`` cite, or None.

        What one cited article contradicts is a problem; a name or number one article lacks is
        one only when every cited article lacks it (outlets report different parts of a fact).
        """
        cited = dict.fromkeys(label.split(".")[0] for label in labels)
        found = [self.claims[a].problems(text) for a in cited if a in self.claims]
        if not found:
            return None
        wrong = [p for problems in found for p in problems if not p.startswith(ABSENCES)]
        lacking = [p for p in found[0] if p.startswith(ABSENCES)] if all(found) else []
        problems = list(dict.fromkeys(wrong + lacking))
        return f"is not what its sources say: {'; '.join(problems)}" if problems else None

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

    def grounded(self, story: StoryGround) -> tuple[Self, list[Flaw]]:
        problems: list[Flaw] = []
        developments: list[DraftDevelopment] = []
        seen: set[str] = set()
        for item in self.developments:
            text = within_limit(
                item.text.strip(), POINT_WORDS, shortened
            )  # long prose is cut at a clause, never mid-word
            if match_form(text).lower() in seen:
                continue
            seen.add(match_form(text).lower())
            known, _ = normalize_labels(item.sources, story)  # a wrong label is repaired like a wrong id
            anchored = anchor_statement(text, known, story.words, story.text)
            issue = statement_problem(text, anchored, story)
            if issue is None and STRAY.search(text):
                issue = "carries stray JSON or markup; write plain prose"
            if issue:
                problems.append(Flaw("developments", f"development {item.text[:60]!r} {issue}"))
                continue
            developments.append(item.model_copy(update={"text": text, "sources": anchored}))
        positions: list[DraftStoryPosition] = []
        for position in self.positions:
            known, unknown = normalize_labels(position.sources, story)
            naming = story.naming(position.actor, known)
            if not known:
                problems.append(
                    Flaw("positions", f"position of {position.actor[:40]!r} cites labels that do not exist: {unknown}")
                )
            elif not naming:
                problems.append(
                    Flaw("positions", f"position of {position.actor[:40]!r}: its sentences do not name that actor")
                )
            else:
                positions.append(position.model_copy(update={"sources": naming}))
        summary = self._checked_summary(story, problems)
        if not self.headline.strip() or not self.summary.strip():
            problems.append(Flaw("headline", "headline and summary must not be empty"))
        elif STRAY.search(self.headline + self.summary):
            problems.append(Flaw("headline", "headline and summary must be plain prose, without JSON or markup"))
        headline = self._checked_headline(story, problems)
        summary = within_limit(summary, SUMMARY_WORDS, first_sentences)
        update = {"developments": developments, "positions": positions, "headline": headline, "summary": summary}
        return self.model_copy(update=update), problems

    def _checked_headline(self, story: StoryGround, problems: list[Flaw]) -> str:
        """The headline, or "" when the claim checker finds it unsupported (a problem).

        A story without a headline is told in its articles' own words.
        """
        headline = within_limit(self.headline.strip(), HEADLINE_WORDS, shortened)
        names = frozenset().union(*(checker.ground.names for checker in story.claims.values()))
        read = sentence_case(headline, names) if title_case(headline) else headline
        anchored = anchor_evidence(read, [], story.words, minimum=SUMMARY_SUPPORT)
        issue = story.claim_problem(read, anchored) if anchored else None
        if issue:
            problems.append(Flaw("headline", f"the headline {headline[:60]!r} {issue}"))
            return ""
        return headline

    def _checked_summary(self, story: StoryGround, problems: list[Flaw]) -> str:
        """The summary without the sentences the claim checker finds unsupported (each one a problem)."""
        kept: list[str] = []
        for sentence in (found.text for found in split_sentences(self.summary.strip())):
            anchored = anchor_evidence(sentence, [], story.words, minimum=SUMMARY_SUPPORT)
            issue = story.claim_problem(sentence, anchored) if anchored else None
            if issue:
                problems.append(Flaw("summary", f"the summary sentence {sentence[:60]!r} {issue}"))
            else:
                kept.append(sentence)
        return " ".join(kept)


SUMMARY_SUPPORT = 0.5
"""A story summary's sentence must share this share of its content words with a source sentence."""


def statement_problem(text: str, labels: list[str], story: StoryGround) -> str | None:
    """Why ``labels`` do not ground ``text``, or None.

    None cited, numbers their sentences do not hold, or what the claim checker finds their
    articles do not support.
    """
    if not labels:
        return f"cites no sentence that states it (valid labels look like {next(iter(story.offered))})"
    absent = missing_numbers(text, " ".join(story.text(label) for label in labels))
    if absent:
        return f"has numbers its sentences do not contain: {absent}"
    return story.claim_problem(text, labels)


def story_call(story: StoryGround, prompts: Prompts) -> StructuredCall[DraftStory]:
    """The one model call that writes a story of several articles."""
    return StructuredCall(prompts.story_messages(story.labelled()), DraftStory, story, SYNTHESIS_TOKENS)
