"""The article as the rest of the library sees it: clean text plus source metadata."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from summarizer.ingest.loaders import check_text_size, file_fields, html_fields, record_fields, text_fields
from summarizer.settings import DEFAULT_MAX_INPUT_BYTES


class Article(BaseModel):
    """A cleaned article. Offsets everywhere in a briefing point into ``text``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(description="Body text after boilerplate removal.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    byline: str | None = None

    @classmethod
    def from_text(cls, raw: str, *, max_bytes: int | None = None, **metadata: Any) -> Article:
        """The article in ``raw`` text or Markdown, cleaned; header lines and ``metadata`` become metadata.

        The explicit way to brief text that could be mistaken for a path (``"report.txt"``).
        ``max_bytes`` (UTF-8) defaults to :class:`~summarizer.settings.Settings`' ``max_input_bytes``,
        the limit files have: the cost of the NLP stage grows with the text, so text is refused
        before any work is done on it.
        """
        check_text_size(raw, max_bytes or DEFAULT_MAX_INPUT_BYTES)
        return cls(**text_fields(raw, **metadata))

    @classmethod
    def from_html(cls, html: str, *, max_bytes: int | None = None, **metadata: Any) -> Article:
        """The main text and metadata of an HTML page (``metadata`` wins over the page's own).

        ``max_bytes`` (the page's UTF-8 size) defaults to ``max_input_bytes``' default, as for text.
        """
        check_text_size(html, max_bytes or DEFAULT_MAX_INPUT_BYTES, "the page")
        return cls(**html_fields(html, **metadata))

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, max_bytes: int | None = None) -> Article:
        """An article from a JSON record (``text`` or ``body``/``content``, and metadata keys).

        ``max_bytes`` holds the record's text to the input limit (by default ``max_input_bytes``' default).
        """
        return cls(**record_fields(record, max_bytes=max_bytes or DEFAULT_MAX_INPUT_BYTES))

    @classmethod
    def from_path(cls, path: str | Path, *, max_bytes: int | None = None) -> Article:
        """The article in a file (.txt, .md, .html, .json, .jsonl); an InputError names what is wrong.

        ``max_bytes`` defaults to :class:`~summarizer.settings.Settings`' ``max_input_bytes``.
        """
        return cls(**file_fields(Path(path), max_bytes=max_bytes or DEFAULT_MAX_INPUT_BYTES))
