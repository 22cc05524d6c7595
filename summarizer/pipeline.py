"""From an article to a grounded briefing: deterministic parts, model steps, assembly.

Quotes and speakers come from the text (:mod:`summarizer.ingest.attribution`); the model writes
what needs language. A small model works step by step (summary, then entities), each step a
short answer over the same article prefix; a strong model fills everything in one pass.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import ValidationError

from summarizer.backends.base import Answer, Backend, StructuredCall
from summarizer.drafts import Draft, DraftBriefing, DraftEntities, DraftSummary
from summarizer.errors import GroundingError, InputError
from summarizer.grounding import GroundedText, anchor_evidence, occurs_in
from summarizer.ingest.article import Article
from summarizer.ingest.attribution import UNATTRIBUTED, attribute_quotes, find_people, person_name
from summarizer.prompting import Prompts
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
)

STRATEGIES: dict[str, tuple[tuple[str, type[Draft], int], ...]] = {
    # (prompt template, draft model, max output tokens)
    "stepwise": (("summary", DraftSummary, 700), ("entities", DraftEntities, 500)),
    "single": (("single", DraftBriefing, 1500),),
}


@dataclass(frozen=True)
class Job:
    """One article prepared for the model: the calls to make, in order."""

    article: Article
    grounded: GroundedText
    calls: list[StructuredCall[Draft]]
    strategy: str


def prepare(article: Article, prompts: Prompts, strategy: str, *, max_reasks: int, token_budget: int | None) -> Job:
    """Check the article can be briefed and build the model calls for it."""
    grounded = GroundedText(article.text)
    if not grounded.sentences:
        raise InputError("the article has no text to brief once boilerplate is removed")
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    calls: list[StructuredCall[Draft]] = [
        StructuredCall(prompts.messages(task, grounded, article.title), model, grounded, max_reasks, token_budget, limit)
        for task, model, limit in STRATEGIES[strategy]
    ]
    return Job(article, grounded, calls, strategy)


def run(job: Job, backend: Backend, prompt_version: str, *, strict: bool) -> Briefing:
    """Brief synchronously."""
    started = time.perf_counter()
    answers = [backend.complete(call) for call in job.calls]
    return assemble(job, answers, backend.model_name, prompt_version, time.perf_counter() - started, strict=strict)


async def arun(job: Job, backend: Backend, prompt_version: str, *, strict: bool) -> Briefing:
    """Brief in asyncio; the steps of one article run in order (they share a prompt prefix)."""
    started = time.perf_counter()
    complete: Callable[[StructuredCall[Draft]], Awaitable[Answer[Draft]]] = backend.acomplete
    answers = [await complete(call) for call in job.calls]
    return assemble(job, answers, backend.model_name, prompt_version, time.perf_counter() - started, strict=strict)


def assemble(job: Job, answers: list[Answer[Draft]], model: str, prompt_version: str, seconds: float, *, strict: bool) -> Briefing:
    """Merge model drafts with deterministic quotes into a briefing that is grounded or refused."""
    warnings: list[str] = []
    drafts: list[Draft] = []
    for call, answer in zip(job.calls, answers, strict=True):
        draft, dropped = _usable(call.response_model, answer, job.grounded)
        warnings += dropped
        if draft is not None:
            drafts.append(draft)
    if strict and warnings:
        raise GroundingError("the model's answer could not be fully grounded: " + "; ".join(warnings), problems=warnings)
    summary = next((d for d in drafts if isinstance(d, DraftSummary)), None)
    entities = next((d for d in drafts if isinstance(d, DraftEntities)), None)
    quotes = _quotes(job.grounded)
    text = job.grounded
    headline, bottom_line = _headline_and_summary(job.article, summary, warnings)
    data = Briefing(
        source=SourceMeta(**job.article.model_dump(exclude={"text"})),
        headline=headline,
        summary=bottom_line,
        key_points=[
            KeyPoint(text=p.text, evidence=_evidence(text, anchor_evidence(p.text, p.sentences, text)))
            for p in (summary.key_points if summary else [])
        ],
        entities=_entities(entities, quotes, text),
        quotes=quotes,
        positions=[
            Position(actor=p.actor, stance=p.stance, evidence=_evidence(text, p.sentences))
            for p in (summary.positions if summary else [])
        ],
        meta=Meta(
            model=model,
            strategy=job.strategy,
            prompt_version=prompt_version,
            attempts=sum(a.attempts for a in answers),
            input_tokens=sum(a.input_tokens for a in answers),
            output_tokens=sum(a.output_tokens for a in answers),
            seconds=round(seconds, 3),
            warnings=warnings,
        ),
    )
    # The last guard: re-validate against the article. A bug upstream fails loudly here.
    return Briefing.model_validate(data.model_dump(), context={"article": text})


def _usable(model: type[Draft], answer: Answer[Draft], article: GroundedText) -> tuple[Draft | None, list[str]]:
    if answer.draft is not None:
        return answer.draft, []
    if answer.last_raw is None:
        return None, [f"{model.__name__}: no usable answer ({answer.error or 'empty'})"]
    try:
        lenient = model.model_validate_json(answer.last_raw)  # no context: shape only
    except ValidationError as exc:
        return None, [f"{model.__name__}: answer was not valid after re-asks ({exc.error_count()} errors)"]
    kept, dropped = lenient.grounded(article)
    return kept, [f"dropped: {problem}" for problem in dropped]


def _headline_and_summary(article: Article, summary: DraftSummary | None, warnings: list[str]) -> tuple[str, str]:
    if summary is not None and summary.headline.strip() and summary.summary.strip():
        return summary.headline.strip(), summary.summary.strip()
    # Extractive fallback: the article's own words, so it is grounded by construction.
    warnings.append("headline and summary taken from the article's opening (the model gave none)")
    first = GroundedText(article.text).sentences
    return (article.title or first[0].text)[:200], " ".join(s.text for s in first[:2])


def _evidence(article: GroundedText, ids: list[int]) -> list[Evidence]:
    return [Evidence(sentence_id=i, text=text) for i in dict.fromkeys(ids) if (text := article.sentence_text(i))]


def _quotes(article: GroundedText) -> list[Quote]:
    spans = article.quotes
    attributions = attribute_quotes(article.text, spans, article.sentences)
    return [
        Quote(
            id=index,
            text=span.text,
            start=span.start,
            end=span.end,
            sentence_ids=article.sentence_ids_between(span.start, span.end),
            speaker=attribution.speaker if occurs_in(attribution.speaker, article.text) else UNATTRIBUTED,
            attribution=attribution.method if occurs_in(attribution.speaker, article.text) else "unattributed",
        )
        for index, (span, attribution) in enumerate(zip(spans, attributions, strict=True), start=1)
    ]


def _entities(draft: DraftEntities | None, quotes: list[Quote], article: GroundedText) -> list[Entity]:
    people = [Entity(name=p.name, type=EntityType.PERSON, role=p.role) for p in (draft.people if draft else [])]
    known = {word.lower() for e in people for word in e.name.split()}
    speakers = [person_name(q.speaker) for q in quotes if q.speaker != UNATTRIBUTED]
    for name in [*speakers, *find_people(article.text)]:
        if name and occurs_in(name, article.text) and not {w.lower() for w in name.split()} & known:
            people.append(Entity(name=name, type=EntityType.PERSON))
            known |= {w.lower() for w in name.split()}
    others = [Entity(name=o, type=EntityType.ORGANIZATION) for o in (draft.organizations if draft else [])]
    others += [Entity(name=p, type=EntityType.PLACE) for p in (draft.places if draft else [])]
    unique: dict[tuple[str, str], Entity] = {}
    for entity in people + others:
        unique.setdefault((entity.name.lower(), entity.type.value), entity)
    return list(unique.values())
