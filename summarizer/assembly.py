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

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from summarizer.asking import Answer, usable_draft
from summarizer.draft_checks import POINT_WORDS, BriefingGround
from summarizer.drafts import (
    Draft,
    DraftBrief,
    DraftHeadline,
    DraftPoint,
    DraftPosition,
    DraftSummary,
    DraftTitle,
)
from summarizer.errors import GroundingError
from summarizer.extractive import headline_from, opening, shortened
from summarizer.grounding import GroundedText, fold, occurs_in
from summarizer.ingest.article import Article
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.analysis import Analysis
from summarizer.schema import (
    Briefing,
    Entity,
    EntityType,
    Evidence,
    KeyPoint,
    Meta,
    Position,
    Quote,
    SourceMeta,
    briefing_problems,
)

_MAX_POINTS = 8
_TYPES = {"person": EntityType.PERSON, "organization": EntityType.ORGANIZATION, "place": EntityType.PLACE}


@dataclass(frozen=True)
class Made:
    """How the briefing was made, for its ``meta``."""

    model: str
    strategy: str
    prompt_version: str
    seconds: float


def assemble(
    article: Article,
    ground: BriefingGround,
    analysis: Analysis,
    answers: Sequence[tuple[type[Draft], Answer[Draft]]],
    key_sentences: Sequence[Sentence],
    made: Made,
    *,
    strict: bool,
) -> Briefing:
    """The briefing of ``article`` from the model's answers and the NLP stage, grounded or refused."""
    grounded = ground.article
    warnings = [f"sentence S{i} addresses an AI model; it was withheld from the model" for i in grounded.withheld]
    drafts: list[DraftTitle] = []
    for model, answer in answers:
        draft, dropped = usable_draft(model, answer, ground)
        warnings += dropped
        if isinstance(draft, DraftTitle):
            drafts.append(draft)
    if strict and len(warnings) > len(grounded.withheld):
        raise GroundingError(
            "the model's answer could not be fully grounded: " + "; ".join(warnings), problems=warnings
        )
    summary = merged_summary(drafts)
    headline, bottom_line, used = _headline_and_summary(article.title, grounded, analysis, summary, answers, warnings)
    # Key sentences stand in for compressions that failed, and for a model that gave no key points;
    # a sentence the summary already is stays out of them.
    fill = key_sentences[1:] if summary is None or ground.offered is not None else []  # the lead is the summary's
    fill = [s for s in fill if s.id not in used]
    points = _key_points(summary, fill, grounded, analysis.gists, answers, warnings)
    briefing = Briefing(
        source=SourceMeta(**article.model_dump(exclude={"text"})),
        headline=headline,
        summary=bottom_line,
        key_points=points,
        entities=[Entity(name=e.name, type=_TYPES[e.kind], role=e.role) for e in analysis.entities],
        quotes=_quotes(analysis, grounded),
        positions=_positions(summary, grounded),
        meta=Meta(
            model=made.model,
            strategy=made.strategy,
            prompt_version=made.prompt_version,
            attempts=sum(a.attempts for _, a in answers),
            input_tokens=sum(a.input_tokens for _, a in answers),
            output_tokens=sum(a.output_tokens for _, a in answers),
            seconds=round(made.seconds, 3),
            warnings=warnings,
        ),
    )
    return _checked(briefing, grounded, strict=strict)


def _checked(briefing: Briefing, article: GroundedText, *, strict: bool) -> Briefing:
    """The last guard: validate against the article; drop (with a warning) whatever it refuses.

    A bug upstream must never ship an ungrounded item, nor crash the briefing: in strict mode it
    is a :class:`GroundingError`, otherwise the item goes and the warnings say why.
    """
    problems = briefing_problems(briefing, article)
    if problems and strict:
        raise GroundingError("the briefing could not be fully grounded: " + "; ".join(problems), problems=problems)
    if problems:
        briefing = _without_problems(briefing, article)
        meta = briefing.meta.model_copy(
            update={"warnings": [*briefing.meta.warnings, *(f"dropped: {p}" for p in problems)]}
        )
        briefing = briefing.model_copy(update={"meta": meta})
    try:
        return Briefing.model_validate(briefing.model_dump(), context={"article": article})
    except ValidationError as exc:  # pragma: no cover - _without_problems removes all briefing_problems finds
        raise GroundingError(f"the briefing failed its final check: {exc}", problems=[str(exc)]) from exc


