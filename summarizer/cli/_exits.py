"""How commands end: library errors and signals become exit codes, with a line saying what was kept.

Exit codes: 0 success, 2 usage, 3 unreadable input, 4 configuration, 5 model backend failure,
6 strict-mode grounding failure, 7 model weights could not be fetched, 8 digest written but some
inputs could not be included (they are listed in it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from summarizer.digests.schema import Digest
    from summarizer.digests.store import Store
    from summarizer.errors import SummarizerError

SOME_NOT_INCLUDED = 8


def fail(exc: SummarizerError) -> NoReturn:
    """Report a library error and exit with its class's code (see :mod:`summarizer.errors`)."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands so it stops as on Ctrl-C: temporaries removed, servers stopped."""


def terminate(signum: int, frame: object) -> None:
    """The SIGTERM handler: stop as on Ctrl-C, so the commands' own cleanup runs."""
    raise Terminated


def interrupted(exc: KeyboardInterrupt, what: str) -> NoReturn:
    """Say what was kept, and exit as the shell expects of a signal: 128 + its number."""
    name, code = ("terminated", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
    typer.echo(f"{name}: {what}", err=True)
    raise typer.Exit(code) from None


def caused_by_sigterm(exc: BaseException | None) -> bool:
    """Whether SIGTERM stands anywhere in the chain that led to ``exc``."""
    while exc is not None:
        if isinstance(exc, Terminated):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def exit_if_incomplete(result: Digest) -> None:
    """Exit 8 when an input was left out for a reason other than the date window."""
    if any(item.stage != "window" for item in result.not_included):
        raise typer.Exit(SOME_NOT_INCLUDED)


def writable(target: Path) -> None:
    """Exit 4 now, before any model work, when ``target`` cannot be written."""
    from summarizer.atomic import ensure_writable
    from summarizer.errors import SummarizerError

    try:
        ensure_writable(target)
    except SummarizerError as exc:
        fail(exc)


def store() -> Store:
    """The result store the environment names; exits 4 with the reason when it cannot be opened."""
    from summarizer.digests.store import Store
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    try:
        return Store(Settings.from_env().store_path)
    except SummarizerError as exc:
        fail(exc)
