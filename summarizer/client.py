"""The Python API: a reusable :class:`Summarizer` and the one-shot :func:`brief` / :func:`abrief`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import math
import threading
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import openai
from pydantic import BaseModel

from summarizer.asking import Answer, Asking, D, Gate, StructuredCall, aask
from summarizer.backends.base import Backend
from summarizer.backends.extractive import EXTRACTIVE, ExtractiveBackend
from summarizer.backends.registry import Clients, create_backend
from summarizer.diagnostics import WarningCode, WarningEntry
from summarizer.errors import BackendError, ConfigurationError, InputError
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import article_from_text, load_article
from summarizer.local.weights import Progress
from summarizer.nlp.model import EN_CORE_WEB_SM, ensure_nlp_model, load_pipeline
from summarizer.pipeline import ANALYSIS_VERSION, STRATEGIES, Job, arun, prepare, request_fingerprint, run
from summarizer.prompting import Prompts, default_prompts
from summarizer.schema import Briefing
from summarizer.settings import REQUEST_SHAPING, Settings

if TYPE_CHECKING:
    from spacy.language import Language

T = TypeVar("T")

Source = str | bytes | Path | Article
"""What :meth:`Summarizer.brief` takes: article text (``str``, or ``bytes`` in UTF-8), or a file.

A file is a :class:`~pathlib.Path` or :meth:`Article.from_path`, never a ``str``: in a service a
string is what a user sent, and reading it as a path would let them read the server's files.
"""


class Summarizer:
    """Briefs many articles with one backend; the embedded model's server is started once and reused.

    Without ``settings`` it uses :meth:`Settings.from_env`, as :func:`brief` does. ``client`` /
    ``async_client`` are configured SDK clients (Azure, a proxy, custom headers) to send
    requests through instead of ``base_url`` and ``api_key``; they stay the caller's to close.
    One instance may be shared by threads and event loops: it builds one backend, once.
    Use it as a context manager (``with``, or ``async with``), or call :meth:`close`, so the
    server and connections stop when you are done.
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
    ) -> None:
        self.settings = settings if settings is not None else Settings.from_env()
        self._clients = Clients(client, async_client)
        self._backend = backend
        self._progress = progress
        self._lock = threading.Lock()
        self._parsing = threading.Lock()
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

    def brief(self, source: Source, *, strict: bool | None = None, timeout: float | None = None) -> Briefing:
        """A grounded briefing of one article; raises GroundingError in strict mode instead of dropping.

        ``timeout`` bounds this whole call in seconds (parsing, every request, retry and re-ask),
        beside ``Settings.timeout``, which bounds each request: a :class:`BackendError` when it passes.
        """
        if timeout is not None:
            return run_sync(self.abrief(source, strict=strict, timeout=timeout))
        return run(self._job(source), self.backend, strict=self._strict(strict))

    async def abrief(
        self, source: Source, *, strict: bool | None = None, gate: Gate | None = None, timeout: float | None = None
    ) -> Briefing:
        """The asyncio form of :meth:`brief`; ``gate`` is entered around each model request.

        The NLP stage runs in a worker thread: parsing is CPU work, and the event loop keeps
        serving other articles' requests (and signals) meanwhile.
        """
        if timeout is None:
            job = await asyncio.to_thread(self._job, source)
            return await arun(job, self.backend, strict=self._strict(strict), gate=gate)
        _check_timeout(timeout)
        try:
            async with asyncio.timeout(timeout):
                return await self.abrief(source, strict=strict, gate=gate)
        except TimeoutError as exc:
            raise BackendError(f"the briefing did not finish within timeout={timeout:g} s", retryable=True) from exc

    def brief_extractively(self, source: Source, *, because: str | None = None) -> Briefing:
        """A briefing from the article's own words, no model asked (what a digest falls back to).

        ``because`` says why, in the briefing's warnings: the model failed after its retries.
        """
        self._check_open()
        article = self.read(source)
        with self._parsing:
            parts = self.settings.part_tokens
            job = prepare(article, EXTRACTIVE, self.asking, part_tokens=parts, nlp=self.nlp, lock=self._parsing)
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
        """Turn any accepted source into an :class:`Article`: a file is read, text (``str`` or UTF-8 bytes) cleaned.

        Raises:
            InputError: the file cannot be read, or the bytes are not UTF-8 text.
            TypeError: ``source`` is none of the accepted kinds (the message says what to pass).
        """
        if isinstance(source, Article):
            return source
        if isinstance(source, Path):
            return load_article(source, max_bytes=self.settings.max_input_bytes)
        if isinstance(source, str):
            return article_from_text(source)
        if isinstance(source, bytes):
            try:
                return article_from_text(source.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the article bytes are not UTF-8 text ({exc.reason} at byte {exc.start}): decode them "
                    "yourself and pass the str, or pass the file as a pathlib.Path to have its encoding detected"
                ) from exc
        raise TypeError(
            f"cannot brief a {type(source).__name__}: pass article text as a str (or UTF-8 bytes), "
            "a file as a pathlib.Path or summarizer.Article.from_path(path), or a summarizer.Article"
        )

    def close(self) -> None:
        """Release the backend (and stop an embedded server); the summarizer cannot be used after this."""
        with self._lock:
            backend, self._closed = self._backend, True
        if backend is not None:
            backend.close()

    async def aclose(self) -> None:
        """The same, awaitable from an event loop (see ``async with``)."""
        with self._lock:
            backend, self._closed = self._backend, True
        if backend is not None:
            await backend.aclose()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                "this Summarizer is closed: make a new one, or keep it open for as long as it is used "
                "(one `with` / `async with` block around every call)"
            )

    def _job(self, source: Source) -> Job:
        self._check_open()
        article = self.read(source)  # first: a missing file should not wait for a model to be fetched
        strategy = self.settings.strategy or self.backend.info.default_strategy
        with self._parsing:  # one parse at a time: a spaCy pipeline is not made for concurrent use
            return prepare(
                article, strategy, self.asking, part_tokens=self.settings.part_tokens, nlp=self.nlp, lock=self._parsing
            )

    @property
    def nlp(self) -> Language:
        """SpaCy's pipeline for the NLP stage, fetched and verified on first use, loaded once per process."""
        return load_pipeline(ensure_nlp_model(EN_CORE_WEB_SM, self.settings.model_store))

    @property
    def asking(self) -> Asking:
        """The prompts and re-ask bounds every model task of this summarizer uses."""
        return Asking(self.prompts, self.settings.max_reasks, self.settings.token_budget)

    async def _aask(self, call: StructuredCall[D], *, gate: Gate | None = None) -> Answer[D]:
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


