"""The command line: ``summarizer brief``, ``check``, ``digest``, ``batch``, ``cache``, ``schema`` and ``models``.

One module per command group; option types several commands share live in :mod:`._options`, exit
codes and signal handling in :mod:`._exits` (its docstring lists the codes). The library itself is
imported inside each command, so ``summarizer --help`` stays fast.
"""

from __future__ import annotations

import signal

import typer

from summarizer.cli._admin import cache_app, models_app, schema
from summarizer.cli._batch import batch_app
from summarizer.cli._brief import brief
from summarizer.cli._check import check
from summarizer.cli._digest import digest
from summarizer.cli._exits import caused_by_sigterm, terminate

__all__ = ["app", "main"]

app = typer.Typer(help="Grounded briefings of news articles.", no_args_is_help=True, add_completion=False)
app.add_typer(models_app, name="models")
app.add_typer(cache_app, name="cache")
app.add_typer(batch_app, name="batch")
app.command()(brief)
app.command()(check)
app.command()(digest)
app.command()(schema)


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, terminate)
    try:
        app()
    except SystemExit as exc:
        # typer turns an interrupt outside the commands' own handling (during start-up) into a bare 130
        if exc.code == 130 and caused_by_sigterm(exc):
            raise SystemExit(143) from None
        raise
