"""The Python API: a reusable :class:`Summarizer` and the one-shot :func:`brief` / :func:`abrief`."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from types import TracebackType

import openai
from pydantic import BaseModel

from summarizer.backends.base import Backend
from summarizer.backends.registry import Clients, create_backend
from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import article_from_text, load_article
from summarizer.local.weights import Progress
from summarizer.pipeline import STRATEGIES, Asking, Gate, Job, arun, prepare, request_fingerprint, run
from summarizer.prompting import Prompts, default_prompts
from summarizer.schema import Briefing
from summarizer.settings import REQUEST_SHAPING, Settings

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
        self.prompts = prompts or default_prompts()

    @property
    def backend(self) -> Backend:
        """The model backend, built on first use (the embedded model may need fetching), once per instance."""
        with self._lock:
            if self._backend is None:
                self._backend = create_backend(self.settings, progress=self._progress, clients=self._clients)
            return self._backend

    def brief(self, source: Source, *, strict: bool | None = None) -> Briefing:
        """A grounded briefing of one article; raises GroundingError in strict mode instead of dropping."""
        return run(self._job(source), self.backend, strict=self._strict(strict))

    async def abrief(self, source: Source, *, strict: bool | None = None, gate: Gate | None = None) -> Briefing:
        """The asyncio form of :meth:`brief`; ``gate`` is entered around each model request."""
        return await arun(self._job(source), self.backend, strict=self._strict(strict), gate=gate)

    def read(self, source: Source) -> Article:
        """Turn any accepted source into an :class:`Article`: a path is read, a text is cleaned."""
        if isinstance(source, Article):
            return source
        if isinstance(source, Path) or names_a_file(source):
            path = Path(source)
            if not path.exists():
                raise InputError(
                    f"{path}: no such file (a one-line str ending in {path.suffix or 'a file name'} is read as a "
                    "path; to brief text, pass summarizer.Article.from_text(text))"
                )
            return load_article(path, max_bytes=self.settings.max_input_bytes)
        return article_from_text(source)

    def close(self) -> None:
        """Release the backend (and stop an embedded server)."""
        with self._lock:
            backend = self._backend
        if backend is not None:
            backend.close()

    async def aclose(self) -> None:
        """The same, awaitable from an event loop (see ``async with``)."""
        with self._lock:
            backend = self._backend
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

    def _job(self, source: Source) -> Job:
        strategy = self.settings.strategy or self.backend.default_strategy
        return prepare(self.read(source), strategy, self.asking, part_tokens=self.settings.part_tokens)

    @property
    def asking(self) -> Asking:
        """The prompts and re-ask bounds every model task of this summarizer uses."""
        return Asking(self.prompts, self.settings.max_reasks, self.settings.token_budget)

    def request_fingerprint(self, *tasks: tuple[type[BaseModel], int]) -> str:
        """What this summarizer's requests depend on besides the article, for cache keys.

        Covers every briefing step (and ``tasks``, e.g. a digest's story synthesis): see
        :func:`~summarizer.pipeline.request_fingerprint`; a client passed in counts by its URL.
        """
        steps = [(model, limit) for strategy in STRATEGIES.values() for _, model, limit in strategy]
        shaping = {name: getattr(self.settings, name) for name in REQUEST_SHAPING}
        return request_fingerprint(self.prompts, [*steps, *tasks], shaping, self._clients.url)

    def _strict(self, strict: bool | None) -> bool:
        return self.settings.strict if strict is None else strict


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
