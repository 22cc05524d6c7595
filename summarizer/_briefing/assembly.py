"""Assemble a briefing: what the NLP stage found, what the model wrote, and the checks on both.

Quotes, speakers and entities come from the NLP stage (:mod:`summarizer.nlp.analysis`); the model
writes the headline, summary, key points and positions. Every model text was validated against
the article on the way in; what still fails is dropped with a warning (or raises in strict
mode). Where the model gave nothing usable the article's own words stand in: its title or lead
as headline, its opening as summary, its key sentences as key points, each marked in the
warnings. A last check of the whole briefing against the article drops anything it refuses,
item by item, so one bad item never loses the briefing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer._briefing.asking import Answer, usable_draft
from summarizer._briefing.draft_checks import POINT_WORDS, BriefingGround, fewer_copies
from summarizer._briefing.drafts import (
    CompressDraft,
    Draft,
    DraftPoint,
    DraftPosition,
    HeadlineDraft,
    SummarizeDraft,
    WriteDraft,
)
from summarizer._briefing.key_sentences import headline_from, opening, shortened
from summarizer._briefing.schema import (
    Briefing,
    Entity,
    EntityType,
    Evidence,
    KeyPoint,
    Meta,
    Position,
    Problem,
    Quote,
    SourceMeta,
    briefing_problems,
)
from summarizer.diagnostics import WarningCode, WarningEntry, messages
from summarizer.errors import GroundingError
from summarizer.grounding import GroundedText, match_form
from summarizer.ingest.article import Article
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.analysis import Analysis

_MAX_POINTS = 8
_TYPES = {"person": EntityType.PERSON, "organization": EntityType.ORGANIZATION, "place": EntityType.PLACE}


@dataclass(frozen=True)
class Provenance:
    """How the briefing was made, for its ``meta``: everything but what the answers and checks add."""

    model: str
    strategy: str
    prompt_version: str
    started: float
    """``time.perf_counter()`` when the brief began: ``meta.seconds`` spans the NLP stage and assembly."""
    parts: int = 1
    cost_usd: float | None = None


def assemble(
    article: Article,
    ground: BriefingGround,
    analysis: Analysis,
    answers: Sequence[tuple[type[Draft], Answer[Draft]]],
    key_sentences: Sequence[Sentence],
    provenance: Provenance,
    *,
    strict: bool,
) -> Briefing:
    """The briefing of ``article`` from the model's answers and the NLP stage, grounded or refused."""
    grounded = ground.article
    warnings = [
        WarningEntry.of(WarningCode.WITHHELD_INJECTION, "article",
                        f"sentence S{i} addresses an AI model; it was withheld from the model", [i])
        for i in grounded.withheld
    ]  # fmt: skip
    drafts: list[HeadlineDraft] = []
    refused: list[WarningEntry] = []
    for model, answer in answers:
        draft, dropped = usable_draft(model, answer, ground)
        refused += dropped
        if isinstance(draft, HeadlineDraft):
            drafts.append(draft)
    if strict and refused:
        raise GroundingError("the model's answer could not be fully grounded: " + messages(refused), problems=refused)
    warnings += refused
    summary = merged_summary(drafts)
    headline, bottom_line, used = _headline_and_summary(article.title, grounded, analysis, summary, answers, warnings)
    # Key sentences stand in for compressions that failed, and for a model that gave no key points;
    # a sentence the summary already is stays out of them.
    fill = key_sentences[1:] if summary is None or ground.offered is not None else []  # the lead is the summary's
    fill = [s for s in fill if s.id not in used]
    gists = fewer_copies([s.id for s in fill], analysis.gists, analysis.tight_gists, grounded)
    points = _key_points(summary, fill, grounded, gists, answers, warnings)
    briefing = Briefing(
        source=SourceMeta(**article.model_dump(exclude={"text"})),
        headline=headline,
        summary=bottom_line,
        key_points=points,
        entities=[Entity(name=e.name, type=_TYPES[e.kind], role=e.role) for e in analysis.entities],
        quotes=_quotes(analysis, grounded),
        positions=_positions(summary, grounded),
        meta=Meta(
            model=provenance.model,
            strategy=provenance.strategy,
            parts=provenance.parts,
            prompt_version=provenance.prompt_version,
            attempts=sum(a.attempts for _, a in answers),
            input_tokens=sum(a.input_tokens for _, a in answers),
            output_tokens=sum(a.output_tokens for _, a in answers),
            seconds=round(time.perf_counter() - provenance.started, 3),
            cost_usd=provenance.cost_usd,
            warnings=warnings,
        ),
    )
    return _checked(briefing, grounded, strict=strict)


