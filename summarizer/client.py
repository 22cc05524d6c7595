"""The Python API: a reusable :class:`Summarizer` and the one-shot :func:`brief` / :func:`abrief`."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from summarizer.backends.base import Backend
from summarizer.backends.registry import create_backend
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import article_from_text, load_article
from summarizer.local.weights import Progress
from summarizer.pipeline import Asking, Gate, Job, arun, prepare, run
from summarizer.prompting import Prompts, default_prompts
from summarizer.schema import Briefing
from summarizer.settings import Settings

Source = str | Path | Article
"""An :class:`Article`, a :class:`~pathlib.Path`, or a ``str``: a path when it names an existing file, else text."""


class Summarizer:
    """Briefs many articles with one backend; the embedded model's server is started once and reused.

    Use it as a context manager (``with``, or ``async with`` when you call :meth:`abrief`), or
    call :meth:`close`, so the server stops when you are done.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: Backend | None = None,
        prompts: Prompts | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._backend = backend
        self._progress = progress
        self.prompts = prompts or default_prompts()

    @property
    def backend(self) -> Backend:
        """The model backend, built on first use (the embedded model may need fetching)."""
        if self._backend is None:
            self._backend = create_backend(self.settings, progress=self._progress)
        return self._backend

    def brief(self, source: Source, *, strict: bool | None = None) -> Briefing:
        """A grounded briefing of one article; raises GroundingError in strict mode instead of dropping."""
        return run(self._job(source), self.backend, strict=self._strict(strict))

    async def abrief(self, source: Source, *, strict: bool | None = None, gate: Gate | None = None) -> Briefing:
        """The asyncio form of :meth:`brief`; ``gate`` is entered around each model request."""
        return await arun(self._job(source), self.backend, strict=self._strict(strict), gate=gate)

    def read(self, source: Source) -> Article:
        """Turn any accepted source into an :class:`Article`."""
        if isinstance(source, Article):
            return source
        if isinstance(source, Path) or ("\n" not in source and len(source) < 4096 and Path(source).is_file()):
            return load_article(Path(source), max_bytes=self.settings.max_input_bytes)
        return article_from_text(source)

    def close(self) -> None:
        """Release the backend (and stop an embedded server)."""
        if self._backend is not None:
            self._backend.close()

    async def aclose(self) -> None:
        """Release the backend from inside the event loop that used it (see ``async with``)."""
        if self._backend is not None:
            await self._backend.aclose()

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

    def _strict(self, strict: bool | None) -> bool:
        return self.settings.strict if strict is None else strict


def brief(
    source: Source, *, model: str | None = None, strict: bool = False, settings: Settings | None = None
) -> Briefing:
    """Brief one article. For many articles, keep a :class:`Summarizer` instead (one server start)."""
    chosen = settings or Settings.from_env(model=model)
    with Summarizer(chosen) as summarizer:
        return summarizer.brief(source, strict=strict)


async def abrief(
    source: Source, *, model: str | None = None, strict: bool = False, settings: Settings | None = None
) -> Briefing:
    """The asyncio form of :func:`brief`."""
    chosen = settings or Settings.from_env(model=model)
    async with Summarizer(chosen) as summarizer:
        return await summarizer.abrief(source, strict=strict)
