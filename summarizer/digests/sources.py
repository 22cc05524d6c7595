"""Turn the digest's inputs (files, folders, globs, JSONL feeds, web addresses, objects) into articles or reasons.

Nothing here raises for one bad article: an unreadable file or a broken feed line becomes an
:class:`Entry` with its reason, which the digest lists under "not included". So does every path
a folder holds that cannot be read (a dangling symlink, a FIFO, a symlink loop, a folder that
cannot be listed): nothing found is skipped in silence. Only an input that names nothing at all
(a typo'd path, a glob that matches no file) is an error, raised before any model work starts.

Web addresses (``http(s)://`` strings and :class:`~summarizer.web.subscriptions.Feed` objects)
are read by a :class:`~summarizer.web.reader.WebReader`; any other scheme (``file:``, ``ftp:``,
``data:``) is refused with its reason.

The library's own outputs are not inputs: a folder holding a digest lock file (an ``--out``
folder) is skipped, and so are digests written anywhere else, recognised by their first bytes.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from summarizer._briefing.schema import Briefing
from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import (
    checked_size,
    decode,
    json_record,
    os_reason,
)
from summarizer.web.subscriptions import Feed

from .folders import FolderFilter
from .render import OUTPUT_LOCK

if TYPE_CHECKING:
    from summarizer.web.reader import WebReader

_GLOB_CHARS = frozenset("*?[")
_URL = re.compile(r"\A(?:[a-zA-Z][a-zA-Z0-9+.-]*://|data:)")
_OWN_OUTPUT = re.compile(
    rb"\A(?:# Digest for \d{4}-\d{2}-\d{2}\n"
    rb'|<!DOCTYPE html>.{0,400}<meta name="generator" content="summarizer">'
    rb'|\{\s*"schema_version":\s*"[\d.]+",\s*"(?:date|source)":'
    rb'|\{\s*(?:"id":\s*"[^"]{0,100}",\s*)?"custom_id":'  # batch requests and results
    rb'|<\?xml[^>]{0,80}\?>\s*<feed xmlns="http://www.w3.org/2005/Atom">\s*<generator[^>]{0,200}>summarizer<)',
    re.DOTALL,
)


@dataclass(frozen=True)
class Briefed:
    """An article with a briefing made earlier (``Summarizer.brief``): the digest reuses the briefing."""

    article: Article
    briefing: Briefing


@dataclass(frozen=True)
class Entry:
    """One input: its article (and maybe a briefing already made), or why it cannot be read."""

    label: str
    article: Article | None = None
    briefing: Briefing | None = None
    error: str | None = None
    category: str | None = None
    note: str | None = None


DigestInput = str | Path | Article | Briefed | Feed
"""A path, folder, glob or http(s) address (``str`` or :class:`~pathlib.Path`), a :class:`Feed`,
an :class:`Article`, or a :class:`Briefed`.

