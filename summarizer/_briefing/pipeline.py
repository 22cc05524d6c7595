"""From an article to a grounded briefing: the NLP stage, the model's steps, assembly.

The NLP stage (:mod:`summarizer.nlp.analysis`) runs once, first: quotes, speakers and entities
come from the text. The model writes what needs language, by one of four strategies:
``headline`` (the smallest models) shows it only the article's key sentences and asks for a
headline, the lead being the summary and the key sentences' main clauses the key points;
``summarize`` also asks for a summary fused from the key sentences;
``compress`` also asks it to compress each key sentence into a key point; ``write`` (strong
models) shows it the whole article; ``extractive`` asks no model at all.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from summarizer._briefing.asking import Answer, ReaskBounds, RequestSlot, StructuredCall, aask, ask
from summarizer._briefing.assembly import Provenance, assemble
from summarizer._briefing.draft_checks import BriefingGround
from summarizer._briefing.drafts import CompressDraft, Draft, HeadlineDraft, SummarizeDraft, WriteDraft
from summarizer._briefing.key_sentences import KEY_POINTS, key_sentences
from summarizer._briefing.parts import estimated_tokens, split_parts
from summarizer._briefing.prompting import Prompts
from summarizer._briefing.schema import Briefing
from summarizer.backends.base import Backend, ModelInfo, Reply, Request
from summarizer.claims.checker import ClaimChecker, Parser
from summarizer.errors import ConfigurationError, InputError
from summarizer.grounding import GroundedText, content_words
from summarizer.ingest.article import Article
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.analysis import Analysis, analyze
from summarizer.nlp.claim_parser import ClaimParser

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Step:
    """One model call of a strategy: its task template, the draft it fills, its output token limit."""

    template: str
    draft: type[Draft]
    max_tokens: int


STRATEGIES: dict[str, tuple[Step, ...]] = {
    "extractive": (),
    "headline": (Step("headline", HeadlineDraft, 60),),
    "summarize": (Step("summarize", SummarizeDraft, 250),),
    "compress": (Step("compress", CompressDraft, 600),),
    "write": (Step("write", WriteDraft, 900),),
}
ANALYSIS_VERSION = "10"
"""Bumped whenever the NLP stage's rules change what a briefing holds: cached briefings are redone."""


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


@dataclass(frozen=True)
class PreparedArticle:
    """One article prepared for the model: what the NLP stage found, the calls to make, the re-ask bounds."""

    article: Article
    ground: BriefingGround
    analysis: Analysis
    key_sentences: list[Sentence]
    calls: list[StructuredCall[Draft]]
    strategy: str
    bounds: ReaskBounds
    parts: int = 1
    started: float = dataclasses.field(default_factory=time.perf_counter)
    """When the brief began (``time.perf_counter``): ``meta.seconds`` counts the NLP stage too."""
    parser: ClaimParser | None = None
    """The claim checker's parser when it parses in worker processes: each answer's prose is queued at once."""


def prepare(
    article: Article,
    strategy: str,
    bounds: ReaskBounds,
    *,
    part_tokens: int,
    analysis: Analysis | Language,
    started: float | None = None,
    checking: tuple[Parser, AbstractContextManager[object]] | None = None,
) -> PreparedArticle:
    """Build the model calls for ``article`` from its NLP stage (``analysis``, or run here with a pipeline).

    The caller usually runs the stage itself (:class:`~summarizer.nlp.workers.ParsePool`: in
    worker processes, off the event loop) and passes its result, with when the brief ``started``
    (``time.perf_counter``) so ``meta.seconds`` still counts the stage. ``checking`` is the pipeline
    the claim checker parses model prose with and the lock it parses under (with a pipeline as
    ``analysis``, that one); without either, prose is checked by the word rules alone.

    ``headline``, ``summarize`` and ``compress`` show the model only the key sentences, so any article fits one request;
    ``write`` briefs an article of more than ``part_tokens`` (estimated) in parts, each part's
    call seeing only its sentences under their whole-article ids.
    """
    if strategy not in STRATEGIES:
        raise ConfigurationError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    started = time.perf_counter() if started is None else started
    grounded = GroundedText(article.text)
    if not grounded.sentences:
        raise InputError("the article has no text to brief once boilerplate is removed")
    if not isinstance(analysis, Analysis):
        checking = checking or (analysis, nullcontext())
        analysis = analyze(grounded, analysis)
    asks = bool(STRATEGIES[strategy])  # only a model's prose has claims to check
    claims, parser = None, None
    if checking is not None and asks:
        nlp, lock = checking
        claims = ClaimChecker.from_analysis(grounded, analysis, nlp, lock, article.title)
        parser = nlp if isinstance(nlp, ClaimParser) else None
    names = frozenset(w for e in analysis.entities for w in content_words(e.name))
    chosen = key_sentences(grounded, analysis, KEY_POINTS + 1, article.title)
    if strategy in ("headline", "summarize", "compress"):
        ground = BriefingGround(grounded, names, tuple(s.id for s in chosen), analysis.gists, claims)
        step = STRATEGIES[strategy][0]
        messages = bounds.prompts.messages(
            step.template, grounded, article.title, chosen, points=[s.id for s in chosen[1:]]
        )
        calls: list[StructuredCall[Draft]] = [StructuredCall(messages, step.draft, ground, step.max_tokens)]
        return PreparedArticle(
            article, ground, analysis, chosen, calls, strategy, bounds, started=started, parser=parser
        )
    ground = BriefingGround(grounded, names, gists=analysis.gists, claims=claims)
    parts = _parts(grounded, part_tokens) if STRATEGIES[strategy] else []
    calls = [
        StructuredCall(
            bounds.prompts.messages(step.template, grounded, article.title, part if len(parts) > 1 else None),
            step.draft, ground, step.max_tokens,
        )
        for part in parts
        for step in STRATEGIES[strategy]
    ]  # fmt: skip
    if len(parts) > 1 and bounds.token_budget is not None:
        bounds = dataclasses.replace(bounds, token_budget=bounds.token_budget * len(parts))
    return PreparedArticle(
        article, ground, analysis, chosen, calls, strategy, bounds, max(len(parts), 1), started, parser
    )


