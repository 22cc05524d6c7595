"""Option types several commands share, and the parsing of their values into what the library takes.

One meaning per option name across commands (``--out`` is always a folder, ``--requests`` a batch file),
so each shared option is declared once here.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

Formats = Annotated[str, typer.Option("--format", help="Comma-separated: md, html, json.")]
MaxCost = Annotated[
    float | None,
    typer.Option(
        min=0.0, help="US dollars: stop model requests (digest) or refuse the export once the estimate reaches it."
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(min=0.001, help="Seconds one model request may take, first byte to last (default 120)."),
]
BatchOut = Annotated[Path, typer.Option("--out", help="Folder for the digest, once no request is left.")]
Inputs = Annotated[list[str], typer.Argument(help="Files, folders, globs or JSONL feeds of articles.")]
AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private-addresses",
        help="Fetch from private, loopback and link-local addresses too (an intranet, a local test server).",
    ),
]


def formats(text: str) -> tuple[str, ...]:
    """``--format``'s comma-separated list, checked against the formats the digest renders."""
    from summarizer.digests.render import FORMATS

    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    if not chosen or not set(chosen) <= set(FORMATS):
        raise typer.BadParameter(f"use a comma-separated list of {', '.join(FORMATS)}", param_hint="--format")
    return chosen


def when(date: str | None, since: str | None) -> tuple[dt.date | None, timedelta | None]:
    """``--date`` and ``--since``, checked."""
    if date and since:
        raise typer.BadParameter("give --date or --since, not both", param_hint="--date")
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    return day, _span(since) if since else None


def _span(text: str) -> timedelta:
    """``24h``, ``90m``, ``3d`` or ``1w`` as a time span."""
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1].strip(), text[-1:].lower()
    if unit not in units or not number.replace(".", "", 1).isdigit():
        raise typer.BadParameter("use a number and a unit: 90m, 24h, 3d or 1w", param_hint="--since")
    try:
        return timedelta(**{units[unit]: float(number)})
    except OverflowError:
        raise typer.BadParameter("too long a span; no date is that old", param_hint="--since") from None