def _checked(briefing: Briefing, article: GroundedText, *, strict: bool) -> Briefing:
    """The last guard: drop (or repair) whatever the final check refuses, with a warning for each.

    A bug upstream must never ship an ungrounded item, nor crash the briefing: in strict mode it
    is a :class:`GroundingError`, otherwise the item goes and the warnings say why. The check and
    the filter read the same :func:`~summarizer._briefing.schema.briefing_problems`, so what is left passes
    without a second pass of the check; a briefing something was dropped from is validated again
    (``model_copy`` skips its validators).
    """
    problems = list(briefing_problems(briefing, article))
    if problems and strict:
        found = [p.warning for p in problems]
        raise GroundingError("the briefing could not be fully grounded: " + messages(found), problems=found)
    if not problems:
        return briefing
    return Briefing.model_validate(_without(briefing, problems).model_dump())


def _without(briefing: Briefing, problems: list[Problem]) -> Briefing:
    """The briefing without the items ``problems`` name; a quote whose speaker is refused goes unattributed."""
    refused = {(p.field, p.index) for p in problems if p.warning.code == WarningCode.DROPPED_FINAL_CHECK}
    unnamed = {p.index for p in problems if p.warning.code == WarningCode.REPAIRED_SPEAKER}
    quotes = [
        q.model_copy(update={"speaker": "unattributed", "attribution": "unattributed"}) if i in unnamed else q
        for i, q in enumerate(briefing.quotes)
        if ("quotes", i) not in refused
    ]
    meta = briefing.meta.model_copy(update={"warnings": [*briefing.meta.warnings, *(p.warning for p in problems)]})
    return briefing.model_copy(
        update={
            "entities": [e for i, e in enumerate(briefing.entities) if ("entities", i) not in refused],
            "quotes": quotes,
            "key_points": [p for i, p in enumerate(briefing.key_points) if ("key_points", i) not in refused],
            "positions": [p for i, p in enumerate(briefing.positions) if ("positions", i) not in refused],
            "meta": meta,
        }
    )


def merged_summary(drafts: list[HeadlineDraft]) -> HeadlineDraft | None:
    """One summary from the parts of a long article: the lead part's headline, the parts' best points."""
    if len(drafts) <= 1:
        return drafts[0] if drafts else None
    lead = next(
        (d for d in drafts if d.headline.strip() and isinstance(d, SummarizeDraft) and d.summary.strip()), drafts[0]
    )
    briefs = [d for d in drafts if isinstance(d, CompressDraft)]
    # every part's first point, then the parts' second points while there is room
    points = [d.key_points[0] for d in briefs if d.key_points]
    points += [d.key_points[1] for d in briefs if len(d.key_points) > 1][: max(_MAX_POINTS - len(points), 0)]
    points.sort(key=lambda p: min(p.sentences, default=0))
    actors: dict[str, DraftPosition] = {}
    for position in (p for d in drafts if isinstance(d, WriteDraft) for p in d.positions):
        actors.setdefault(position.actor.strip().lower(), position)
    update: dict[str, object] = {"key_points": points} if isinstance(lead, CompressDraft) else {}
    if isinstance(lead, WriteDraft):
        update["positions"] = list(actors.values())
    return lead.model_copy(update=update)


