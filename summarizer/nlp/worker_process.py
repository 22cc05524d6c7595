"""NLP worker processes: the children's loop, and the parent's side of the pipes to them.

The parent starts one plain ``python -m summarizer.nlp.worker_process FOLDER`` child, the
*leader*, which imports spaCy and loads the pipeline (about 1.5 s of CPU), then forks every
other worker the parent asked for: a forked worker shares the loaded pipeline and costs
nothing to start, where a second ``python`` process paid the whole start again (a digest
started its two workers on every run). The leader is single-threaded, so forking it is safe,
where forking the parent (threads, an event loop) is not. Each worker speaks length-prefixed
pickles over a pipe pair of its own (the leader over its stdin and stdout, a forked worker
over a pair the parent handed the leader): the parent sends a batch of jobs, each a
:data:`Job` (what to make of which text), the worker answers one ``("ok", value)`` or
``("error", exception)`` per job. Not :mod:`multiprocessing`: its start methods either fork a
threaded process or re-run the caller's ``__main__`` script in every child. A worker ends at
the end of its input; the leader waits for the workers it forked (so their CPU time counts as
the parent's children's) and kills one that hangs.

A job's :data:`Kind` is ``"analysis"`` (an article's NLP stage, with the facts the claim
checker reads), ``"plain"`` (the same without those facts: nothing will be checked, so they are
neither made nor pickled) and ``"claim"`` (one short text, a claim of the model's, parsed and
sent back as the :class:`~summarizer.claims.facts.Facts` the checker reads of it: the claim
checker's parse, off the parent's core). The facts cross, not the ``Doc``: a ``Doc`` sent as its
dictionary was rebuilt and read in the parent, and ``Doc.to_bytes`` packs that dictionary with
msgpack, which looks its extensions up in the installed packages' metadata on every call.
"""

from __future__ import annotations

import itertools
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from summarizer.claims.facts import read_facts
from summarizer.grounding import GroundedText
from summarizer.nlp.analysis import FirstPass, first_pass, read_again
from summarizer.nlp.model import load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

_HEADER = struct.Struct(">Q")
READY = "ready"
Kind = Literal["analysis", "plain", "claim"]
Job = tuple[Kind, str]


_HANG = 5.0  # seconds a worker whose input closed may take to end before it is killed


class WorkerFailed(Exception):
    """A worker process ended or answered nonsense; the parse is redone in the calling thread."""


@dataclass(frozen=True)
class Worker:
    """The parent's side of one worker: the pipe to it, the pipe from it, and the leader's process.

    ``process`` is the leader's for every worker (a forked worker is the leader's child, not
    the parent's); only the leader's own :class:`Worker` waits for it when stopped.
    """

    sink: IO[bytes]
    source: IO[bytes]
    process: subprocess.Popen[bytes]
    leader: bool = True


