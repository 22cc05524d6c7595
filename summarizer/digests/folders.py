"""Which files of a folder input are articles: ``include`` / ``exclude`` globs and sidecar files.

A folder of news seldom holds articles alone: annotations, logs, images and READMEs sit beside
them. Without ``include`` a folder gives the files whose suffix the loaders read (text,
Markdown, HTML, JSON, JSONL), and no sidecar: a JSON file named after an article beside it with
one more suffix (``story.gold.json`` or ``story.meta.json`` next to ``story.txt``) describes that
article and is not one. A file named outright (not through a folder) is always read: naming it
says it is meant.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from summarizer.ingest.loaders import ARTICLE_SUFFIXES

DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in ARTICLE_SUFFIXES)
"""The article suffixes the loaders read, as globs: what a folder gives without ``include``."""


@dataclass(frozen=True)
class FolderFilter:
    """The files a folder walk keeps: matching an ``include`` glob, no ``exclude`` glob, and no sidecar.

    A glob matches a file's name, or its path below the folder given as input (``2026/*.html``),
    ignoring case. ``include=None`` means :data:`DEFAULT_INCLUDE` with sidecars skipped; an
    ``include`` of your own keeps what it matches, sidecars too (``include=["*.gold.json"]``).
    """

    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()

    @classmethod
    def of(cls, include: Sequence[str] | None = None, exclude: Sequence[str] = ()) -> FolderFilter:
        """A filter from the caller's globs; a bare string is one glob, never its characters."""
        if isinstance(include, str) or isinstance(exclude, str):
            raise TypeError("include and exclude take a list of globs, e.g. include=['*.txt']")
        return cls(None if include is None else tuple(include), tuple(exclude))

    def keeps(self, relative: PurePath, siblings: Iterable[str]) -> bool:
        """Whether the file at ``relative`` (below the input folder) is read; ``siblings``: its folder's names."""
        if self.include is None and sidecar(relative.name, siblings):
            return False
        included = _matches(relative, self.include if self.include is not None else DEFAULT_INCLUDE)
        return included and not _matches(relative, self.exclude)


def sidecar(name: str, siblings: Iterable[str]) -> bool:
    """Whether ``name`` is ``X.<tag>.json`` beside an article file ``X.<suffix>`` (its annotation, not an article)."""
    path = PurePath(name.lower())
    if path.suffix != ".json" or len(path.suffixes) < 2:
        return False
    base = path.with_suffix("").with_suffix("").name
    articles = (PurePath(s.lower()) for s in siblings if s.lower() != path.name)
    return any(s.suffix in ARTICLE_SUFFIXES and s.with_suffix("").name == base for s in articles)


def _matches(relative: PurePath, globs: Iterable[str]) -> bool:
    name, whole = relative.name.lower(), relative.as_posix().lower()
    return any(fnmatch.fnmatchcase(name, g.lower()) or fnmatch.fnmatchcase(whole, g.lower()) for g in globs)