def _headline_and_summary(
    title: str | None,
    article: GroundedText,
    analysis: Analysis,
    summary: HeadlineDraft | None,
    answers: Sequence[tuple[type[Draft], Answer[Draft]]],
    warnings: list[WarningEntry],
) -> tuple[str, str, set[int]]:
    """The model's headline and summary, else the article's title or lead, and its opening sentences (with their ids).

    The article's own words are grounded by construction.
    """
    lead = opening(article, analysis)
    gist, found = (analysis.gists.get(lead[0].id, ""), analysis.headlines.get(lead[0].id, "")) if lead else ("", "")
    headline = summary.headline if summary is not None and summary.headline else headline_from(title, lead, gist, found)
    written = summary.summary if isinstance(summary, SummarizeDraft) else ""
    if written:
        bottom_line, used = written, set[int]()
    else:
        bottom_line, used = " ".join(s.text for s in lead), {s.id for s in lead}
    if answers and (summary is None or not summary.headline):
        warnings.append(
            WarningEntry.of(
                WarningCode.FALLBACK_HEADLINE,
                "headline",
                "headline taken from the article (the model gave none that could be used)",
            )
        )
    asked = summary is None and any(issubclass(model, SummarizeDraft) for model, _ in answers)
    if answers and (asked or isinstance(summary, SummarizeDraft) and not written):
        warnings.append(WarningEntry.of(WarningCode.FALLBACK_SUMMARY, "summary",
                                        "summary taken from the article (the model gave none that could be used)",
                                        sorted(used)))  # fmt: skip
    return headline, bottom_line, used


def _key_points(
    summary: HeadlineDraft | None,
    key_sentences: Sequence[Sentence],
    article: GroundedText,
    gists: dict[int, str],
    answers: Sequence[object],
    warnings: list[WarningEntry],
) -> list[KeyPoint]:
    """The model's key points, and for each key sentence none of them covers, the sentence's own main fact.

    A compression that failed its checks falls back to its sentence's gist (its main clause),
    else to the sentence shortened at a clause boundary (never cut off); the lead is left to
    the summary.
    """
    drafted: list[DraftPoint] = list(summary.key_points) if isinstance(summary, CompressDraft) else []
    covered = {i for p in drafted for i in p.sentences}
    for sentence in key_sentences:
        if sentence.id in covered:
            continue
        gist = gists.get(sentence.id, "")
        # a long gist is cut at a clause of its own (never the raw sentence, which may open with a
        # fragment), or kept whole: a long key point beats a missing one
        text = gist if len(gist.split()) <= POINT_WORDS else shortened(gist, POINT_WORDS + 5) or gist
        if not text:
            continue
        drafted.append(DraftPoint(text=text, sentences=[sentence.id]))
        if answers:
            warnings.append(WarningEntry.of(WarningCode.FALLBACK_KEY_POINT, "key_points",
                                            f"key point for S{sentence.id} is the sentence's own main clause",
                                            [sentence.id]))  # fmt: skip
    drafted.sort(key=lambda p: min(p.sentences, default=0))
    seen: set[str] = set()
    points: list[KeyPoint] = []
    for point in drafted:
        if match_form(point.text).lower() not in seen:
            seen.add(match_form(point.text).lower())
            points.append(KeyPoint(text=point.text, evidence=_evidence(article, point.sentences)))
    return points


def _positions(summary: HeadlineDraft | None, article: GroundedText) -> list[Position]:
    return [
        Position(actor=p.actor, stance=p.stance, evidence=_evidence(article, p.sentences))
        for p in (summary.positions if isinstance(summary, WriteDraft) else [])
    ]


def _evidence(article: GroundedText, ids: list[int]) -> list[Evidence]:
    return [Evidence(sentence_id=i, text=text) for i in dict.fromkeys(ids) if (text := article.sentence_text(i))]


def _quotes(analysis: Analysis, article: GroundedText) -> list[Quote]:
    return [
        Quote(
            id=index,
            text=quote.text,
            start=quote.start,
            end=quote.end,
            sentence_ids=article.sentence_ids_between(quote.start, quote.end),
            speaker=quote.speaker,
            attribution=quote.method,
        )
        for index, quote in enumerate(analysis.quotes, start=1)
    ]