def _check_timeout(timeout: float) -> None:
    if not (math.isfinite(timeout) and timeout > 0):
        raise ConfigurationError(f"timeout must be a positive number of seconds, not {timeout}")


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` to the end from synchronous code, whether or not this thread runs an event loop.

    ``asyncio.run`` refuses to start inside a running loop (Jupyter, an async web handler); there
    the work gets a loop of its own in a worker thread, and this call waits for it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if not running:  # outside the except block: an error of the work must not chain "no running event loop"
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="summarizer-sync") as pool:
        return pool.submit(asyncio.run, work).result()


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
    timeout: float | None = None,
) -> Briefing:
    """Brief one article. For many articles, keep a :class:`Summarizer` instead (one server start).

    ``strict`` and ``model``, when given, override ``settings``; without ``settings`` the
    environment's are used (:meth:`Settings.from_env`). ``timeout`` bounds the whole call
    (see :meth:`Summarizer.brief`).
    """
    with Summarizer(resolve_settings(settings, model), client=client) as summarizer:
        return summarizer.brief(source, strict=strict, timeout=timeout)


async def abrief(
    source: Source,
    *,
    model: str | None = None,
    strict: bool | None = None,
    settings: Settings | None = None,
    async_client: openai.AsyncOpenAI | None = None,
    timeout: float | None = None,
) -> Briefing:
    """The asyncio form of :func:`brief`."""
    async with Summarizer(resolve_settings(settings, model), async_client=async_client) as summarizer:
        return await summarizer.abrief(source, strict=strict, timeout=timeout)
