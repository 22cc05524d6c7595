"""Which articles a digest covers: the readable ones inside its window, republished copies folded.

Nothing here drops an input in silence: an unreadable one or one published outside the window
comes back as :class:`~summarizer.digests.schema.NotIncluded` with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from summarizer.errors import ConfigurationError

from .grouping import find_duplicates
from .schema import NotIncluded, Source
from .sources import Entry


@dataclass(frozen=True)
class Window:
    """The days a digest covers; articles published outside them are left out (undated ones stay)."""

    first: dt.date
    last: dt.date

    @classmethod
    def day(cls, date: dt.date) -> Window:
        return cls(date, date)

    @classmethod
    def since(cls, span: dt.timedelta, now: dt.datetime | None = None) -> Window:
        now = now or dt.datetime.now().astimezone()
        try:
            first = (now - span).date()
        except OverflowError:  # a span reaching back before the year 1 covers every date
            first = dt.date.min
        return cls(first, now.date())

    @classmethod
    def chosen(cls, date: dt.date | None, since: dt.timedelta | None) -> Window | None:
        """The window a day or a span names; None when neither is given."""
        if date is not None and since is not None:
            raise ConfigurationError("give date or since, not both")
        return cls.day(date) if date else cls.since(since) if since else None

    def holds(self, date: dt.date | None) -> bool:
        return date is None or self.first <= date <= self.last


def within_window(entries: Iterable[Entry], window: Window | None) -> tuple[list[Entry], list[NotIncluded]]:
    """The readable entries published inside ``window`` (undated ones stay), and the others with their reason."""
    readable: list[Entry] = []
    left_out: list[NotIncluded] = []
    for entry in entries:
        if entry.article is None:
            left_out.append(NotIncluded(input=entry.label, stage="input", reason=entry.error or "unreadable"))
        elif window is not None and not window.holds(entry.article.published):
            reason = f"published {entry.article.published}, outside {window.first} to {window.last}"
            left_out.append(NotIncluded(input=entry.label, stage="window", reason=reason))
        else:
            readable.append(entry)
    return readable, left_out


def numbered_sources(readable: list[Entry], duplicate: float) -> list[tuple[Source, Entry]]:
    """Ids for the distinct articles (A1, A2, ...); republished copies folded into their first."""
    duplicate_of = find_duplicates([e.article.text for e in readable if e.article is not None], duplicate)
    copies: dict[int, list[str]] = {}
    for index, first in duplicate_of.items():
        copies.setdefault(first, []).append(readable[index].label)
    sources: list[tuple[Source, Entry]] = []
    for index, entry in enumerate(readable):
        if index in duplicate_of or entry.article is None:
            continue
        article = entry.article
        source = Source(id=f"A{len(sources) + 1}", input=entry.label, title=article.title, outlet=article.outlet,
                        url=article.url, published=article.published, duplicates=copies.get(index, []),
                        category=entry.category, note=entry.note)  # fmt: skip
        sources.append((source, entry))
    return sources
