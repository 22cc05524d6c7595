"""Digests for people and programs: Markdown, a standalone HTML page, JSON; written atomically.

The Markdown and HTML come from the Jinja templates in ``templates/`` (beside ``prompts/``).
HTML is autoescaped: article text in a digest can hold markup, and it must stay text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

from summarizer._resources import data_dir
from summarizer.atomic import atomic_text

from .schema import Digest

FORMATS = ("md", "html", "json")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(data_dir("templates")),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        keep_trailing_newline=True,
    )


def render(digest: Digest, fmt: str) -> str:
    """The digest as ``md``, ``html`` or ``json`` text."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    text = _environment().get_template(f"digest.{fmt}.j2").render(digest=digest)
    return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text


def write(digest: Digest, folder: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write ``folder/YYYY-MM-DD.<fmt>`` for each format; a reader never sees a half-written file."""
    written: list[Path] = []
    for fmt in formats:
        target = folder / f"{digest.date.isoformat()}.{fmt}"
        with atomic_text(target) as stream:
            stream.write(render(digest, fmt))
        written.append(target)
    return written
