"""From an article to a grounded briefing: deterministic parts, model steps, assembly.

Quotes and speakers come from the text (:mod:`summarizer.ingest.attribution`); the model writes
what needs language. A small model works step by step (summary, then entities), each step a
short answer over the same article prefix; a strong model fills everything in one pass.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Generator, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from summarizer.backends.base import Answer, Backend, D, StructuredCall
from summarizer.drafts import (
    Draft,
    DraftBriefing,
    DraftEntities,
    DraftPerson,
    DraftPosition,
    DraftSummary,
    stance_problem,
)
from summarizer.errors import ConfigurationError, Deferred, GroundingError, InputError
from summarizer.grounding import GroundedText, occurs_in
from summarizer.ingest.article import Article
from summarizer.ingest.attribution import UNATTRIBUTED, attribute_quotes, find_people, person_name
from summarizer.ingest.parts import estimated_tokens, split_parts
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
    "stepwise": (("summary", DraftSummary, 600), ("entities", DraftEntities, 300)),
    "single": (("single", DraftBriefing, 1500),),
}


def request_fingerprint(prompts: Prompts, tasks: Iterable[tuple[type[BaseModel], int]], *shaping: object) -> str:
    """A hash of what shapes requests besides the article: templates, draft schemas, limits and settings.

    Each draft's JSON schema is hashed whole because its field descriptions and limits reach
    the model inside the request; ``tasks`` pairs each draft with its output token limit, and
    ``shaping`` holds the settings that change requests. Cache keys rest on it, so changing any
    of these redoes the work instead of serving results a different request would not give.
    """
    digest = hashlib.sha256(prompts.version.encode())
    for model, limit in tasks:
        digest.update(json.dumps([model.__name__, model.model_json_schema(), limit], sort_keys=True).encode())
    digest.update(json.dumps(shaping, sort_keys=True, default=str).encode())
    return digest.hexdigest()


Gate = Callable[[], AbstractAsyncContextManager[None]]
"""Entered around each model request: a batch's bound on requests in flight."""


@dataclass(frozen=True)
class Job:
    """One article prepared for the model: the calls to make, in order, and the re-ask bounds."""

    article: Article
    grounded: GroundedText
    calls: list[StructuredCall[Draft]]
    strategy: str
    asking: Asking


def prepare(article: Article, strategy: str, asking: Asking, *, part_tokens: int) -> Job:
    """Check the article can be briefed and build the model calls for it.

    An article of more than ``part_tokens`` (estimated) is briefed in parts, each part's steps
    seeing only its sentences under their whole-article ids; :func:`assemble` merges the drafts.
    """
    grounded = GroundedText(article.text)
    if not grounded.sentences:
        raise InputError("the article has no text to brief once boilerplate is removed")
    if strategy not in STRATEGIES:
        raise ConfigurationError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    parts = split_parts(grounded.sentences, article.text, part_tokens)
    for part in parts:
        if len(part) == 1 and (size := estimated_tokens(part[0].text)) > part_tokens:
            raise InputError(
                f"sentence S{part[0].id} alone is about {size:,} tokens, more than one request holds "
                f"({part_tokens:,}); the text needs sentence breaks"
            )
    calls: list[StructuredCall[Draft]] = [
        StructuredCall(
            asking.prompts.messages(task, grounded, article.title, part if len(parts) > 1 else None),
            model, grounded, limit,
        )
        for part in parts
        for task, model, limit in STRATEGIES[strategy]
    ]  # fmt: skip
    if len(parts) > 1 and asking.token_budget is not None:
        asking = dataclasses.replace(asking, token_budget=asking.token_budget * len(parts))
    named = strategy if len(parts) == 1 else f"{strategy}, {len(parts)} parts"
    return Job(article, grounded, calls, named, asking)


@dataclass(frozen=True)
class Asking:
    """How hard to try: re-asks per call and the tokens a whole task may spend on them."""

    prompts: Prompts
    max_reasks: int
    token_budget: int | None


def run(job: Job, backend: Backend, *, strict: bool) -> Briefing:
    """Brief synchronously."""
    started = time.perf_counter()
    answers = ask(job.calls, backend, job.asking)
    return _costed(assemble(job, answers, backend.model_name, time.perf_counter() - started, strict=strict), backend)


