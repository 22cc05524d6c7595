"""The NLP stage of several articles at once: worker processes, one spaCy pipeline each.

spaCy's pipeline is CPU work that holds the GIL and is not made for concurrent use, so one
process parses one article at a time: a request that takes 0.07 s alone waited 18.5 s behind a
100 KB article, and a digest plateaued at the stage's rate on one core. A :class:`ParsePool`
parses in the calling thread while nothing else is parsing (a single brief or a CLI run starts
no process), and as soon as two parses overlap it starts worker processes (``processes``, one
per core by default, all from one process start: see :mod:`~summarizer.nlp.worker_process`)
and sends every later parse to them, so the parent's
own core is left to the event loop, the requests and assembly. A worker is a plain
``python -m summarizer.nlp.worker_process`` child speaking length-prefixed pickles over its pipes:
not :mod:`multiprocessing`, whose start methods either fork a threaded process or re-run the
caller's ``__main__`` script in every child. A worker that dies is replaced by parsing in the
calling thread, with a warning in the ``summarizer`` log; the pool closes with its Summarizer.

The claim checker's parses of the model's prose go to the workers too once they are up
(:class:`~summarizer.nlp.claim_parser.ClaimParser`): parsed in the parent they were most of
its CPU per article, and each held the GIL the event loop needs. They jump the queue (a brief
waiting on its checks is nearly done).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import queue
import threading
import time
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from summarizer.events import NlpStageDone, emit
from summarizer.grounding import GroundedText
from summarizer.nlp.analysis import Analysis, analyze
from summarizer.nlp.claim_parser import ClaimParser
from summarizer.nlp.model import load_pipeline
from summarizer.nlp.worker_process import Job, Start, Worker, WorkerFailed, exchange, receive, stop

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger("summarizer")
_BATCH = 16  # articles sent to a worker at once: spaCy parses their sentences in one batch
_MAX_FAILURES = 3  # workers that failed to start or died before the pool parses in-process only
_Queued = tuple[int, int, tuple[Job, "Future[Any]"] | None]  # (priority, arrival, job and its future | stop)


def default_processes() -> int:
    """One worker per core, at most four: the stage is CPU-bound and each worker holds its own pipeline."""
    return max(1, min(os.cpu_count() or 1, 4))


class ParsePool:
    """Runs the NLP stage in the calling thread when it is free, else in worker processes (see the module).

    ``folder`` is the verified spaCy pipeline (:func:`~summarizer.nlp.model.ensure_nlp_model`);
    ``processes`` bounds the workers, 0 parses only in the calling thread, one article at a time.
    Thread-safe; usable from any number of threads and event loops.
    """

    def __init__(self, folder: Path, processes: int | None = None) -> None:
        self.folder = folder
        self.processes = default_processes() if processes is None else processes
        self._lock = threading.Lock()
        self._here = threading.Lock()  # the calling threads' own pipeline: one parse at a time
        self._here_busy = False
        self._jobs: queue.PriorityQueue[_Queued] = queue.PriorityQueue()
        self._arrivals = itertools.count()
        self._claims = ClaimParser(self)
        self._threads: list[threading.Thread] = []
        self._children: list[Worker] = []
        self._ready = 0
        self._up = threading.Event()  # set once a worker is ready, or none will be
        self._failures = 0
        self._closed = False

    @property
    def checking(self) -> tuple[ClaimParser, AbstractContextManager[object]]:
        """What one brief's claim checker parses the model's prose with, and the lock it parses under.

        A :class:`~summarizer.nlp.claim_parser.ClaimParser` over this pool, of its own: the
        checker calls only ``nlp(text)`` and ``nlp.pipe(texts)``, and the parser locks itself.
        """
        return self._claims.fork(), nullcontext()

    @property
    def started(self) -> int:
        """How many worker processes were started (0 until two parses overlap)."""
        with self._lock:
            return len(self._threads)

    def analyze(self, text: str, *, claims: bool = True) -> Analysis:
        """The NLP stage of the article ``text``, waiting for a free parser (reported as :class:`NlpStageDone`).

        ``claims=False``: no claim will be checked (a brief that asks no model), so the facts the
        checker reads are neither made nor sent across (see :func:`~summarizer.nlp.analysis.analyze`).
        """
        started = time.perf_counter()
        analysis = self._analyze(text, claims)
        emit(NlpStageDone(len(text), time.perf_counter() - started))
        return analysis

    async def aanalyze(self, text: str, *, claims: bool = True) -> Analysis:
        """The same without blocking the event loop: the calling-thread parse runs in a worker thread."""
        started = time.perf_counter()
        analysis = await self._aanalyze(text, claims)
        emit(NlpStageDone(len(text), time.perf_counter() - started))
        return analysis

    def _analyze(self, text: str, claims: bool) -> Analysis:
        if self._claim_here():
            return self._parse_here(text, claims, claimed=True)
        try:
            return cast(Analysis, self._submit(("analysis" if claims else "plain", text)).result())
        except WorkerFailed:
            return self._parse_here(text, claims)

    async def _aanalyze(self, text: str, claims: bool) -> Analysis:
        self.warm()
        # Until a worker is up, parse in a thread only if this process holds the pipeline already:
        # loading it here holds the loop's GIL for seconds, so the parse waits for a worker instead.
        if load_pipeline.cache_info().currsize and self._claim_here():
            return await asyncio.to_thread(self._parse_here, text, claims, claimed=True)
        try:
            return cast(Analysis, await asyncio.wrap_future(self._submit(("analysis" if claims else "plain", text))))
        except WorkerFailed:
            return await asyncio.to_thread(self._parse_here, text, claims)

    def remote(self, job: Job) -> Future[Any] | None:
        """``job`` queued for a worker process if one is up, else None (the caller parses here: :attr:`here`)."""
        with self._lock:
            up = self._ready > 0 and not self._closed
        return self._submit(job) if up else None

    @property
    def here(self) -> tuple[Language, AbstractContextManager[object]]:
        """This process's pipeline and the lock every parse in this process holds."""
        return load_pipeline(self.folder), self._here

    def close(self) -> None:
        """Stop the workers (each ends when its input closes); later parses run in the calling thread."""
        with self._lock:
            self._closed = True
            threads, self._threads = self._threads, []
        for _ in threads:
            self._jobs.put((2, next(self._arrivals), None))
        for thread in threads:
            thread.join(timeout=30)  # a worker still loading its pipeline finishes that first
        with self._lock:
            workers = list(self._children)
        for worker in workers:
            stop(worker)  # one that hangs is killed

    def _claim_here(self) -> bool:
        """Take the calling-thread slot when no worker is up yet and nothing else parses here."""
        with self._lock:
            if self._here_busy or (self._ready > 0 and not self._closed):
                return False
            if self.processes > 0 and not self._closed:
                self._here_busy = True
                return True
            return False  # processes=0 or closed: wait for the lock in _parse_here instead

    def _parse_here(self, text: str, claims: bool, *, claimed: bool = False) -> Analysis:
        try:
            with self._here:
                return analyze(GroundedText(text), load_pipeline(self.folder), facts=claims)
        finally:
            if claimed:
                with self._lock:
                    self._here_busy = False

    def _submit(self, job: Job) -> Future[Any]:
        """Queue ``job`` for a worker (claims ahead of articles); a WorkerFailed future when none will run it."""
        future: Future[Any] = Future()
        with self._lock:  # queued under the lock: a worker retiring meanwhile hands it back (_retire)
            if self._closed or self.processes == 0 or self._failures >= _MAX_FAILURES:
                future.set_exception(WorkerFailed("no worker processes"))
                return future
            if len(self._threads) < self.processes:
                self._start_workers()
            self._jobs.put((0 if job[0] == "claim" else 1, next(self._arrivals), (job, future)))
        return future

    def warm(self, *, wait: float = 0) -> None:
        """Start every worker process now (in the background): an asyncio service parses nothing in its own process.

        A parse in the event loop's process holds the GIL in long stretches of compiled code (and
        its first, the pipeline's load, for seconds), and on a busy machine the loop then waits
        for it: the async API warms the pool on first use and, unless this process has loaded the
        pipeline already, queues every parse for the workers even while they start. ``wait``:
        seconds to wait for a worker to be up (a service's
        :meth:`~summarizer.client.Summarizer.astart`, so its first request does not).
        """
        with self._lock:
            if self._closed or self._failures >= _MAX_FAILURES:
                return
            if len(self._threads) < self.processes:
                self._start_workers()
        if wait:
            self._up.wait(wait)

    def _start_workers(self) -> None:
        """A thread for each missing worker (under the lock); one process start makes them all (see ``Start``)."""
        missing = self.processes - len(self._threads)
        start = Start(self.folder, missing)
        for index in range(missing):
            thread = threading.Thread(target=self._serve, args=(start, index), name="summarizer-nlp", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, start: Start, index: int) -> None:
        """One worker process and the thread that feeds it jobs from the shared queue."""
        try:
            child = start.worker(index)
        except OSError as exc:
            log.warning("could not start an NLP worker process (%s); parsing in this process", exc)
            self._retire(failed=True)
            return
        with self._lock:
            self._children.append(child)
        try:
            receive(child)  # the pipeline is loaded
        except WorkerFailed as exc:
            log.warning("could not start an NLP worker process (%s); parsing in this process", exc)
            stop(child)
            self._retire(failed=True)
            return
        with self._lock:
            self._ready += 1
            self._up.set()
        try:
            while batch := self._batch():
                try:
                    answers = exchange(child, [job for job, _ in batch])
                except WorkerFailed as exc:
                    log.warning("an NLP worker process failed (%s); parsing in this process", exc)
                    for _, future in batch:
                        future.set_exception(exc)
                    self._retire(failed=True)
                    return
                for (_, future), (status, value) in zip(batch, answers, strict=True):
                    if status == "ok":
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            with self._lock:
                self._ready -= 1
            stop(child)

    def _batch(self) -> list[tuple[Job, Future[Any]]]:
        """The next job and those queued behind it (up to ``_BATCH``), to parse in one go; [] to stop."""
        while True:
            batch: list[tuple[Job, Future[Any]]] = []
            queued = self._jobs.get()
            while queued[2] is not None:
                if queued[2][1].set_running_or_notify_cancel():
                    batch.append(queued[2])
                if len(batch) >= _BATCH:
                    return batch
                try:
                    queued = self._jobs.get_nowait()
                except queue.Empty:
                    break
            else:  # the stop sentinel: parse what came before it, then hand it on to the next call
                if batch:
                    self._jobs.put(queued)
                return batch
            if batch:
                return batch

    def _retire(self, *, failed: bool) -> None:
        """Forget the calling worker thread; with none left, hand queued jobs back to their callers."""
        with self._lock:
            if threading.current_thread() in self._threads:
                self._threads.remove(threading.current_thread())
            self._failures += failed
            if not self._threads:
                self._up.set()  # no worker will come: nobody waits for one
                self._drain()

    def _drain(self) -> None:
        """Hand every queued job back to its caller's thread (no worker will take it)."""
        while True:
            try:
                queued = self._jobs.get_nowait()
            except queue.Empty:
                return
            if queued[2] is None:
                self._jobs.put(queued)
                return
            if queued[2][1].set_running_or_notify_cancel():
                queued[2][1].set_exception(WorkerFailed("no worker process"))
