"""The Python API: a reusable :class:`Summarizer` and the one-shot :func:`brief` / :func:`abrief`."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import openai
from pydantic import BaseModel

from summarizer.asking import Answer, Asking, D, Gate, StructuredCall, aask
from summarizer.backends.base import Backend
from summarizer.backends.extractive import EXTRACTIVE, ExtractiveBackend
from summarizer.backends.registry import Clients, create_backend
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.errors import InputError
from summarizer.events import BackendReady, BriefDone, EventHook, emit, hooked
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import article_from_text, check_text_size, load_article
from summarizer.local.weights import Progress
from summarizer.nlp.analysis import Analysis
from summarizer.nlp.model import EN_CORE_WEB_SM, ensure_nlp_model, load_pipeline
from summarizer.nlp.workers import ParsePool
from summarizer.pipeline import ANALYSIS_VERSION, STRATEGIES, Job, arun, prepare, request_fingerprint, run
from summarizer.prompting import Prompts, default_prompts
from summarizer.schema import Briefing
from summarizer.settings import REQUEST_SHAPING, Settings

if TYPE_CHECKING:
    from spacy.language import Language

Source = str | Path | Article
"""An :class:`Article`, a :class:`~pathlib.Path`, or a ``str``: a path or article text (see :func:`names_a_file`)."""

PATH_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".xhtml", ".json", ".jsonl"})
"""Suffixes of the article files the loaders read; a one-line ``str`` ending in one is a path."""


class Summarizer:
    """Briefs many articles with one backend; the embedded model's server is started once and reused.

    Without ``settings`` it uses :meth:`Settings.from_env`, as :func:`brief` does. ``client`` /
    ``async_client`` are configured SDK clients (Azure, a proxy, custom headers) to send
    requests through instead of ``base_url`` and ``api_key``; they stay the caller's to close.
    One instance may be shared by threads and event loops: it builds one backend, once.
    Use it as a context manager (``with``, or ``async with``), or call :meth:`close`, so the
    server, connections and NLP worker processes stop when you are done.

    Articles are parsed concurrently: in the calling thread while nothing else parses, in up to
    ``nlp_processes`` worker processes (default: one per core, at most 4; about 200 MB each)
    once parses overlap; 0 parses one article at a time in this process. ``event_hooks`` are
    called with every :class:`~summarizer.events.Event` of its briefs (see :mod:`summarizer.events`).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        backend: Backend | None = None,
        prompts: Prompts | None = None,
        progress: Progress | None = None,
        nlp_processes: int | None = None,
        event_hooks: Sequence[EventHook] = (),
    ) -> None:
        self.settings = settings if settings is not None else Settings.from_env()
        self._clients = Clients(client, async_client)
        self._backend = backend
        self._progress = progress
        self._lock = threading.Lock()
        self._nlp_processes = nlp_processes
        self._pool: ParsePool | None = None
        self.event_hooks = tuple(event_hooks)
        self.prompts = prompts or default_prompts()

    @property
    def backend(self) -> Backend:
        """The model backend, built on first use (the embedded model may need fetching), once per instance."""
        with self._lock:
            if self._backend is None:
                self._backend = create_backend(self.settings, progress=self._progress, clients=self._clients)
            return self._backend

    def start(self) -> None:
        """Build the backend and start the embedded model's server now, not on the first request."""
        started = time.perf_counter()
        backend = self.backend
        start = getattr(getattr(backend, "connection", None), "start", None)  # a Connection starts its server
        if callable(start):
            with hooked(self.event_hooks):
                start()
        with hooked(self.event_hooks):
            emit(BackendReady(backend.info.name, time.perf_counter() - started))

    async def astart(self) -> None:
        """:meth:`start` in a worker thread, and the NLP worker processes: a service awaits it at startup."""
        await asyncio.to_thread(self.start)
        (await asyncio.to_thread(self._parsers)).warm()

    def brief(self, source: Source, *, strict: bool | None = None) -> Briefing:
        """A grounded briefing of one article; raises GroundingError in strict mode instead of dropping."""
        with hooked(self.event_hooks):
            started = time.perf_counter()
            article = self.read(source)
            job = self._prepare(article, self.backend, self._parsers().analyze(article.text), started)
            return _done(run(job, self.backend, strict=self._strict(strict)), started)

    async def abrief(self, source: Source, *, strict: bool | None = None, gate: Gate | None = None) -> Briefing:
        """The asyncio form of :meth:`brief`; ``gate`` is entered around each model request.

        Nothing blocking runs on the event loop: reading, building the backend (the embedded
        server's start, see :meth:`astart`), assembly in worker threads, the NLP stage in
        worker threads or processes (:class:`~summarizer.nlp.workers.ParsePool`).
        """
        with hooked(self.event_hooks):
            started = time.perf_counter()
            article = await asyncio.to_thread(self.read, source)
            backend: Backend = (
                await asyncio.to_thread(getattr, self, "backend") if self._backend is None else self._backend
            )
            pool = await asyncio.to_thread(self._parsers) if self._pool is None else self._pool
            job = await asyncio.to_thread(self._prepare, article, backend, await pool.aanalyze(article.text), started)
            return _done(await arun(job, backend, strict=self._strict(strict), gate=gate), started)

    def brief_extractively(self, source: Source, *, because: str | None = None) -> Briefing:
        """A briefing from the article's own words, no model asked (what a digest falls back to).

        ``because`` says why, in the briefing's warnings: the model failed after its retries.
        """
        article = self.read(source)
        analysis = self._parsers().analyze(article.text)
        job = prepare(article, EXTRACTIVE, self.asking, part_tokens=self.settings.part_tokens, analysis=analysis)
        briefing = run(job, ExtractiveBackend(), strict=False)
        if because is None:
            return briefing
        note = WarningEntry.of(
            WarningCode.EXTRACTIVE_FALLBACK, "briefing", f"briefed from the article's own words: {because}"
        )
        return briefing.model_copy(
            update={"meta": briefing.meta.model_copy(update={"warnings": [*briefing.meta.warnings, note]})}
        )

    def read(self, source: Source) -> Article:
        """Turn any accepted source into an :class:`Article`: a path is read, a text is cleaned.

        Every source is held to ``max_input_bytes`` (UTF-8), text and articles as files are.
        """
        if isinstance(source, Article):
            check_text_size(source.text, self.settings.max_input_bytes, "the article's text")
            return source
        if isinstance(source, Path) or names_a_file(source):
            path = Path(source)
            if not path.exists():
                raise InputError(
                    f"{path}: no such file (a one-line str ending in {path.suffix or 'a file name'} is read as a "
                    "path; to brief text, pass summarizer.Article.from_text(text))"
                )
            return load_article(path, max_bytes=self.settings.max_input_bytes)
        return article_from_text(source, max_bytes=self.settings.max_input_bytes)

    def close(self) -> None:
        """Release the backend (and stop an embedded server) and the NLP worker processes."""
        with self._lock:
            backend, pool = self._backend, self._pool
        if backend is not None:
            backend.close()
        if pool is not None:
            pool.close()

    async def aclose(self) -> None:
        """The same, awaitable from an event loop (see ``async with``)."""
        with self._lock:
            backend, pool = self._backend, self._pool
        if backend is not None:
            await backend.aclose()
        if pool is not None:
            await asyncio.to_thread(pool.close)

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()

    def _prepare(self, article: Article, backend: Backend, analysis: Analysis, started: float) -> Job:
        strategy = self.settings.strategy or backend.info.default_strategy
        return prepare(article, strategy, self.asking, part_tokens=self.settings.part_tokens, analysis=analysis,
                       started=started)  # fmt: skip

    def _parsers(self) -> ParsePool:
        """The NLP stage's parsers (worker processes start only once parses overlap), made once."""
        with self._lock:
            if self._pool is None:
                folder = ensure_nlp_model(EN_CORE_WEB_SM, self.settings.model_store)
                self._pool = ParsePool(folder, self._nlp_processes)
            return self._pool

    @property
    def nlp(self) -> Language:
        """SpaCy's pipeline for the NLP stage, fetched and verified on first use, loaded once per process."""
        return load_pipeline(ensure_nlp_model(EN_CORE_WEB_SM, self.settings.model_store))

    @property
    def asking(self) -> Asking:
        """The prompts and re-ask bounds every model task of this summarizer uses."""
        return Asking(self.prompts, self.settings.max_reasks, self.settings.token_budget)

    async def aask(self, call: StructuredCall[D], *, gate: Gate | None = None) -> Answer[D]:
        """One model task beside the briefings (a digest's story), with this summarizer's backend and re-ask bounds.

        The digest asks through here rather than driving the backend itself, so a briefing and
        a story always share one backend, one set of prompts and one re-ask policy.
        """
        answers = await aask([call], self.backend, self.asking, gate=gate)
        return answers[0]

    def request_fingerprint(self, *tasks: tuple[type[BaseModel], int]) -> str:
        """What this summarizer's requests depend on besides the article, for cache keys.

        Covers every briefing step (and ``tasks``, e.g. a digest's story synthesis): see
        :func:`~summarizer.pipeline.request_fingerprint`; a client passed in counts by its URL.
        """
        steps = [(step.draft, step.max_tokens) for strategy in STRATEGIES.values() for step in strategy]
        shaping = {name: getattr(self.settings, name) for name in REQUEST_SHAPING}
        return request_fingerprint(
            self.prompts, [*steps, *tasks], shaping, self._clients.url, EN_CORE_WEB_SM.name, ANALYSIS_VERSION
        )

    def _strict(self, strict: bool | None) -> bool:
        return self.settings.strict if strict is None else strict