async def arun(job: Job, backend: Backend, *, strict: bool, gate: Gate | None = None) -> Briefing:
    """Brief in asyncio; the steps of one article run in order (they share a prompt prefix)."""
    started = time.perf_counter()
    answers = await aask(job.calls, backend, job.asking, gate=gate)
    return _costed(assemble(job, answers, backend.model_name, time.perf_counter() - started, strict=strict), backend)


def _costed(briefing: Briefing, backend: Backend) -> Briefing:
    """The briefing with the estimated cost of its tokens (every attempt's, re-asks included)."""
    meta = briefing.meta
    cost = backend.cost(meta.input_tokens, meta.output_tokens)
    return briefing.model_copy(update={"meta": meta.model_copy(update={"cost_usd": cost})})


def ask(calls: list[StructuredCall[D]], backend: Backend, asking: Asking) -> list[Answer[D]]:
    """Make ``calls`` in order, re-asking bad answers within ``asking``'s bounds."""
    conversation = _conversation(calls, asking)
    waiting: list[str] = []
    try:
        call = next(conversation)
        while True:
            try:
                answer = backend.complete(call)
            except Deferred as deferred:
                answer = _not_yet(deferred, waiting)
            call = conversation.send(answer)
    except StopIteration as finished:
        return _answers(finished.value, waiting)


async def aask(
    calls: list[StructuredCall[D]], backend: Backend, asking: Asking, *, gate: Gate | None = None
) -> list[Answer[D]]:
    """The asyncio form of :func:`ask`; ``gate`` is entered around each request and nothing else.

    A batch bounds requests in flight with it, so preparing prompts and validating answers
    never hold a request slot while the model sits idle.
    """
    conversation = _conversation(calls, asking)
    waiting: list[str] = []
    try:
        call = next(conversation)
        while True:
            try:
                async with gate() if gate is not None else contextlib.nullcontext():
                    answer = await backend.acomplete(call)
            except Deferred as deferred:
                answer = _not_yet(deferred, waiting)
            call = conversation.send(answer)
    except StopIteration as finished:
        return _answers(finished.value, waiting)


def _not_yet(deferred: Deferred, waiting: list[str]) -> Answer[Any]:
    """Note a request left to a batch job and go on to the task's other steps.

    The steps' first attempts do not depend on each other's answers, so one batch carries them
    all; an answer that is not there yet is never re-asked.
    """
    waiting.extend(deferred.custom_ids)
    return Answer(None, None, 0, 0, 0, ("deferred to a batch job",))


def _answers(answers: list[Answer[D]], waiting: list[str]) -> list[Answer[D]]:
    """The task's answers, or :class:`Deferred` with every request it is still waiting on."""
    if waiting:
        raise Deferred(tuple(waiting))
    return answers


def _conversation(
    calls: list[StructuredCall[D]], asking: Asking
) -> Generator[StructuredCall[D], Answer[D], list[Answer[D]]]:
    """Yield each call to make and receive its answer; re-ask bad answers within the bounds.

    Written once as a generator so the sync and async drivers cannot drift apart. A re-ask is
    built from the step's original messages plus the rejected answer and its problems, and stops
    at ``max_reasks`` per step, once the article has spent its token budget, or when a re-ask
    returns the very same answer (a model at temperature 0 that repeats itself will go on doing so).
    """
    answers: list[Answer[D]] = []
    for call in calls:
        answer = yield call
        reasks = 0
        while answer.draft is None and answer.last_raw is not None and reasks < asking.max_reasks:
            spent = sum(a.input_tokens + a.output_tokens for a in [*answers, answer])
            if asking.token_budget is not None and spent >= asking.token_budget:
                break
            retry = dataclasses.replace(
                call, messages=asking.prompts.reask(call.messages, answer.last_raw, answer.problems)
            )
            again = yield retry
            stuck = again.last_raw is not None and again.last_raw.strip() == answer.last_raw.strip()
            answer = dataclasses.replace(
                again,
                attempts=answer.attempts + again.attempts,
                input_tokens=answer.input_tokens + again.input_tokens,
                output_tokens=answer.output_tokens + again.output_tokens,
            )
            reasks += 1
            if stuck:
                break  # the same answer again: another re-ask would only repeat it
        answers.append(answer)
    return answers


