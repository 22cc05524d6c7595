"""Build a digest: read the inputs, brief what is new, group into stories, write each story.

Briefing and synthesis run concurrently under one bound (``concurrency`` requests in flight),
each finished result goes to the :class:`~summarizer.digests.store.Store` at once, and anything
that fails is isolated: it is listed under "not included" with its reason and the rest goes on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.client import Summarizer
from summarizer.errors import SummarizerError
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.pipeline import aask
from summarizer.schema import SCHEMA_VERSION, Briefing

from .grouping import Grouper, GroupingOptions, Profile, Scored, find_duplicates
from .schema import DIGEST_SCHEMA_VERSION, Digest, DigestMeta, Link, NotIncluded, Source, Story
from .sources import DigestInput, Entry, expand
from .store import Store, cache_key
from .synthesis import (
    Member,
    StoryAnswer,
    StoryGround,
    Written,
    from_briefings,
    notable_quotes,
    story_call,
)


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
        return cls((now - span).date(), now.date())

    def holds(self, date: dt.date | None) -> bool:
        return date is None or self.first <= date <= self.last


@dataclass(frozen=True)
class Progress:
    """A snapshot for progress displays: articles done, failed, from the cache, and tokens spent."""

    stage: str
    total: int
    done: int = 0
    failed: int = 0
    cached: int = 0
    tokens: int = 0


ProgressCallback = Callable[[Progress], None]
M = TypeVar("M", bound=BaseModel)


@dataclass
class _Tally:
    cache_hits: int = 0
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    not_included: list[NotIncluded] = field(default_factory=list)


@dataclass
class Digester:
    """One digest run over a :class:`Summarizer` and an optional result store."""

    summarizer: Summarizer
    store: Store | None = None
    concurrency: int = 4
    grouping: GroupingOptions = field(default_factory=GroupingOptions)
    on_progress: ProgressCallback = lambda progress: None

    @property
    def model_key(self) -> str:
        """What identifies the model for caching, known without starting it."""
        settings = self.summarizer.settings
        return f"{settings.model}|{settings.base_url or ''}|{settings.strategy or ''}"

    async def build(
        self, inputs: Iterable[DigestInput], *, date: dt.date | None = None, window: Window | None = None
    ) -> Digest:
        """The digest of ``inputs``; raises only for inputs that name nothing at all.

        ``date`` names the digest; by default the window's last day, else the newest article's
        published date, else today. It also resolves "on Friday" in articles that carry no date.
        """
        started = time.perf_counter()
        tally = _Tally()
        entries = expand(inputs, max_bytes=self.summarizer.settings.max_input_bytes)
        readable: list[Entry] = []
        for entry in entries:
            if entry.article is None:
                tally.not_included.append(
                    NotIncluded(input=entry.label, stage="input", reason=entry.error or "unreadable")
                )
            elif window is not None and not window.holds(entry.article.published):
                reason = f"published {entry.article.published}, outside {window.first} to {window.last}"
                tally.not_included.append(NotIncluded(input=entry.label, stage="window", reason=reason))
            else:
                readable.append(entry)
        published = [e.article.published for e in readable if e.article is not None and e.article.published]
        date = date or (window.last if window else None) or max(published, default=None) or dt.date.today()
        sources = _sources(readable, self.grouping.duplicate)
        semaphore = asyncio.Semaphore(max(self.concurrency, 1))
        briefed = await self._brief_all(sources, semaphore, tally)
        stories = await self._stories(briefed, date, semaphore, tally)
        digest = Digest(
            date=date,
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            stories=stories,
            not_included=tally.not_included,
            meta=DigestMeta(
                model=self.summarizer.settings.model,
                prompt_version=self.summarizer.prompts.version,
                inputs=len(entries),
                articles=len(briefed),
                cache_hits=tally.cache_hits,
                model_calls=tally.model_calls,
                input_tokens=tally.input_tokens,
                output_tokens=tally.output_tokens,
                seconds=round(time.perf_counter() - started, 3),
                threshold=self.grouping.threshold,
            ),
        )
        # The last guard: every citation and quote checked against the articles themselves.
        articles = {b.member.source.id: b.member.article for b in briefed}
        return Digest.model_validate(digest.model_dump(), context={"articles": articles})

    async def _brief_all(
        self, sources: list[tuple[Source, Entry]], semaphore: asyncio.Semaphore, tally: _Tally
    ) -> list[_Briefed]:
        progress = Progress("briefing", total=len(sources))

        async def one(source: Source, entry: Entry) -> _Briefed | None:
            nonlocal progress
            assert entry.article is not None
            try:
                found, key, cached = await self._briefing(entry, semaphore, tally)
            except SummarizerError as exc:
                tally.not_included.append(NotIncluded(input=entry.label, stage="model", reason=str(exc)))
                progress = replace(progress, failed=progress.failed + 1)
                self.on_progress(progress)
                return None
            tokens = 0 if cached else found.meta.input_tokens + found.meta.output_tokens
            progress = replace(progress, done=progress.done + 1, cached=progress.cached + cached,
                               tokens=progress.tokens + tokens)  # fmt: skip
            self.on_progress(progress)
            return _Briefed(Member(source, GroundedText(entry.article.text), found), entry.article, key)

        self.on_progress(progress)
        results = await asyncio.gather(*(one(source, entry) for source, entry in sources))
        return [result for result in results if result is not None]

    async def _briefing(self, entry: Entry, semaphore: asyncio.Semaphore, tally: _Tally) -> tuple[Briefing, str, bool]:
        article = entry.article
        assert article is not None
        if entry.briefing is not None:
            return entry.briefing, cache_key("given", entry.briefing.model_dump_json()), True
        prompts = self.summarizer.prompts
        key = cache_key("briefing", article.model_dump_json(), self.model_key, prompts.version, SCHEMA_VERSION)
        cached = self._cached(key, Briefing, {"article": GroundedText(article.text)})
        if cached is not None:
            tally.cache_hits += 1
            return cached, key, True
        async with semaphore:
            made = await self.summarizer.abrief(article)
        tally.model_calls += made.meta.attempts
        tally.input_tokens += made.meta.input_tokens
        tally.output_tokens += made.meta.output_tokens
        if self.store is not None:
            self.store.put(key, "briefing", entry.label, made.model_dump_json())
        return made, key, False

    async def _stories(
        self, briefed: list[_Briefed], date: dt.date, semaphore: asyncio.Semaphore, tally: _Tally
    ) -> list[Story]:
        profiles = [Profile.of(b.article, b.member.briefing, date) for b in briefed]
        groups = Grouper(profiles, self.grouping).groups()
        progress = Progress("stories", total=sum(len(members) > 1 for members, _ in groups))
        self.on_progress(progress)

        async def one(
            members: list[int], links: list[tuple[int, int, Scored]]
        ) -> tuple[list[int], Written, list[Link]]:
            nonlocal progress
            story = StoryGround([briefed[i].member for i in members])
            written = await self._written(story, [briefed[i].key for i in members], semaphore, tally)
            if len(members) > 1:
                progress = replace(progress, done=progress.done + 1)
                self.on_progress(progress)
            explained = [
                Link(
                    articles=(briefed[i].member.source.id, briefed[j].member.source.id),
                    score=s.score,
                    shared_names=s.shared_names,
                    shared_terms=s.shared_terms,
                    shared_days=s.shared_days,
                )
                for i, j, s in links
            ]
            return members, written, explained

        results = await asyncio.gather(*(one(members, links) for members, links in groups))

        # Most-reported first: sources (republications included), then distinct outlets, then input order.
        def weight(result: tuple[list[int], Written, list[Link]]) -> tuple[int, int, int]:
            members = [briefed[i].member.source for i in result[0]]
            return (-sum(1 + len(s.duplicates) for s in members), -len({s.outlet for s in members}), result[0][0])

        stories: list[Story] = []
        for rank, (members, written, links) in enumerate(sorted(results, key=weight), start=1):
            ground = StoryGround([briefed[i].member for i in members])
            stories.append(
                Story(
                    id=f"story-{rank}",
                    rank=rank,
                    headline=written.headline,
                    summary=written.summary,
                    developments=written.developments,
                    positions=written.positions,
                    quotes=notable_quotes(ground),
                    sources=[m.source for m in ground.members],
                    grouping=links,
                    written_by=written.by,
                    warnings=written.warnings,
                )
            )
        return stories

    async def _written(
        self, story: StoryGround, keys: list[str], semaphore: asyncio.Semaphore, tally: _Tally
    ) -> Written:
        if len(story.members) == 1:
            return from_briefings(story, [])
        prompts = self.summarizer.prompts
        key = cache_key("story", *keys, self.model_key, prompts.version, DIGEST_SCHEMA_VERSION)
        cached = self._cached(key, StoryAnswer, {"ground": story})
        if cached is not None:
            tally.cache_hits += 1
            return cached.written(story)
        try:
            async with semaphore:
                answers = await aask([story_call(story, prompts)], self.summarizer.backend, self.summarizer.asking)
        except SummarizerError as exc:  # not cached: a server fault may be gone next run
            return from_briefings(story, [f"the model could not write the story ({exc}); told by its briefings"])
        answer = answers[0]
        tally.model_calls += answer.attempts
        tally.input_tokens += answer.input_tokens
        tally.output_tokens += answer.output_tokens
        result = StoryAnswer.of(answer, story)
        if self.store is not None:  # kept even when parts were dropped: at temperature 0 a rerun says the same
            self.store.put(key, "story", ", ".join(m.source.id for m in story.members), result.model_dump_json())
        return result.written(story)

    def _cached(self, key: str, model: type[M], context: dict[str, object]) -> M | None:
        if self.store is None:
            return None
        value = self.store.get(key)
        if value is None:
            return None
        try:
            return model.model_validate_json(value, context=context)
        except ValidationError:
            return None  # written by an older release or damaged: redo it


@dataclass(frozen=True)
class _Briefed:
    member: Member
    article: Article
    key: str


def _sources(readable: list[Entry], duplicate: float) -> list[tuple[Source, Entry]]:
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
                        url=article.url, published=article.published, duplicates=copies.get(index, []))  # fmt: skip
        sources.append((source, entry))
    return sources
