"""The digest format, defined once and exported as ``schemas/digest.schema.json`` (with the briefing's).

Everything a digest says points back to articles: a :class:`Citation` names an article of the
digest and one of its sentences, with the sentence's exact text, so a reader (or
:func:`digest_problems`) can check it without the model. Validated with the articles as context
(``Digest.model_validate(data, context={"articles": {...}})``), a digest that cites a sentence
its article does not have, or quotes words its article does not hold, is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer._briefing.schema import Briefing
from summarizer.diagnostics import WarningEntry
from summarizer.grounding import GroundedText, occurs_in

DIGEST_SCHEMA_VERSION: Final = "2.0.0"
"""Major: a change a reader of the JSON must adapt to (2.0.0: a story's ``warnings`` became structured)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Model):
    """One sentence of one article of the digest."""

    article: str = Field(description="Id of a source in the digest, e.g. A3.")
    sentence_id: int = Field(ge=1)
    text: str = Field(description="The sentence exactly as it stands in the article.")


class Statement(_Model):
    """A sentence of the digest and the article sentences it rests on."""

    text: str = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)


class StoryPosition(_Model):
    """What one actor holds, as the cited article reports it."""

    actor: str = Field(min_length=1)
    stance: str = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)


class StoryQuote(_Model):
    """A verbatim quotation from one article: ``text == article[start:end]``."""

    article: str
    text: str = Field(min_length=1)
    speaker: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence_ids: list[int] = Field(min_length=1)


class Source(_Model):
    """An article of the digest, with what its input said about it."""

    id: str = Field(description="Unique within the digest: A1, A2, ... in input order.")
    input: str = Field(description="The file or feed record it was read from.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    duplicates: list[str] = Field(
        default_factory=list, description="Inputs merged into this one as republications of the same text."
    )
    extractive: str | None = Field(
        default=None,
        description="Why the article was briefed from its own words alone (the model failed), when it was.",
    )
    category: str | None = Field(default=None, description="The subscription list's category of its feed.")
    note: str | None = Field(
        default=None, description="How it was read when not as usual: the feed's own text stood in for its page."
    )


class Link(_Model):
    """Why two articles were put in one story: the evidence of the grouping, for people to audit."""

    articles: tuple[str, str]
    score: float = Field(ge=0, le=1, description="Mean overlap of names, words and days mentioned (1 = identical).")
    shared_names: list[str] = Field(description="People, organizations and places both articles name.")
    shared_terms: list[str] = Field(description="The words both articles use that weigh most in the score.")
    shared_days: list[dt.date] = Field(description="Calendar days both articles mention.")


class Story(_Model):
    """One event, told by one or more articles."""

    id: str
    rank: int = Field(ge=1)
    headline: str = Field(min_length=1)
    summary: Statement
    developments: list[Statement]
    positions: list[StoryPosition]
    quotes: list[StoryQuote]
    sources: list[Source] = Field(min_length=1)
    grouping: list[Link] = Field(description="Links that joined the sources into this story; empty for one source.")
    written_by: Literal["model", "briefing", "extractive"] = Field(
        description="model: synthesised from the member briefings; briefing: a one-article story reuses its "
        "briefing; extractive: told in its articles' own sentences, no model (the extractive mode, or the model's "
        "story could not be used: its warnings say why)."
    )
    warnings: list[WarningEntry] = Field(
        default_factory=list,
        description="What was dropped as ungrounded, and how the story was told; each entry's code says which.",
    )


class NotIncluded(_Model):
    """An input that is not in the digest, and why."""

    input: str
    stage: Literal["input", "window", "model"] = Field(
        description="input: unreadable or empty; window: published outside the digest's dates; model: briefing failed."
    )
    reason: str


class FeedReport(_Model):
    """What one feed or web address gave: how many entries, how many read anew, what failed and why."""

    url: str
    title: str | None = None
    category: str | None = None
    status: Literal["fetched", "not modified", "page", "failed"] = Field(
        description="fetched: the feed was read; not modified: it answered 304 and the kept copy was used; "
        "page: the address was an article page; failed: see reason."
    )
    reason: str | None = Field(default=None, description="Why the feed could not be read, when it could not.")
    entries: int = Field(default=0, ge=0, description="Entries the feed lists.")
    read: int = Field(default=0, ge=0, description="Entries read (the newest, up to the fetcher's max_entries).")
    new: int = Field(default=0, ge=0, description="Entries whose page was fetched in this run.")
    known: int = Field(default=0, ge=0, description="Entries whose page was kept from an earlier run (not fetched).")
    feed_text: int = Field(default=0, ge=0, description="Entries read from the feed's own text (page unavailable).")
    failed: list[str] = Field(default_factory=list, description="Entries that could not be read: 'link: reason'.")
    empty: bool = Field(default=False, description="The feed lists no entries.")
    undated: bool = Field(default=False, description="None of its entries carries a date.")