def assemble(job: Job, answers: list[Answer[Draft]], model: str, seconds: float, *, strict: bool) -> Briefing:
    """Merge model drafts with deterministic quotes into a briefing that is grounded or refused."""
    grounded = job.grounded
    warnings = [f"sentence S{i} addresses an AI model; it was withheld from the model" for i in grounded.withheld]
    drafts: list[Draft] = []
    for call, answer in zip(job.calls, answers, strict=True):
        draft, dropped = usable_draft(call.response_model, answer, grounded)
        warnings += dropped
        if draft is not None:
            drafts.append(draft)
    if strict and len(warnings) > len(grounded.withheld):
        raise GroundingError(
            "the model's answer could not be fully grounded: " + "; ".join(warnings), problems=warnings
        )
    summary = _merged_summary([d for d in drafts if isinstance(d, DraftSummary)])
    entities = _merged_entities([d for d in drafts if isinstance(d, DraftEntities)])
    quotes = _quotes(grounded)
    headline, bottom_line = _headline_and_summary(job.article.title, grounded, summary, warnings)
    data = Briefing(
        source=SourceMeta(**job.article.model_dump(exclude={"text"})),
        headline=headline,
        summary=bottom_line,
        key_points=[
            KeyPoint(text=p.text.strip(), evidence=_evidence(grounded, p.sentences))
            for p in (summary.key_points if summary else [])
        ],
        entities=_entities(entities, quotes, grounded),
        quotes=quotes,
        positions=_positions(summary, grounded, warnings),
        meta=Meta(
            model=model,
            strategy=job.strategy,
            prompt_version=job.asking.prompts.version,
            attempts=sum(a.attempts for a in answers),
            input_tokens=sum(a.input_tokens for a in answers),
            output_tokens=sum(a.output_tokens for a in answers),
            seconds=round(seconds, 3),
            warnings=warnings,
        ),
    )
    # The last guard: re-validate against the article. A bug upstream fails loudly here.
    return Briefing.model_validate(data.model_dump(), context={"article": grounded})


def usable_draft(model: type[D], answer: Answer[D], ground: object) -> tuple[D | None, list[str]]:
    """The validated draft, or what is left of the last answer once ungrounded items are dropped."""
    if answer.draft is not None:  # validated against the article: already grounded and re-anchored
        return answer.draft, []
    if answer.last_raw is None:
        return None, [f"{model.__name__}: no usable answer ({'; '.join(answer.problems) or 'empty'})"]
    try:
        lenient = model.model_validate_json(answer.last_raw)  # no context: shape only
    except ValidationError as exc:
        return None, [f"{model.__name__}: answer was not valid after re-asks ({exc.error_count()} errors)"]
    kept, dropped = lenient.grounded(ground)
    return kept, [f"dropped: {problem}" for problem in dropped]


_MAX_POINTS = 8


def _merged_summary(drafts: list[DraftSummary]) -> DraftSummary | None:
    """One summary from the parts of a long article: the lead part's headline, the parts' best points."""
    if len(drafts) <= 1:
        return drafts[0] if drafts else None
    lead = next((d for d in drafts if d.headline.strip() and d.summary.strip()), drafts[0])
    # every part's first point, then the parts' second points while there is room
    points = [d.key_points[0] for d in drafts if d.key_points]
    points += [d.key_points[1] for d in drafts if len(d.key_points) > 1][: max(_MAX_POINTS - len(points), 0)]
    points.sort(key=lambda p: min(p.sentences, default=0))
    actors: dict[str, DraftPosition] = {}
    for position in (p for d in drafts for p in d.positions):
        actors.setdefault(position.actor.strip().lower(), position)
    return lead.model_copy(update={"key_points": points, "positions": list(actors.values())})