def _parts(article: GroundedText, part_tokens: int) -> list[list[Sentence]]:
    parts = split_parts(article.sentences, article.text, part_tokens)
    for part in parts:
        if len(part) == 1 and (size := estimated_tokens(part[0].text)) > part_tokens:
            raise InputError(
                f"sentence S{part[0].id} alone is about {size:,} tokens, more than one request holds "
                f"({part_tokens:,}); the text needs sentence breaks"
            )
    return parts


def run(prepared: PreparedArticle, backend: Backend, *, strict: bool) -> Briefing:
    """Brief synchronously."""
    return _finish(
        prepared, ask(prepared.calls, _Prefetching.of(backend, prepared), prepared.bounds), backend, strict=strict
    )


async def arun(
    prepared: PreparedArticle, backend: Backend, *, strict: bool, slot: RequestSlot | None = None
) -> Briefing:
    """Brief in asyncio; the steps of one article run in order (they share a prompt prefix)."""
    answers = await aask(prepared.calls, _Prefetching.of(backend, prepared), prepared.bounds, slot=slot)
    # Assembly and the final grounding check are CPU work (up to 0.3 s on a long article): off the loop.
    return await asyncio.to_thread(_finish, prepared, answers, backend, strict=strict)


def _finish(prepared: PreparedArticle, answers: list[Answer[Draft]], backend: Backend, *, strict: bool) -> Briefing:
    """Assemble the briefing, its ``meta`` built once (cost from the answers' tokens, time since the brief began)."""
    paired = [(call.response_model, answer) for call, answer in zip(prepared.calls, answers, strict=True)]
    cost = backend.info.cost(sum(a.input_tokens for a in answers), sum(a.output_tokens for a in answers))
    provenance = Provenance(
        backend.info.name, prepared.strategy, prepared.bounds.prompts.version, prepared.started, prepared.parts, cost
    )
    return assemble(
        prepared.article, prepared.ground, prepared.analysis, paired, prepared.key_sentences, provenance, strict=strict
    )


@dataclass(frozen=True)
class _Prefetching:
    """The backend, with each answer's prose queued for parsing as the answer arrives (see :class:`ClaimParser`).

    Validation then checks the answer's claims one by one, each parse already made in one batch.
    """

    backend: Backend
    parser: ClaimParser

    @classmethod
    def of(cls, backend: Backend, prepared: PreparedArticle) -> Backend:
        return backend if prepared.parser is None else cls(backend, prepared.parser)

    @property
    def info(self) -> ModelInfo:
        return self.backend.info

    def send(self, request: Request) -> Reply:
        reply = self.backend.send(request)
        self.parser.prefetch_answer(reply.text)
        return reply

    async def asend(self, request: Request) -> Reply:
        reply = await self.backend.asend(request)
        self.parser.prefetch_answer(reply.text)
        return reply

    def close(self) -> None:
        self.backend.close()

    async def aclose(self) -> None:
        await self.backend.aclose()
