"""The article as the rest of the library sees it: clean text plus source metadata."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Article(BaseModel):
    """A cleaned article. Offsets everywhere in a briefing point into ``text``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(description="Body text after boilerplate removal.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    byline: str | None = None