def spawn(folder: Path, count: int = 1) -> list[Worker]:
    """``count`` workers from one start of ``python -P -m summarizer.nlp.worker_process FOLDER``.

    The first is the leader; the others are forked by it once its pipeline is loaded, each over
    a pipe pair made here and handed to the leader (see the module). ``-P``: ``-m`` would put the
    working folder first on the module path, and a service started from a checkout of another
    version there had its workers import that one instead.
    """
    pairs = [(os.pipe(), os.pipe()) for _ in range(count - 1)]  # (to the worker, from it) per forked worker
    theirs = [(to[0], back[1]) for to, back in pairs]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    try:
        process = subprocess.Popen(
            [sys.executable, "-P", "-m", "summarizer.nlp.worker_process", str(folder),
             *(f"{r},{w}" for r, w in theirs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            pass_fds=[fd for pair in theirs for fd in pair],
        )  # fmt: skip
    except OSError:
        for to, back in pairs:
            os.close(to[1])
            os.close(back[0])
        raise
    finally:  # the leader holds its copies of the forked workers' ends now (or failed to start)
        for fd in itertools.chain.from_iterable(theirs):
            os.close(fd)
    assert process.stdin is not None and process.stdout is not None
    forked = [Worker(os.fdopen(to[1], "wb"), os.fdopen(back[0], "rb"), process, leader=False) for to, back in pairs]
    return [Worker(process.stdin, process.stdout, process), *forked]


class Start:
    """One :func:`spawn` of ``count`` workers, made by whichever of their serving threads asks first."""

    def __init__(self, folder: Path, count: int) -> None:
        self._folder, self._count = folder, count
        self._lock = threading.Lock()
        self._made: list[Worker] | OSError | None = None

    def worker(self, index: int) -> Worker:
        """The ``index``-th worker; OSError if the process could not be started."""
        with self._lock:
            if self._made is None:
                try:
                    self._made = spawn(self._folder, self._count)
                except OSError as exc:
                    self._made = exc
        if isinstance(self._made, OSError):
            raise self._made
        return self._made[index]


def exchange(worker: Worker, jobs: list[Job]) -> list[tuple[str, Any]]:
    """Send ``jobs`` to the worker and wait for one answer each; WorkerFailed if the pipe breaks."""
    try:
        _write(worker.sink, jobs)
    except OSError as exc:
        raise WorkerFailed(f"its input closed: {exc}") from exc
    status, answers = receive(worker)
    if status != "ok" or not isinstance(answers, list) or len(answers) != len(jobs):
        raise WorkerFailed("it answered something other than one parse per job")
    return answers


def receive(worker: Worker) -> tuple[str, Any]:
    """The worker's next message, checked to be one of the protocol's."""
    try:
        message = _read(worker.source)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
        raise WorkerFailed(f"it ended (the leader's exit code {worker.process.poll()})") from exc
    if not (isinstance(message, tuple) and len(message) == 2 and message[0] in ("ok", "error", READY)):
        raise WorkerFailed("it answered something other than a parse")
    return message


def stop(worker: Worker) -> None:
    """Close the worker's pipes (it ends at the end of its input); the leader's is waited for, killed if it hangs.

    The leader first waits for the workers it forked (killing one that hangs), hence the longer wait.
    """
    for stream in (worker.sink, worker.source):
        try:
            stream.close()
        except OSError:
            pass  # a broken pipe's unflushed bytes: the worker is gone already
    if not worker.leader:
        return
    try:
        worker.process.wait(timeout=2 * _HANG)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()


def _write(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("no message")
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("a message cut short")
    return pickle.loads(data)  # noqa: S301 - from our own child process, over its private pipe


def answer_all(jobs: list[Job], nlp: Language) -> list[tuple[str, Any]]:
    """``("ok", value)`` or ``("error", exception)`` per job, in order, all their sentences parsed in one ``nlp.pipe``.

    spaCy works in batches: three short articles' sentences in one batch cost about 60 % of three
    separate calls, and a claim parsed alone costs about three times its share of a batch, so a
    worker given several jobs at once parses them together, and the articles' gists, read again
    on their own (:func:`~summarizer.nlp.analysis.read_again`), in a second batch.
    """
    articles = [GroundedText(text) if kind != "claim" else None for kind, text in jobs]
    pieces = [
        [s.text for s in a.sentences] if a is not None else [text] for a, (_, text) in zip(articles, jobs, strict=True)
    ]
    docs = iter(nlp.pipe((piece for own in pieces for piece in own), batch_size=64))
    answers: list[tuple[str, Any]] = []
    passes: dict[int, FirstPass] = {}  # answer index -> its article's first pass, finished all together below
    for (kind, _), article, own_pieces in zip(jobs, articles, pieces, strict=True):
        own = list(itertools.islice(docs, len(own_pieces)))
        try:
            if article is None:
                answers.append(("ok", read_facts(own[0])))
            else:
                passes[len(answers)] = first_pass(article, nlp, own, facts=kind == "analysis")
                answers.append(("ok", None))
        except Exception as exc:  # noqa: BLE001 - the parent re-raises it in the caller's thread
            answers.append(("error", _picklable(exc)))
    for index, analysis in zip(passes, read_again(list(passes.values()), nlp), strict=True):
        answers[index] = ("ok", analysis)
    return answers


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.dumps(exc)
    except (pickle.PicklingError, TypeError, AttributeError) as why:
        return RuntimeError(f"the NLP stage failed in a worker: {exc!r} ({why})")
    return exc


def _leader(folder: Path, source: IO[bytes], sink: IO[bytes], pairs: list[tuple[int, int]]) -> None:
    """The leader: load the pipeline, fork a worker for each pipe pair, serve its own pipes, then reap the forked."""
    nlp = load_pipeline(folder)
    forked = []
    for index, (r, w) in enumerate(pairs):
        pid = os.fork()
        if pid == 0:  # a forked worker: its own pipes only, so each pipe ends when its one worker does
            source.close()
            sink.close()
            for fd in itertools.chain.from_iterable(pairs[index + 1 :]):  # the earlier ones are closed already
                os.close(fd)
            try:
                _serve(nlp, os.fdopen(r, "rb"), os.fdopen(w, "wb"))
            finally:
                os._exit(0)  # not the leader's exit: its buffers and pipes are the leader's
        os.close(r)
        os.close(w)
        forked.append(pid)
    _serve(nlp, source, sink)
    _reap(forked)


def _serve(nlp: Language, source: IO[bytes], sink: IO[bytes]) -> None:
    """One worker's loop: say it is ready, then answer each batch of jobs until its input ends."""
    _write(sink, (READY, os.getpid()))
    while True:
        try:
            jobs = _read(source)
        except EOFError:
            return
        _write(sink, ("ok", answer_all(jobs, nlp)))


def _reap(pids: list[int]) -> None:
    """Wait for the forked workers (their input is closed or closing), killing any still running after a while."""
    deadline = time.monotonic() + _HANG
    for pid in pids:
        while not os.waitpid(pid, os.WNOHANG)[0]:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.05)


def _main() -> None:
    """The leader's entry: its stdout is the pipe to the parent, so stray prints go to stderr instead.

    Its arguments: the pipeline's folder, then ``READ,WRITE`` file descriptors per worker to fork.
    """
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    pairs = [(int(r), int(w)) for r, w in (argument.split(",") for argument in sys.argv[2:])]
    _leader(Path(sys.argv[1]), sys.stdin.buffer, sink, pairs)


if __name__ == "__main__":
    _main()