def _without_problems(briefing: Briefing, article: GroundedText) -> Briefing:
    """The briefing without the entities, quotes, key points and positions its final check refuses."""

    def sound(evidence: list[Evidence]) -> bool:
        return all(article.sentence_text(e.sentence_id) == e.text for e in evidence)

    quotes = [
        q if q.speaker == "unattributed" or occurs_in(q.speaker, article.text)
        else q.model_copy(update={"speaker": "unattributed", "attribution": "unattributed"})
        for q in briefing.quotes
        if article.text[q.start : q.end] == q.text
    ]  # fmt: skip
    return briefing.model_copy(
        update={
            "entities": [e for e in briefing.entities if occurs_in(e.name, article.text)],
            "quotes": quotes,
            "key_points": [p for p in briefing.key_points if sound(p.evidence)],
            "positions": [p for p in briefing.positions if sound(p.evidence)],
        }
    )


def merged_summary(drafts: list[DraftTitle]) -> DraftTitle | None:
    """One summary from the parts of a long article: the lead part's headline, the parts' best points."""
    if len(drafts) <= 1:
        return drafts[0] if drafts else None
    lead = next(
        (d for d in drafts if d.headline.strip() and isinstance(d, DraftHeadline) and d.summary.strip()), drafts[0]
    )
    briefs = [d for d in drafts if isinstance(d, DraftBrief)]
    # every part's first point, then the parts' second points while there is room
    points = [d.key_points[0] for d in briefs if d.key_points]
    points += [d.key_points[1] for d in briefs if len(d.key_points) > 1][: max(_MAX_POINTS - len(points), 0)]
    points.sort(key=lambda p: min(p.sentences, default=0))
    actors: dict[str, DraftPosition] = {}
    for position in (p for d in drafts if isinstance(d, DraftSummary) for p in d.positions):
        actors.setdefault(position.actor.strip().lower(), position)
    update: dict[str, object] = {"key_points": points} if isinstance(lead, DraftBrief) else {}
    if isinstance(lead, DraftSummary):
        update["positions"] = list(actors.values())
    return lead.model_copy(update=update)


def _headline_and_summary(
    title: str | None,
    article: GroundedText,
    analysis: Analysis,
    summary: DraftTitle | None,
    answers: Sequence[object],
    warnings: list[str],
) -> tuple[str, str, set[int]]:
    """The model's headline and summary, else the article's title or lead, and its opening sentences (with their ids).

    The article's own words are grounded by construction.
    """
    lead = opening(article, analysis)
    headline = summary.headline if summary is not None and summary.headline else headline_from(title, lead)
    written = summary.summary if isinstance(summary, DraftHeadline) else ""
    if written:
        bottom_line, used = written, set[int]()
    else:
        bottom_line, used = " ".join(s.text for s in lead), {s.id for s in lead}
    if answers and (summary is None or not summary.headline or isinstance(summary, DraftHeadline) and not written):
        warnings.append("headline or summary taken from the article (the model gave none that could be used)")
    return headline, bottom_line, used


def _key_points(
    summary: DraftTitle | None,
    key_sentences: Sequence[Sentence],
    article: GroundedText,
    gists: dict[int, str],
    answers: Sequence[object],
    warnings: list[str],
) -> list[KeyPoint]:
    """The model's key points, and for each key sentence none of them covers, the sentence's own main fact.

    A compression that failed its checks falls back to its sentence's gist (its main clause),
    else to the sentence shortened at a clause boundary (never cut off); the lead is left to
    the summary.
    """
    drafted: list[DraftPoint] = list(summary.key_points) if isinstance(summary, DraftBrief) else []
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
            warnings.append(f"key point for S{sentence.id} is the sentence's own main clause")
    drafted.sort(key=lambda p: min(p.sentences, default=0))
    seen: set[str] = set()
    points: list[KeyPoint] = []
    for point in drafted:
        if fold(point.text).lower() not in seen:
            seen.add(fold(point.text).lower())
            points.append(KeyPoint(text=point.text, evidence=_evidence(article, point.sentences)))
    return points


def _positions(summary: DraftTitle | None, article: GroundedText) -> list[Position]:
    return [
        Position(actor=p.actor, stance=p.stance, evidence=_evidence(article, p.sentences))
        for p in (summary.positions if isinstance(summary, DraftSummary) else [])
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
