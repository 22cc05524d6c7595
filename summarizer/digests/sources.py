"""Turn the digest's inputs (files, folders, globs, JSONL feeds, objects) into articles or reasons.

Nothing here raises for one bad article: an unreadable file or a broken feed line becomes an
:class:`Entry` with its reason, which the digest lists under "not included". Only an input that
names nothing at all (a typo'd path, a glob that matches no file) is an error, raised before any
model work starts.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import InputError
from summarizer.ingest.article import Article
from summarizer.ingest.loaders import article_from_record, decode, load_article, read_bytes
from summarizer.schema import Briefing

_GLOB_CHARS = frozenset("*?[")


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


DigestInput = str | Path | Article | Briefed
"""A path, folder or glob (``str`` or :class:`~pathlib.Path`), an :class:`Article`, or a :class:`Briefed`.

A ``str`` is never article text here: wrap text with :meth:`Article.from_text`.
"""


def expand(inputs: Iterable[DigestInput], *, max_bytes: int) -> list[Entry]:
    """Every article the inputs name, in a stable order; unreadable ones carry their reason."""
    entries: list[Entry] = []
    for index, item in enumerate(inputs, start=1):
        if isinstance(item, Article):
            entries.append(Entry(item.title or f"article #{index}", item))
        elif isinstance(item, Briefed):
            entries.append(Entry(item.article.title or f"article #{index}", item.article, item.briefing))
        elif isinstance(item, str) and "\n" in item:
            raise InputError(
                f"input #{index} is several lines of text, but the digest reads a str as a path, folder or "
                "glob: pass article text as summarizer.Article.from_text(text)"
            )
        else:
            for path in _paths(str(item)):
                entries.extend(_read(path, max_bytes))
    return entries


def _paths(spec: str) -> list[Path]:
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
    if path.exists():
        return [path]
    if _GLOB_CHARS & set(spec):
        matches = sorted(Path(m) for m in glob.glob(spec, recursive=True) if Path(m).is_file())
        if matches:
            return matches
        raise InputError(f"{spec}: the pattern matches no file")
    raise InputError(f"{spec}: no such file or folder")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _read(path: Path, max_bytes: int) -> list[Entry]:
    if path.suffix.lower() == ".jsonl":
        return list(_feed(path, max_bytes))
    try:
        return [Entry(str(path), load_article(path, max_bytes=max_bytes))]
    except InputError as exc:
        return [Entry(str(path), error=_reason(exc, path))]


def _feed(path: Path, max_bytes: int) -> Iterator[Entry]:
    """A JSONL feed: one entry per non-blank line; a broken line is an entry with its reason."""
    try:
        text = decode(read_bytes(path, max_bytes=max_bytes), path)
    except InputError as exc:
        yield Entry(str(path), error=_reason(exc, path))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label = f"{path}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError("expected a JSON object with a text field")
            yield Entry(label, article_from_record(record))
        except json.JSONDecodeError as exc:
            yield Entry(label, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
        except InputError as exc:
            yield Entry(label, error=str(exc))


def _reason(exc: InputError, path: Path) -> str:
    """The error without the path it names: the digest shows the path beside it."""
    return str(exc).removeprefix(f"{path}: ").removeprefix(f"{path} ")