def _done(briefing: Briefing, started: float) -> Briefing:
    meta = briefing.meta
    emit(BriefDone(time.perf_counter() - started, meta.attempts, meta.input_tokens, meta.output_tokens,
                   len(meta.warnings)))  # fmt: skip
    return briefing


def names_a_file(source: str) -> bool:
    """Whether a ``str`` source is a path: one line that ends in an article suffix or names an existing file.

    Anything else is article text. A path-shaped string that names no file is an InputError,
    never briefed as a one-sentence article; :meth:`Article.from_text` and
    :meth:`Article.from_path` say which is meant outright.
    """
    if "\n" in source or len(source) > 1024:
        return False
    path = Path(source)
    return path.suffix.lower() in PATH_SUFFIXES or path.is_file()


def resolve_settings(settings: Settings | None, model: str | None) -> Settings:
    """What a one-shot call runs with: ``settings`` (else the environment's), ``model`` over its model."""
    chosen = settings if settings is not None else Settings.from_env()
    return chosen if model is None else dataclasses.replace(chosen, model=model)


def brief(
    source: Source,
    *,
    model: str | None = None,
    strict: bool | None = None,
    settings: Settings | None = None,
    client: openai.OpenAI | None = None,
) -> Briefing:
    """Brief one article. For many articles, keep a :class:`Summarizer` instead (one server start).

    ``strict`` and ``model``, when given, override ``settings``; without ``settings`` the
    environment's are used (:meth:`Settings.from_env`).
    """
    with Summarizer(resolve_settings(settings, model), client=client) as summarizer:
        return summarizer.brief(source, strict=strict)


async def abrief(
    source: Source,
    *,
    model: str | None = None,
    strict: bool | None = None,
    settings: Settings | None = None,
    async_client: openai.AsyncOpenAI | None = None,
) -> Briefing:
    """The asyncio form of :func:`brief`."""
    async with Summarizer(resolve_settings(settings, model), async_client=async_client) as summarizer:
        return await summarizer.abrief(source, strict=strict)
