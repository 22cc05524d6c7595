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
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from summarizer._briefing.schema import SCHEMA_VERSION, Briefing
from summarizer.backends.extractive import EXTRACTIVE
from summarizer.claims.checker import ClaimChecker
from summarizer.client import Summarizer
from summarizer.diagnostics import WarningCode, WarningEntry, messages
from summarizer.errors import BackendError, GroundingError, InputError, NotAsked
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import Analysis
from summarizer.web.fetch import FetchOptions
from summarizer.web.reader import WebReader

from .drafts import SYNTHESIS_TOKENS, DraftStory, Member, StoryGround, story_call
from .folders import FolderFilter
from .grouping import Grouper, GroupingOptions, Profile, Scored
from .schema import DIGEST_SCHEMA_VERSION, Digest, DigestMeta, FeedReport, Link, NotIncluded, Source, Story
from .selection import Window, numbered_sources, within_window
from .sources import DigestInput, Entry, expand, web_addresses
from .spending import Slots, Tally, within_budget
from .store import Store, cache_key
from .synthesis import StoryAnswer, Written, from_briefings, from_own_words, notable_quotes


@dataclass(frozen=True)
class DigestProgress:
    """A snapshot for progress displays: articles done, failed, from the cache, and tokens spent."""

    stage: str
    total: int
    done: int = 0
    failed: int = 0
    cached: int = 0
    tokens: int = 0


ProgressCallback = Callable[[DigestProgress], None]
M = TypeVar("M", bound=BaseModel)