class DigestMeta(_Model):
    """How the digest was made: enough to audit its cost and reproduce it."""

    model: str
    prompt_version: str
    schema_version: str = DIGEST_SCHEMA_VERSION
    inputs: int = Field(ge=0, description="Articles read, duplicates and failures included.")
    articles: int = Field(ge=0, description="Distinct articles briefed (or taken from the cache).")
    cache_hits: int = Field(ge=0, description="Articles whose briefing was taken from the cache.")
    stories_from_cache: int = Field(ge=0, description="Story syntheses taken from the cache.")
    model_calls: int = Field(ge=0, description="Requests made to the model in this run, re-asks included.")
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    seconds: float = Field(ge=0)
    cost_usd: float | None = Field(
        default=None, ge=0, description="Estimated US dollars for this run's model calls, re-asks included; 0 "
        "for the embedded model or a run served from the cache, null when the model's price is not known.",
    )  # fmt: skip
    threshold: float = Field(description="The story grouping threshold used.")


class Digest(_Model):
    """The stories of one day, ranked, with the inputs that did not make it."""

    model_config = ConfigDict(
        json_schema_extra={
            "$id": f"https://summarizer.invalid/schemas/digest-{DIGEST_SCHEMA_VERSION}.schema.json",
            "x-schema-version": DIGEST_SCHEMA_VERSION,
        }
    )

    schema_version: Literal["2.0.0"] = DIGEST_SCHEMA_VERSION
    date: dt.date
    generated_at: dt.datetime
    stories: list[Story]
    not_included: list[NotIncluded]
    feeds: list[FeedReport] = Field(default_factory=list, description="One report per feed or web address read.")
    meta: DigestMeta

    def to_markdown(self) -> str:
        """Render for people: email, chat, a terminal (what ``summarizer digest`` writes as ``DATE.md``)."""
        from .render import render

        return render(self, "md")

    def to_html(self) -> str:
        """One standalone, escaped HTML page (``DATE.html``), with a collapsed "How this was made" section."""
        from .render import render

        return render(self, "html")

    def write(self, folder: Path, formats: str | Sequence[str] = ("md", "html", "json")) -> list[Path]:
        """Write ``folder/DATE.<format>`` for each of ``formats`` (``md``, ``html``, ``json``), as the CLI's ``--out``.

        The folder is created if need be and held while writing: a second writer at the same time
        is refused (:class:`~summarizer.errors.ConfigurationError`), the files are replaced
        together (never half a set), and the folder is marked as output, so a later digest of a
        parent folder does not read the digest back as an article. Returns the paths written.
        """
        from .render import FORMATS, claimed, write

        chosen = (formats,) if isinstance(formats, str) else tuple(formats)
        unknown = [fmt for fmt in chosen if fmt not in FORMATS]
        if unknown or not chosen:
            raise ValueError(f"unknown formats {unknown or chosen}; choose from {', '.join(FORMATS)}")
        with claimed(Path(folder)):
            return write(self, Path(folder), chosen)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Digest:
        articles = (info.context or {}).get("articles")
        if isinstance(articles, Mapping):
            problems = digest_problems(self, articles)
            if problems:
                raise ValueError("ungrounded digest: " + "; ".join(problems[:10]))
        return self


def digest_problems(digest: Digest, articles: Mapping[str, GroundedText]) -> list[str]:
    """Every citation, quote and actor of ``digest`` that its articles do not bear out."""
    problems: list[str] = []
    for story in digest.stories:
        members = {source.id for source in story.sources}
        statements = [story.summary, *story.developments]
        citations = [c for s in statements for c in s.citations] + [c for p in story.positions for c in p.citations]
        for citation in citations:
            article = articles.get(citation.article)
            if citation.article not in members or article is None:
                problems.append(f"{story.id} cites {citation.article}, which is not one of its sources")
            elif article.sentence_text(citation.sentence_id) != citation.text:
                problems.append(f"{story.id} cites {citation.article}.S{citation.sentence_id}, which does not match")
        for position in story.positions:
            cited = [articles[c.article].text for c in position.citations if c.article in articles]
            if not any(occurs_in(position.actor, text) for text in cited):
                problems.append(f"{story.id}: actor {position.actor!r} is not named in the articles cited")
        for quote in story.quotes:
            article = articles.get(quote.article)
            if article is None or article.text[quote.start : quote.end] != quote.text:
                problems.append(f"{story.id}: quote {quote.text[:40]!r} is not verbatim in {quote.article}")
            elif quote.speaker != "unattributed" and not occurs_in(quote.speaker, article.text):
                problems.append(f"{story.id}: speaker {quote.speaker!r} is not named in {quote.article}")
    return problems


EXPORTED_SCHEMAS: Final = ("briefing", "digest")
"""The models whose JSON Schemas ship in ``schemas/`` (``summarizer schema NAME`` prints them)."""


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of an exported model (``briefing`` or ``digest``): its ``model_json_schema()``.

    Each model records its ``$id`` and version itself, so the file, this function and the
    model's own method agree. It lives here, at the top of the format, because the digest
    builds on briefings and not the other way round.
    """
    models: dict[str, type[BaseModel]] = {"briefing": Briefing, "digest": Digest}
    return models[name].model_json_schema()
