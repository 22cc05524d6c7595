"""Progress on standard error: rich displays on a terminal, plain lines in logs and pipes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from summarizer.digests.build import DigestProgress


def download_progress() -> Callable[[int, int], None]:
    """A rich progress bar on standard error, created on the first byte so cached runs print nothing."""
    if not sys.stderr.isatty():
        return _plain_download_progress()
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TimeRemainingColumn

    bars: list[tuple[Progress, TaskID]] = []

    def update(done: int, total: int) -> None:
        if not bars:
            columns = ("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
            bar = Progress(*columns, transient=True, console=Console(stderr=True))
            bar.start()
            bars.append((bar, bar.add_task("assembling model weights", total=total)))
        bar, task = bars[0]
        bar.update(task, completed=done)
        if done >= total:
            bar.stop()

    return update


def _plain_download_progress() -> Callable[[int, int], None]:
    """A line per tenth of the weights, for logs and pipes (no terminal control codes)."""
    shown: list[int] = []

    def update(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth not in shown:
            shown.append(tenth)
            typer.echo(f"assembling model weights: {done / 1e6:,.0f} of {total / 1e6:,.0f} MB", err=True)

    return update


def digest_display() -> DigestDisplay | PlainProgress:
    """A live display on a terminal; plain lines where standard error is a log or a pipe."""
    return DigestDisplay() if sys.stderr.isatty() else PlainProgress()


class DigestDisplay:
    """A rich progress display on standard error: done, failed, cached, tokens and time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, Any] = {}

    def update(self, progress: DigestProgress) -> None:
        task = self._tasks.get(progress.stage)
        if task is None:
            task = self._tasks[progress.stage] = self._bar.add_task(progress.stage, total=progress.total, detail="")
        self._bar.update(task, completed=progress.done + progress.failed, detail=_detail(progress))

    def __enter__(self) -> DigestDisplay:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()


class PlainProgress:
    """One line per finished article or story on standard error, for logs (no terminal control codes)."""

    def update(self, progress: DigestProgress) -> None:
        finished = progress.done + progress.failed
        if finished or not progress.total:
            typer.echo(f"{progress.stage} {finished}/{progress.total}: {_detail(progress)}", err=True)

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _detail(progress: DigestProgress) -> str:
    return f"failed {progress.failed} · cached {progress.cached} · {progress.tokens:,} tokens"
