"""Digests for people and programs: Markdown, a standalone HTML page, JSON; written atomically.

The Markdown and HTML come from the Jinja templates in ``templates/`` (beside ``prompts/``).
HTML is autoescaped and Markdown escaped (:func:`~summarizer._briefing.render.markdown_text`): article text
in a digest can hold markup, and it must stay text; only http(s) addresses become links. Sources are
named by outlet and title, else the file's name, never a path (the JSON keeps the path in
``Source.input`` for programs); diagnostics - grouping scores, how many items were left out -
sit in a closing "How this was made" section, collapsed on the page (the JSON keeps each warning).

An output folder is held by one run at a time (:func:`claimed`): two runs writing the same day's
digest into one folder would otherwise each replace the other's files without a word.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import jinja2

from summarizer._briefing.render import markdown_text, web_url
from summarizer._resources import data_dir
from summarizer.atomic import atomic_texts, ensure_writable
from summarizer.diagnostics import left_out
from summarizer.errors import ConfigurationError

from . import atom
from .schema import Digest, FeedReport, Story

FORMATS = ("md", "html", "json", "atom")
OUTPUT_LOCK = ".summarizer.lock"
"""The lock file of an output folder; a folder holding one is never read as input."""


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(data_dir("templates")),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        keep_trailing_newline=True,
    )
    environment.filters.update(
        md=markdown_text, web_url=web_url, file_name=file_name, left_out=left_out, sections=sections,
        feed_line=feed_line,
    )  # fmt: skip
    return environment


def file_name(label: str) -> str:
    """An input as a reader sees it: the file's name (``feed.jsonl:3`` for a feed line), never its path.

    A digest is published; the folders of the machine that made it are nobody's business. A web
    address is public, and shown whole.
    """
    if "://" in label or label.lower().startswith("data:"):
        return label
    return Path(label).name or label


def sections(digest: Digest) -> list[tuple[str | None, list[Story]]]:
    """The stories by category (a subscription list's), in the order categories first appear; one section without."""
    placed: dict[str | None, list[Story]] = {}
    for story in digest.stories:
        named = [source.category for source in story.sources if source.category]
        category = max(dict.fromkeys(named), key=named.count) if named else None
        placed.setdefault(category, []).append(story)
    if list(placed) == [None]:
        return [(None, digest.stories)]
    order = list(dict.fromkeys([s.category for story in digest.stories for s in story.sources if s.category]))
    return [(category, placed[category]) for category in [*order, None] if category in placed]


def feed_line(report: FeedReport) -> str:
    """One feed's report in words: what it listed, what was read anew, what failed."""
    if report.status == "failed":
        return f"failed: {report.reason}"
    if report.status == "page":
        return "an article page" + (", kept from an earlier run" if report.known else "")
    parts = ["not modified (304), the kept copy used" if report.status == "not modified" else "fetched"]
    listed = f"{report.entries} {'entry' if report.entries == 1 else 'entries'}"
    parts.append(listed + (f", the newest {report.read} read" if report.read < report.entries else ""))
    parts.append(f"{report.new} new, {report.known} kept from earlier runs")
    if report.feed_text:
        parts.append(f"{report.feed_text} from the feed's own text")
    if report.failed:
        parts.append(
            f"{len(report.failed)} failed ({'; '.join(report.failed[:3])}{'; ...' if len(report.failed) > 3 else ''})"
        )
    if report.empty:
        parts.append("the feed is empty")
    if report.undated:
        parts.append("no entry is dated")
    return "; ".join(parts)


def render(digest: Digest, fmt: str) -> str:
    """The digest as ``md``, ``html``, ``json`` or ``atom`` text."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt == "atom":
        return atom.text(atom.digest_feed(digest))
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    text = _environment().get_template(f"digest.{fmt}.j2").render(digest=digest)
    return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text


def write(digest: Digest, folder: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write ``folder/YYYY-MM-DD.<fmt>`` for each format; a reader never sees a half-written set of files.

    With ``atom``, ``folder/feed.atom`` (the newest digests' stories) is replaced in the same set.
    """
    texts = [render(digest, fmt) for fmt in formats]
    targets = [folder / f"{digest.date.isoformat()}.{fmt}" for fmt in formats]
    if "atom" in formats:
        texts.append(atom.text(atom.combined_feed(folder, digest, atom.digest_feed(digest))))
        targets.append(folder / atom.FEED_FILE)
    with atomic_texts(targets) as streams:
        for stream, text in zip(streams, texts, strict=True):
            stream.write(text)
    return targets


@contextmanager
def claimed(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for one run's digest: checked writable now, before any model work.

    A second run writing to the same folder at the same time is refused with the reason
    (the lock is the kernel's, so a killed run never leaves it held).
    """
    ensure_writable(folder, folder=True)
    handle = os.open(folder / OUTPUT_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigurationError(
                f"another summarizer run is writing its digest to {folder}; let it finish, or write to another folder "
                "(--out)"
            ) from None
        yield
    finally:
        os.close(handle)
