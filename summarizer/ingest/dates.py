"""Dates an article mentions, resolved to calendar days against the day it was written.

"On Friday", "Nov. 16" and "April 26, 2024" all say *when*: two reports of one event mention the
same days, two events on one topic usually do not. Weekdays are taken as the last such day up
to the reference date (news reports what happened); a month and day without a year is taken in
the reference year unless that puts it more than a month in the future.

:func:`partial_day` tells a publication date an HTML extractor built from a year or a month
alone ("Copyright 2019" becomes 2019-01-01) from one the page states.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],  # fmt: skip
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b\.?(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(today|yesterday|tomorrow)\b", re.IGNORECASE)
_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_NUMERIC = re.compile(  # year first (ISO, 2019/04/01), year last (04/01/2019), compact (20190401T0900)
    r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
    r"|(?<!\d)(\d{4})(\d{2})(\d{2})T"
)


def mentioned_dates(text: str, reference: dt.date) -> set[dt.date]:
    """Every calendar day ``text`` names, resolved against ``reference``."""
    found: set[dt.date] = set()
    for month, day, year in _MONTH_DAY.findall(text):
        found |= _day(reference, int(year) if year else None, _MONTHS[month.lower()], int(day))
    for day, month, year in _DAY_MONTH.findall(text):
        found |= _day(reference, int(year) if year else None, _MONTHS[month.lower()], int(day))
    for year, month, day in _ISO.findall(text):
        found |= _day(reference, int(year), int(month), int(day))
    for weekday in _WEEKDAY.findall(text):
        back = (reference.weekday() - _WEEKDAYS[weekday.lower()]) % 7
        found.add(reference - dt.timedelta(days=back))
    for word in _RELATIVE.findall(text):
        found.add(reference + dt.timedelta(days=_OFFSETS[word.lower()]))
    return found


def _day(reference: dt.date, year: int | None, month: int, day: int) -> set[dt.date]:
    try:
        date = dt.date(year or reference.year, month, day)
    except ValueError:
        return set()
    if year is None and date > reference + dt.timedelta(days=31):
        date = date.replace(year=date.year - 1) if not (month == 2 and day == 29) else date
    return {date}


def partial_day(day: dt.date, page: str) -> bool:
    """Whether ``day``, a page's publication date as an extractor found it, was made from less than a date.

    Extractors fill a year or a month found alone (a "Copyright 2019" footer, "March 2026") out
    to its first day. A first of the month that the page (markup included: meta tags hold dates)
    never states as a whole date, in words or in figures, is taken for one of those.
    """
    return day.day == 1 and day not in stated_days(page)


def stated_days(text: str) -> set[dt.date]:
    """The whole dates ``text`` writes out with a year: "April 1, 2019", "1 April 2019", "2019-04-01", "04/01/2019"."""
    found: set[dt.date] = set()
    for month, day, year in _MONTH_DAY.findall(text):
        found |= _day(dt.date.min, int(year), _MONTHS[month.lower()], int(day)) if year else set()
    for day, month, year in _DAY_MONTH.findall(text):
        found |= _day(dt.date.min, int(year), _MONTHS[month.lower()], int(day)) if year else set()
    for match in _NUMERIC.finditer(text):
        year_first, day_last, compact = match.group(1, 2, 3), match.group(4, 5, 6), match.group(7, 8, 9)
        if year_first[0]:
            found |= _day(dt.date.min, int(year_first[0]), int(year_first[1]), int(year_first[2]))
        elif compact[0]:
            found |= _day(dt.date.min, int(compact[0]), int(compact[1]), int(compact[2]))
        else:  # 04/01/2019: month first in the US, day first elsewhere; either reading states the day
            first, second, year = (int(x) for x in day_last)
            found |= _day(dt.date.min, year, first, second) | _day(dt.date.min, year, second, first)
    return found