def _merged_entities(drafts: list[DraftEntities]) -> DraftEntities | None:
    """Everyone and everything the parts name, once each, in order of first mention."""
    if len(drafts) <= 1:
        return drafts[0] if drafts else None
    people: dict[str, DraftPerson] = {}
    for person in (p for d in drafts for p in d.people):
        people.setdefault(person.name.lower(), person)
    return drafts[0].model_copy(
        update={
            "people": list(people.values()),
            "organizations": list(dict.fromkeys(o for d in drafts for o in d.organizations)),
            "places": list(dict.fromkeys(p for d in drafts for p in d.places)),
        }
    )


def _headline_and_summary(
    title: str | None, article: GroundedText, summary: DraftSummary | None, warnings: list[str]
) -> tuple[str, str]:
    if summary is not None and summary.headline.strip() and summary.summary.strip():
        return summary.headline.strip(), summary.summary.strip()
    # Extractive fallback: the article's own words, so it is grounded by construction.
    warnings.append("headline and summary taken from the article's opening (the model gave none)")
    opening = [s.text for s in article.sentences if s.id not in article.withheld][:2] or [article.sentences[0].text]
    return (title or opening[0])[:200], " ".join(opening)


def _positions(summary: DraftSummary | None, article: GroundedText, warnings: list[str]) -> list[Position]:
    positions: list[Position] = []
    for draft in summary.positions if summary else []:
        issue = stance_problem(draft.stance.strip())
        if issue:
            warnings.append(f"dropped: position of {draft.actor.strip()!r}: {issue}")
            continue
        evidence = _evidence(article, draft.sentences)
        positions.append(Position(actor=draft.actor.strip(), stance=draft.stance.strip(), evidence=evidence))
    return positions


def _evidence(article: GroundedText, ids: list[int]) -> list[Evidence]:
    return [Evidence(sentence_id=i, text=text) for i in dict.fromkeys(ids) if (text := article.sentence_text(i))]


def _quotes(article: GroundedText) -> list[Quote]:
    quotes: list[Quote] = []
    for index, (span, found) in enumerate(
        zip(article.quotes, attribute_quotes(article.text, article.quotes, article.sentences), strict=True), start=1
    ):
        named = occurs_in(found.speaker, article.text)
        quotes.append(
            Quote(
                id=index,
                text=span.text,
                start=span.start,
                end=span.end,
                sentence_ids=article.sentence_ids_between(span.start, span.end),
                speaker=found.speaker if named else UNATTRIBUTED,
                attribution=found.method if named else "unattributed",
            )
        )
    return quotes


def _entities(draft: DraftEntities | None, quotes: list[Quote], article: GroundedText) -> list[Entity]:
    people = [Entity(name=p.name, type=EntityType.PERSON, role=p.role) for p in (draft.people if draft else [])]
    known = {word.lower() for e in people for word in e.name.split()}
    # A lone speaker word ("China has said") is as likely a country as a person; a titled one is not.
    speakers = [name for q in quotes if (name := person_name(q.speaker)) and len(name.split()) > 1]
    for name in [*speakers, *find_people(article.text)]:
        if not {w.lower() for w in name.split()} & known:
            people.append(Entity(name=name, type=EntityType.PERSON))
            known |= {w.lower() for w in name.split()}
    full_names = [e.name for e in people if len(e.name.split()) > 1]
    others = [Entity(name=o, type=EntityType.ORGANIZATION) for o in (draft.organizations if draft else [])]
    others += [Entity(name=p, type=EntityType.PLACE) for p in (draft.places if draft else [])]
    # Small models file people and loose phrases as organizations; keep names that are not people.
    others = [e for e in others if looks_like_name(e.name) and not any(n in e.name for n in full_names)]
    unique: dict[tuple[str, str], Entity] = {}
    for entity in people + others:
        unique.setdefault((entity.name.lower(), entity.type.value), entity)
    return list(unique.values())


_CONNECTORS = {"of", "the", "and", "for", "de", "la", "le", "al", "du", "van", "von", "on", "in", "&"}


def looks_like_name(text: str) -> bool:
    """A proper name: at most six words, each capitalized or a connector ("Bank of England")."""
    words = text.split()
    return (
        0 < len(words) <= 6
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.lower() in _CONNECTORS for w in words)
    )
