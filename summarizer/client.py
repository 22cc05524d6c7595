"""The Python API: a reusable :class:`Summarizer` (the one-shot :func:`summarizer.brief` builds one per call)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

import openai
from pydantic import BaseModel

from summarizer._briefing.asking import Answer, D, ReaskBounds, RequestSlot, StructuredCall, aask
from summarizer._briefing.pipeline import (
    ANALYSIS_VERSION,
    STRATEGIES,
    PreparedArticle,
    arun,
    prepare,
    request_fingerprint,
    run,
)
from summarizer._briefing.prompting import Prompts, default_prompts
from summarizer._briefing.schema import Briefing
from summarizer._calls import Source, check_timeout, done, read_source, run_sync
from summarizer.backends.base import Backend
from summarizer.backends.extractive import EXTRACTIVE, ExtractiveBackend
from summarizer.backends.registry import Clients, create_backend
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.errors import BackendError, ConfigurationError
from summarizer.events import BackendReady, EventHook, emit, hooked
from summarizer.ingest.article import Article
from summarizer.local.weights import DownloadProgress
from summarizer.nlp.analysis import Analysis
from summarizer.nlp.model import EN_CORE_WEB_SM, ensure_nlp_model, load_pipeline
from summarizer.nlp.workers import ParsePool
from summarizer.settings import REQUEST_SHAPING, Settings

if TYPE_CHECKING:
    from spacy.language import Language

_WORKERS_UP = 120.0  # seconds astart waits for an NLP worker process to load its pipeline (about 2 s when idle)


class Summarizer:
    """Briefs many articles with one backend; the embedded model's server is started once and reused.

    Without ``settings`` it uses :meth:`Settings.from_env`, as :func:`summarizer.brief` does. ``client`` /
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
        progress: DownloadProgress | None = None,
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
        self._closed = False
        self.prompts = prompts or default_prompts()

    @property
    def backend(self) -> Backend:
        """The model backend, built on first use (the embedded model may need fetching), once per instance."""
        with self._lock:
            self._check_open()
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
        """:meth:`start` in a worker thread, and the NLP worker processes (until one is up): a service awaits it."""
        await asyncio.to_thread(self.start)
        await asyncio.to_thread((await asyncio.to_thread(self._parsers)).warm, wait=_WORKERS_UP)

    def brief(self, source: Source, *, strict: bool | None = None, timeout: float | None = None) -> Briefing:
        """A grounded briefing of one article; raises GroundingError in strict mode instead of dropping.

        ``timeout`` bounds this whole call in seconds (parsing, every request, retry and re-ask),
        beside ``Settings.timeout``, which bounds each request: a :class:`BackendError` when it passes.
        """
        if timeout is not None:
            return run_sync(self.abrief(source, strict=strict, timeout=timeout))
        with hooked(self.event_hooks):
            started = time.perf_counter()
            self._check_open()
            article = self.read(source)  # first: a missing file should not wait for a model to be fetched
            backend = self.backend
            analysis = self._parsers().analyze(article.text, claims=self._checks(backend))
            prepared = self._prepare(article, backend, analysis, started)
            return done(run(prepared, backend, strict=self._strict(strict)), started)

    async def abrief(
        self,
        source: Source,
        *,
        strict: bool | None = None,
        gate: RequestSlot | None = None,
        timeout: float | None = None,
    ) -> Briefing:
        """The asyncio form of :meth:`brief`; ``gate`` is entered around each model request.

        Nothing blocking runs on the event loop: reading, building the backend (the embedded
        server's start, see :meth:`astart`), assembly in worker threads, the NLP stage in
        worker threads or processes (:class:`~summarizer.nlp.workers.ParsePool`).
        """
        if timeout is not None:
            check_timeout(timeout)
            try:
                async with asyncio.timeout(timeout):
                    return await self.abrief(source, strict=strict, gate=gate)
            except TimeoutError as exc:
                raise BackendError(f"the briefing did not finish within timeout={timeout:g} s", retryable=True) from exc
        return (await self._abrief_nlp(source, strict, gate))[0]

    async def _abrief_nlp(
        self, source: Source, strict: bool | None, slot: RequestSlot | None
    ) -> tuple[Briefing, Analysis | None]:
        """:meth:`abrief`, and its NLP stage if made for claim checks (a digest checks stories with it), else None."""
        with hooked(self.event_hooks):
            started = time.perf_counter()
            self._check_open()
            article = await asyncio.to_thread(self.read, source)
            backend: Backend = (
                await asyncio.to_thread(getattr, self, "backend") if self._backend is None else self._backend
            )
            pool = await asyncio.to_thread(self._parsers) if self._pool is None else self._pool
            checks = self._checks(backend)
            analysis = await pool.aanalyze(article.text, claims=checks)
            prepared = await asyncio.to_thread(self._prepare, article, backend, analysis, started)
            briefing = done(await arun(prepared, backend, strict=self._strict(strict), slot=slot), started)
            return briefing, analysis if checks else None

    def brief_extractively(self, source: Source, *, because: str | None = None) -> Briefing:
        """A briefing from the article's own words, no model asked (what a digest falls back to).

        ``because`` says why, in the briefing's warnings: the model failed after its retries.
        """
        self._check_open()
        article = self.read(source)
        analysis = self._parsers().analyze(article.text, claims=False)
        prepared = prepare(
            article, EXTRACTIVE, self.reask_bounds, part_tokens=self.settings.part_tokens, analysis=analysis
        )
        briefing = run(prepared, ExtractiveBackend(), strict=False)
        if because is None:
            return briefing
        note = WarningEntry.of(
            WarningCode.EXTRACTIVE_FALLBACK, "briefing", f"briefed from the article's own words: {because}"
        )
        return briefing.model_copy(
            update={"meta": briefing.meta.model_copy(update={"warnings": [*briefing.meta.warnings, note]})}
        )

    def read(self, source: Source) -> Article:
        """Turn any accepted source into an :class:`Article`: a file is read, text (``str`` or UTF-8 bytes) cleaned.

        Every source is held to ``max_input_bytes`` (UTF-8), text and articles as files are.

        Raises:
            InputError: the file cannot be read, is too large, or the bytes are not UTF-8 text.
            TypeError: ``source`` is none of the accepted kinds (the message says what to pass).
        """
        return read_source(source, self.settings.max_input_bytes)

    def close(self) -> None:
        """Release the backend (and stop an embedded server); the summarizer cannot be used after this."""
        with self._lock:
            backend, pool, self._closed = self._backend, self._pool, True
        if backend is not None:
            backend.close()
        if pool is not None:
            pool.close()

    async def aclose(self) -> None:
        """The same, awaitable from an event loop (see ``async with``)."""
        with self._lock:
            backend, pool, self._closed = self._backend, self._pool, True
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

    def _checks(self, backend: Backend) -> bool:
        """Whether this summarizer's briefs check claims: only a strategy that asks the model has prose to check."""
        return bool(STRATEGIES.get(self.settings.strategy or backend.info.default_strategy, True))

    def _prepare(self, article: Article, backend: Backend, analysis: Analysis, started: float) -> PreparedArticle:
        strategy = self.settings.strategy or backend.info.default_strategy
        return prepare(article, strategy, self.reask_bounds, part_tokens=self.settings.part_tokens, analysis=analysis,
                       started=started, checking=self._parsers().checking)  # fmt: skip

    def _parsers(self) -> ParsePool:
        """The NLP stage's parsers (worker processes start only once parses overlap), made once."""
        with self._lock:
            if self._pool is None:
                folder = ensure_nlp_model(EN_CORE_WEB_SM, self.settings.model_store)
                self._pool = ParsePool(folder, self._nlp_processes)
            return self._pool

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                "this Summarizer is closed: make a new one, or keep it open for as long as it is used "
                "(one `with` / `async with` block around every call)"
            )

    @property
    def nlp(self) -> Language:
        """SpaCy's pipeline for the NLP stage, fetched and verified on first use, loaded once per process."""
        return load_pipeline(ensure_nlp_model(EN_CORE_WEB_SM, self.settings.model_store))

    @property
    def reask_bounds(self) -> ReaskBounds:
        """The prompts and re-ask bounds every model task of this summarizer uses."""
        return ReaskBounds(self.prompts, self.settings.max_reasks, self.settings.token_budget)

    async def _aask(self, call: StructuredCall[D], *, slot: RequestSlot | None = None) -> Answer[D]:
        """One model task beside the briefings (a digest's story), with this summarizer's backend and re-ask bounds.

        The digest asks through here rather than driving the backend itself, so a briefing and
        a story always share one backend, one set of prompts and one re-ask policy.
        """
        answers = await aask([call], self.backend, self.reask_bounds, slot=slot)
        return answers[0]

    def request_fingerprint(self, *tasks: tuple[type[BaseModel], int]) -> str:
        """What this summarizer's requests depend on besides the article, for cache keys.

        Covers every briefing step (and ``tasks``, e.g. a digest's story synthesis): see
        :func:`~summarizer._briefing.pipeline.request_fingerprint`; a client passed in counts by its URL.
        """
        steps = [(step.draft, step.max_tokens) for strategy in STRATEGIES.values() for step in strategy]
        shaping = {name: getattr(self.settings, name) for name in REQUEST_SHAPING}
        return request_fingerprint(
            self.prompts, [*steps, *tasks], shaping, self._clients.url, EN_CORE_WEB_SM.name, ANALYSIS_VERSION
        )

    def _strict(self, strict: bool | None) -> bool:
        return self.settings.strict if strict is None else strict
