"""Item 4 of issue 20: articles parse concurrently, in worker processes, and the pool closes with its owner.

Hand-written fictional articles. No assertion depends on speed: the tests check where parses
ran (how many worker processes started) and that a worker's analysis is the one this process
would make.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from summarizer.claims.facts import read_facts
from summarizer.client import Summarizer
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze, first_pass, read_again
from summarizer.nlp.model import EN_CORE_WEB_SM
from summarizer.nlp.readable import sentence_problem
from summarizer.nlp.worker_process import Job, Worker, answer_all, exchange, receive, spawn, stop
from summarizer.nlp.workers import ParsePool
from summarizer.settings import Settings
from tests.conftest import TEST_MODELS

if TYPE_CHECKING:
    from spacy.language import Language

FOLDER = EN_CORE_WEB_SM.folder(TEST_MODELS)
ARTICLES = sorted((Path(__file__).parent / "articles").rglob("*.txt"))  # the fictional fixture articles
TEXTS = [
    f'Mayor Ilse Brandvold of Kettering Sound opened the {name} library on Monday. "It belongs to everyone," '
    f"she said. The council spent {n} thousand dollars on it, according to treasurer Omar Feld."
    for name, n in (("harbour", 40), ("north", 55), ("old mill", 61), ("riverside", 72))
]


def _concurrently(pool: ParsePool, texts: list[str]) -> list[object]:
    """Parse ``texts`` from as many threads at once (a barrier lines them up: no timing involved)."""
    barrier = threading.Barrier(len(texts))
    results: list[object] = [None] * len(texts)

    def one(index: int) -> None:
        barrier.wait()
        results[index] = pool.analyze(texts[index])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_overlapping_parses_go_to_worker_processes_and_give_the_same_analysis(nlp: object) -> None:
    pool = ParsePool(FOLDER, processes=2)
    held = pool._claim_here()  # another article is parsing in this process: every parse must go elsewhere
    try:
        results = _concurrently(pool, TEXTS)
        assert pool.started >= 1  # before: one lock, one article at a time, in this process
    finally:
        pool._here_busy = not held
        pool.close()
    assert results == [analyze(GroundedText(text), nlp) for text in TEXTS]  # type: ignore[arg-type]


def test_a_single_parse_starts_no_process() -> None:
    pool = ParsePool(FOLDER, processes=2)
    try:
        assert pool.analyze(TEXTS[0]).quotes
        assert pool.started == 0  # a CLI run or one request pays no process start
    finally:
        pool.close()


def test_no_processes_means_one_parse_at_a_time_here() -> None:
    pool = ParsePool(FOLDER, processes=0)
    assert all(r is not None for r in _concurrently(pool, TEXTS[:2]))
    assert pool.started == 0


def test_a_worker_that_dies_is_replaced_by_parsing_here_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, child_env: dict[str, str]
) -> None:
    def broken(folder: Path, count: int) -> list[Worker]:  # a child that ends at once, answering nothing
        command = [sys.executable, "-c", ""]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_env)
        assert child.stdin is not None and child.stdout is not None
        return [Worker(child.stdin, child.stdout, child)] * count

    monkeypatch.setattr("summarizer.nlp.worker_process.spawn", broken)
    pool = ParsePool(FOLDER, processes=1)
    pool._claim_here()
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        analysis = pool.analyze(TEXTS[1])
    pool.close()
    assert analysis.quotes and analysis.quotes[0].speaker == "Ilse Brandvold"
    assert any("NLP worker process" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_a_worker_imports_this_copy_of_the_library_whatever_the_working_folder(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    decoy = tmp_path / "summarizer"  # a service started from a checkout of another version
    decoy.mkdir()
    (decoy / "__init__.py").write_text('raise ImportError("another copy of summarizer")\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    pool = ParsePool(FOLDER, processes=1)
    try:
        with caplog.at_level(logging.WARNING, logger="summarizer"):
            pool.warm(wait=120)
            queued = pool.remote(("claim", TEXTS[0]))
            parsed = queued.result() if queued is not None else None
    finally:
        pool.close()
    assert not caplog.records  # before: the child imported the folder's copy and never came up
    assert parsed == read_facts(nlp(TEXTS[0]))


def test_the_summarizer_owns_its_pool_and_closing_it_ends_the_workers(tmp_path: Path) -> None:
    summarizer = Summarizer(Settings(model="extractive", cache_dir=tmp_path), nlp_processes=1)
    pool = summarizer._parsers()
    pool._claim_here()
    briefing = summarizer.brief(Article.from_text(TEXTS[2]))
    children = list(pool._children)
    summarizer.close()
    assert briefing.quotes and len(children) == 1
    assert all(child.process.poll() is not None for child in children)  # the worker ended with its summarizer


class _CountedPipes:
    """A pipeline that counts its ``pipe`` calls (each has spaCy's fixed cost) and parses as the real one does."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.pipes = 0

    def pipe(self, texts: Iterable[Any], **kwargs: Any) -> Iterator[Any]:
        self.pipes += 1
        return self.nlp.pipe(texts, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)


def test_a_worker_reads_the_gists_of_all_its_articles_again_in_one_batch(nlp: Language) -> None:
    def pipes(jobs: list[Job]) -> tuple[int, list[tuple[str, Any]]]:
        counted = _CountedPipes(nlp)
        answers = answer_all(jobs, cast(Any, counted))
        return counted.pipes, answers

    one, _ = pipes([("analysis", TEXTS[0])])
    four, answers = pipes([("analysis", text) for text in TEXTS])
    assert four == one  # before: two more calls per article (its gists, its tight gists)
    assert [value for _, value in answers] == [analyze(GroundedText(text), nlp) for text in TEXTS]


def test_a_gist_opening_with_a_name_spelled_as_a_verb_is_kept(nlp: Language) -> None:
    article = GroundedText(
        "Title: Kettering Sound opens a harbour library\n\n"
        "Will Brandvold opened the harbour library on Monday, the Kettering Sound Courier reported. "
        "Opened in June, the library lends boats as well as books to anyone in town.\n"
    )
    gists = analyze(article, nlp).gists
    # Read again without entities, "Will" opens with a verb; the entity recogniser knows a name.
    assert gists[2] == "Will Brandvold opened the harbour library on Monday."


def test_reading_gists_again_without_entities_keeps_the_full_parse_s_verdicts(nlp: Language) -> None:
    passes = [first_pass(GroundedText(path.read_text(encoding="utf-8")), nlp) for path in ARTICLES]
    gists = {text for p in passes for found in (p.analysis.gists, p.analysis.tight_gists) for text in found.values()}
    kept = {text for a in read_again(passes, nlp) for found in (a.gists, a.tight_gists) for text in found.values()}
    full = {text for text in gists - {""} if sentence_problem(nlp(text)) is None}  # every component, one by one
    assert len(gists) > 20 and kept - {""} == full


def _parent_of(pid: int) -> int:
    """A process's parent, from ``/proc`` (Linux, where the workers fork)."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    return int(stat.rsplit(")", 1)[1].split()[1])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process parents from /proc")
def test_one_process_start_makes_every_worker_and_they_all_end_with_it(nlp: Language) -> None:
    workers = spawn(FOLDER, 2)
    try:
        leader, forked = [receive(worker)[1] for worker in workers]  # each says it is ready, with its process id
        parents = _parent_of(leader), _parent_of(forked)
        parses = [exchange(worker, [("claim", TEXTS[0])]) for worker in workers]
    finally:
        for worker in workers:
            stop(worker)
    # Before: a second `python` process per worker, each importing spaCy and loading the pipeline again.
    assert workers[0].process.pid == leader != forked and parents == (os.getpid(), leader)
    assert pickle.dumps(parses[0]) == pickle.dumps(parses[1]) and parses[0][0][1] == read_facts(nlp(TEXTS[0]))
    assert workers[0].process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(forked, 0)  # the leader reaped it before it ended
