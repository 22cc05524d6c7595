"""Item 4 of issue 20: a story's claim checks, the digest's last step before it ends.

Hand-written fictional articles (tests/articles/digest) and the stub model, which writes the
three strike articles' story from their own sentences. No assertion depends on speed: the tests
check what was sent to the NLP workers and which thread checked the story.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from summarizer.client import Summarizer
from summarizer.digests.build import Digester
from summarizer.digests.schema import Digest
from summarizer.digests.synthesis import StoryAnswer
from summarizer.nlp.worker_process import Job
from summarizer.nlp.workers import ParsePool
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, STRIKE, stub_settings


def _digest(tmp_path: Path) -> Digest:
    """The digest of the fictional articles, its NLP workers up before the first parse (every claim goes to them)."""

    async def run(url: str) -> Digest:
        async with Summarizer(stub_settings(url, tmp_path)) as summarizer:
            await asyncio.to_thread(summarizer._parsers().warm, wait=120)
            return await Digester(summarizer).build([DIGEST_ARTICLES])

    with stub_model_server() as stub:
        return asyncio.run(run(stub.url))


def test_a_statement_citing_several_articles_is_sent_to_the_workers_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    story_phase = threading.Event()
    sent: Counter[str] = Counter()
    remote, checkers = ParsePool.remote, Digester._checkers

    def counted(self: ParsePool, job: Job) -> Future[Any] | None:
        if story_phase.is_set() and job[0] == "claim":
            sent[job[1]] += 1
        return remote(self, job)

    async def story_checkers(self: Digester, *args: Any) -> Any:
        story_phase.set()  # every briefing is done: what is parsed from here on is the story's
        return await checkers(self, *args)

    monkeypatch.setattr(ParsePool, "remote", counted)
    monkeypatch.setattr(Digester, "_checkers", story_checkers)
    story = _digest(tmp_path).stories[0]
    assert story.written_by == "model" and {Path(s.input).name for s in story.sources} == STRIKE
    assert sent and max(sent.values()) == 1  # before: once per article a statement cites, one after another


def test_a_story_is_grounded_off_the_event_loop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    threads: list[str] = []
    of = StoryAnswer.of.__func__  # type: ignore[attr-defined]

    def recorded(cls: type[StoryAnswer], *args: Any) -> StoryAnswer:
        threads.append(threading.current_thread().name)
        return of(cls, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(StoryAnswer, "of", classmethod(recorded))
    assert _digest(tmp_path).stories[0].written_by == "model"
    # Its claim checks wait on the workers' parses: on the loop's thread they stalled every other task.
    assert threads and threading.main_thread().name not in threads