A ``str`` is never article text here: wrap text with :meth:`Article.from_text`.
"""


def expand(
    inputs: Iterable[DigestInput], *, max_bytes: int, web: WebReader | None = None, folders: FolderFilter | None = None
) -> list[Entry]:
    """Every article the inputs name, in a stable order; unreadable ones carry their reason.

    ``web`` reads web addresses; without one they are listed as not read. ``folders`` chooses the
    files a folder gives (by default the article files, no sidecars: see
    :mod:`~summarizer.digests.folders`); a file named outright is always read.
    """
    folders = folders or FolderFilter()
    entries: list[Entry] = []
    for index, item in enumerate(inputs, start=1):
        if isinstance(item, Feed) or (isinstance(item, str) and _URL.match(item.strip())):
            feed = item if isinstance(item, Feed) else Feed(item.strip())
            entries.extend(_web(feed, web))
        elif isinstance(item, Article):
            entries.append(Entry(item.title or f"article #{index}", item))
        elif isinstance(item, Briefed):
            entries.append(Entry(item.article.title or f"article #{index}", item.article, item.briefing))
        elif isinstance(item, str) and "\n" in item:
            raise InputError(
                f"input #{index} is several lines of text, but the digest reads a str as a path, folder or "
                "glob: pass article text as summarizer.Article.from_text(text)"
            )
        else:
            for found in _paths(str(item), folders):
                entries.extend([found] if isinstance(found, Entry) else _read(found, max_bytes))
    return entries


def web_addresses(inputs: list[DigestInput]) -> int:
    """How many of ``inputs`` are web addresses (for progress displays)."""
    return sum(isinstance(item, Feed) or (isinstance(item, str) and _URL.match(item.strip()) is not None)
               for item in inputs)  # fmt: skip


def _web(feed: Feed, web: WebReader | None) -> list[Entry]:
    """The entries a web address gives (each failure with its reason)."""
    if web is None:
        return [Entry(feed.url, error="web addresses are read only by a digest run (no fetcher here)")]
    return [Entry(item.label, item.article, error=item.error, category=item.category, note=item.note)
            for item in web.read(feed.url, feed.category)]  # fmt: skip


def _paths(spec: str, folders: FolderFilter) -> Iterator[Path | Entry]:
    """The files an input names (folders walked), and an entry with the reason for what cannot be read."""
    path = Path(spec)
    try:
        folder, found = path.is_dir(), path.exists() or path.is_symlink()
    except OSError:  # not even its kind can be looked up: reading it says why
        folder, found = False, True
    if folder:
        yield from _walk(path, path, folders, set())
    elif found:
        yield path
    elif _GLOB_CHARS & set(spec):
        matches = sorted(Path(m) for m in glob.glob(spec, recursive=True))
        if not matches:
            raise InputError(f"{spec}: the pattern matches no file")
        seen: set[str] = set()
        for match in matches:
            yield from _walk(match, match, folders, seen) if match.is_dir() else [match]
    else:
        raise InputError(f"{spec}: no such file or folder")


def _walk(folder: Path, top: Path, folders: FolderFilter, seen: set[str]) -> Iterator[Path | Entry]:
    """Every visible path under ``folder`` that ``folders`` keeps; symlinks followed, each folder once (a loop ends)."""
    real = os.path.realpath(folder)
    if real in seen:
        yield Entry(str(folder), error="a symlink to a folder already read (a loop, or a second link to it)")
        return
    seen.add(real)
    try:  # listed before anything inside is looked at: a folder that may not be listed may not be entered either
        children = sorted(os.scandir(folder), key=lambda child: child.name)
    except OSError as exc:
        yield Entry(str(folder), error=f"the folder cannot be listed ({exc.strerror}); check its permissions")
        return
    names = [child.name for child in children]
    if OUTPUT_LOCK in names:
        return  # a digest output folder: our own files
    for child in children:
        if child.name.startswith("."):
            continue
        path = Path(child.path)
        if _is_folder(child):
            yield from _walk(path, top, folders, seen)
        elif folders.keeps(path.relative_to(top), names):
            yield path  # files, and what is not one: reading says what it is


def _is_folder(child: os.DirEntry[str]) -> bool:
    try:
        return child.is_dir()  # follows a symlink
    except OSError:  # a symlink loop: read as a file, it is reported as one
        return False


def _read(path: Path, max_bytes: int) -> list[Entry]:
    if _own_output(path):
        return []
    if path.suffix.lower() == ".jsonl":
        return list(_feed(path, max_bytes))
    try:
        return [Entry(str(path), Article.from_path(path, max_bytes=max_bytes))]
    except InputError as exc:
        return [Entry(str(path), error=_reason(exc, path))]


def _own_output(path: Path) -> bool:
    """A digest (Markdown, HTML or JSON) or batch file of this library, recognised by how it begins."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return _OWN_OUTPUT.match(handle.read(600)) is not None
    except OSError:
        return False


def _feed(path: Path, max_bytes: int) -> Iterator[Entry]:
    """A JSONL feed: one entry per non-blank line; a broken line is an entry with its reason.

    The size limit applies to each record, not to the feed: a day's feed may be large.
    """
    try:
        checked_size(path)
        handle = path.open("rb")
    except InputError as exc:
        yield Entry(str(path), error=_reason(exc, path))
        return
    except OSError as exc:
        yield Entry(str(path), error=os_reason(exc))
        return
    with handle:
        for number, line in enumerate(_lines(handle, max_bytes), start=1):
            if line is not None and not line.strip():
                continue
            label = f"{path}:{number}"
            try:
                if line is None:
                    raise InputError(f"the record is over the {max_bytes:,}-byte limit")
                yield Entry(label, Article.from_record(json_record(decode(line, label)), max_bytes=max_bytes))
            except InputError as exc:
                yield Entry(label, error=str(exc).removeprefix(f"{label}: "))


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """Each line of the file, or None for a line longer than ``max_bytes`` (read past, never held whole)."""
    while line := handle.readline(max_bytes + 1):
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        rest = line
        while rest and not rest.endswith(b"\n"):
            rest = handle.readline(1 << 20)
        yield None


def _reason(exc: InputError, path: Path) -> str:
    """The error without the path it names: the digest shows the path beside it."""
    return str(exc).removeprefix(f"{path}: ").removeprefix(f"{path} ")