@dataclass
class Digester:
    """One digest run over a :class:`Summarizer` and an optional result store."""

    summarizer: Summarizer
    store: Store | None = None
    concurrency: int = 4
    grouping: GroupingOptions = field(default_factory=GroupingOptions)
    on_progress: ProgressCallback = lambda progress: None
    fallback: bool = True  # an article the model fails is briefed from its own words (a batch sends it again)
    fetching: FetchOptions | None = None  # how web addresses are fetched (Settings.allow_private_addresses adds)
    folders: FolderFilter = field(default_factory=FolderFilter)  # which files of a folder input are articles

    @cached_property
    def _fingerprints(self) -> tuple[str, str]:
        """What briefings and stories depend on besides their input, known without starting the model."""
        briefings = self.summarizer.request_fingerprint()
        return briefings, self.summarizer.request_fingerprint((DraftStory, SYNTHESIS_TOKENS))

    async def build(
        self, inputs: Iterable[DigestInput], *, date: dt.date | None = None, window: Window | None = None
    ) -> Digest:
        """The digest of ``inputs``; raises only for inputs that name nothing at all.

        ``date`` names the digest; by default the window's last day, else the newest article's
        published date, else today. It also resolves "on Friday" in articles that carry no date.
        """
        started = time.perf_counter()
        tally = Tally()
        inputs = list(inputs)
        web = self._web_reader(web_addresses(inputs))
        try:
            entries = expand(inputs, max_bytes=self.summarizer.settings.max_input_bytes, web=web, folders=self.folders)
        finally:
            web.close()
        readable, left_out = within_window(entries, window)
        tally.not_included.extend(left_out)
        published = [e.article.published for e in readable if e.article is not None and e.article.published]
        date = date or (window.last if window else None) or max(published, default=None) or dt.date.today()
        sources = numbered_sources(readable, self.grouping.duplicate)
        slots = Slots(self.summarizer, self.concurrency, lambda: within_budget(self.summarizer, tally))
        briefed = await self._brief_all(sources, slots, tally)
        stories = await self._stories(briefed, date, slots, tally)
        digest = Digest(
            date=date,
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            stories=stories,
            not_included=tally.not_included,
            feeds=web.reports,
            meta=DigestMeta(
                model=self.summarizer.settings.model,
                prompt_version=self.summarizer.prompts.version,
                inputs=len(entries),
                articles=len(briefed),
                cache_hits=tally.cache_hits,
                stories_from_cache=tally.stories_from_cache,
                model_calls=tally.model_calls,
                input_tokens=tally.input_tokens,
                output_tokens=tally.output_tokens,
                cost_usd=tally.cost(self.summarizer),
                seconds=round(time.perf_counter() - started, 3),
                threshold=self.grouping.threshold,
            ),
        )
        # The last guard: every citation and quote checked against the articles themselves.
        articles = {b.member.source.id: b.member.article for b in briefed}
        return Digest.model_validate(digest.model_dump(), context={"articles": articles})

    def _web_reader(self, addresses: int) -> WebReader:
        """The run's web reader; it reports each address read as "fetching" progress."""
        options = self.fetching or FetchOptions()
        if self.summarizer.settings.allow_private_addresses:
            options = replace(options, allow_private_addresses=True)
        reader = WebReader(options, self.store)
        progress = DigestProgress("fetching", total=addresses)

        def read(report: FeedReport) -> None:
            nonlocal progress
            progress = replace(progress, done=progress.done + 1, failed=progress.failed + (report.status == "failed"))
            self.on_progress(progress)

        reader.on_read = read
        if addresses:
            self.on_progress(progress)
        return reader

    async def _brief_all(self, sources: list[tuple[Source, Entry]], slots: Slots, tally: Tally) -> list[_Briefed]:
        progress = DigestProgress("briefing", total=len(sources))

        async def one(source: Source, entry: Entry) -> _Briefed | None:
            nonlocal progress
            assert entry.article is not None
            grounded = GroundedText(entry.article.text)  # one per article: cache check and story both use it
            try:
                found, key, cached, analysis = await self._briefing(entry, grounded, slots, tally)
            except (BackendError, GroundingError, InputError, NotAsked) as exc:  # this article's; bad setups stop runs
                failed = NotIncluded(input=entry.label, stage="input" if isinstance(exc, InputError) else "model",
                                     reason=str(exc))  # fmt: skip
                tally.not_included.append(failed)
                progress = replace(progress, failed=progress.failed + 1)
                self.on_progress(progress)
                return None
            tokens = 0 if cached else found.meta.input_tokens + found.meta.output_tokens
            progress = replace(progress, done=progress.done + 1, cached=progress.cached + cached,
                               tokens=progress.tokens + tokens)  # fmt: skip
            self.on_progress(progress)
            if found.meta.strategy == EXTRACTIVE and self.summarizer.backend.info.name != EXTRACTIVE:
                why = [w.message for w in found.meta.warnings if w.code == WarningCode.EXTRACTIVE_FALLBACK]
                source = source.model_copy(update={"extractive": why[-1] if why else "the model failed"})
            return _Briefed(Member(source, grounded, found, analysis), entry.article, key)

        self.on_progress(progress)
        results = await asyncio.gather(*(one(source, entry) for source, entry in sources))
        return [result for result in results if result is not None]

    async def _briefing(
        self, entry: Entry, grounded: GroundedText, slots: Slots, tally: Tally
    ) -> tuple[Briefing, str, bool, Analysis | None]:
        article = entry.article
        assert article is not None
        if entry.briefing is not None:
            return entry.briefing, cache_key("given", entry.briefing.model_dump_json()), True, None
        key = cache_key("briefing", article.model_dump_json(), self._fingerprints[0], SCHEMA_VERSION)
        cached = self._cached(key, Briefing, {"article": grounded})
        if cached is not None:
            tally.cache_hits += 1
            return cached, key, True, None
        try:
            briefing, analysis = await self.summarizer._abrief_nlp(article, None, slots.hold)
        except BackendError as exc:  # not cached: a server fault may be gone next run
            if not self.fallback:
                raise
            return self.summarizer.brief_extractively(article, because=f"the model failed ({exc})"), key, False, None
        tally.spent(briefing.meta.attempts, briefing.meta.input_tokens, briefing.meta.output_tokens)
        if self.store is not None:
            self.store.put(key, "briefing", entry.label, briefing.model_dump_json())
        return briefing, key, False, analysis

    async def _stories(self, briefed: list[_Briefed], date: dt.date, slots: Slots, tally: Tally) -> list[Story]:
        profiles = [Profile.of(b.article, b.member.briefing, date) for b in briefed]
        groups = Grouper(profiles, self.grouping).groups()
        progress = DigestProgress("stories", total=sum(len(members) > 1 for members, _ in groups))
        self.on_progress(progress)

        async def one(members: list[int], links: list[tuple[int, int, Scored]]) -> _Told:
            nonlocal progress
            story = StoryGround([briefed[i].member for i in members])
            written, cached = await self._written(story, [briefed[i].key for i in members], slots, tally)
            if len(members) > 1:
                progress = replace(progress, done=progress.done + 1, cached=progress.cached + cached)
                self.on_progress(progress)
            explained = [
                Link(articles=(briefed[i].member.source.id, briefed[j].member.source.id), score=s.score,
                     shared_names=s.shared_names, shared_terms=s.shared_terms, shared_days=s.shared_days)
                for i, j, s in links
            ]  # fmt: skip
            return _Told(story, written, explained, members[0])

        told = await asyncio.gather(*(one(members, links) for members, links in groups))
        # Most-reported first: sources (republications included), then distinct outlets, then input order.
        told.sort(key=lambda t: (-sum(1 + len(m.source.duplicates) for m in t.story.members),
                                 -len({m.source.outlet for m in t.story.members}), t.first))  # fmt: skip
        return [
            Story(id=f"story-{rank}", rank=rank, headline=t.written.headline, summary=t.written.summary,
                  developments=t.written.developments, positions=t.written.positions,
                  quotes=notable_quotes(t.story), sources=[m.source for m in t.story.members], grouping=t.links,
                  written_by=t.written.by, warnings=t.written.warnings)
            for rank, t in enumerate(told, start=1)
        ]  # fmt: skip

    async def _written(self, story: StoryGround, keys: list[str], slots: Slots, tally: Tally) -> tuple[Written, bool]:
        if len(story.members) == 1:
            return from_briefings(story, []), False
        key = cache_key("story", *keys, self._fingerprints[1], DIGEST_SCHEMA_VERSION)
        cached = self._kept_story(key, story)
        if cached is not None:
            tally.stories_from_cache += 1
            return cached.written(story), True
        if self.summarizer.backend.info.name == EXTRACTIVE:  # no model to ask: nothing worth keeping either
            return from_own_words(story, []), False
        try:
            story = replace(story, claims=await self._checkers(story))
            answer = await self.summarizer._aask(story_call(story, self.summarizer.prompts), slot=slots.hold)
        except (BackendError, NotAsked) as exc:  # not cached: a server fault may be gone next run
            why = f"the model could not write the story ({exc}); told in its articles' own sentences"
            return from_own_words(story, [WarningEntry.of(WarningCode.TOLD_IN_OWN_WORDS, "story", why)]), False
        tally.spent(answer.attempts, answer.input_tokens, answer.output_tokens)
        result, written = await asyncio.to_thread(StoryAnswer.told, answer, story)  # claim checks: off the loop
        dropped = [w for w in result.warnings if w.code == WarningCode.DROPPED_UNGROUNDED]
        if dropped and self.summarizer.settings.strict:
            why = "the model's story could not be fully grounded: " + messages(dropped)
            raise GroundingError(why, problems=dropped)
        if self.store is not None:  # kept even when parts were dropped: at temperature 0 a rerun says the same
            self.store.put(key, "story", ", ".join(m.source.id for m in story.members), result.model_dump_json())
        return written, False

    async def _checkers(self, story: StoryGround) -> dict[str, ClaimChecker]:
        """A claim checker per member, from its briefing's NLP stage (run again for one made earlier), on one parser."""
        pool = await asyncio.to_thread(self.summarizer._parsers)
        parser, lock = pool.checking
        checkers: dict[str, ClaimChecker] = {}
        for m in story.members:
            analysis = m.analysis if m.analysis is not None else await pool.aanalyze(m.article.text)
            checkers[m.source.id] = ClaimChecker.from_analysis(m.article, analysis, parser, lock, m.source.title)
        return checkers

    def _kept_story(self, key: str, story: StoryGround) -> StoryAnswer | None:
        value = self.store.get(key) if self.store is not None else None
        if value is None:
            return None
        try:
            return StoryAnswer.kept(value, story)
        except ValidationError:
            return None  # written by an older release or damaged: redo it

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
class _Told:
    """A story before ranking: its members, its text, why it was grouped, its first input."""

    story: StoryGround
    written: Written
    links: list[Link]
    first: int


@dataclass(frozen=True)
class _Briefed:
    member: Member
    article: Article
    key: str
