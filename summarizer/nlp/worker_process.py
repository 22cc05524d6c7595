"""One NLP worker process: the child's loop, and the parent's side of the pipe to it.

A worker is a plain ``python -m summarizer.nlp.worker_process FOLDER`` child speaking
length-prefixed pickles over its stdin and stdout: the parent sends a batch of jobs, each a
:data:`Job` (what to make of which text), the child answers one ``("ok", value)`` or
``("error", exception)`` per job. Not :mod:`multiprocessing`: its start methods either fork a
threaded process or re-run the caller's ``__main__`` script in every child.

A job's :data:`Kind` is ``"analysis"`` (an article's NLP stage, with the facts the claim
checker reads), ``"plain"`` (the same without those facts: nothing will be checked, so they are
neither made nor pickled) and ``"doc"`` (one short text, a claim of the model's, parsed and sent
back as spaCy's ``Doc.to_dict`` without its tensor: the claim checker's parse, off the parent's core).
The dictionary rides in the batch's pickle: ``Doc.to_bytes`` would pack the same dictionary with
msgpack, which looks its extensions up in the installed packages' metadata on every call (ten
times the cost of the dictionary itself, on both sides of the pipe, five claims per article).
"""

from __future__ import annotations

import itertools
import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from summarizer.grounding import GroundedText
from summarizer.nlp.analysis import FirstPass, first_pass, read_again
from summarizer.nlp.model import load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

_HEADER = struct.Struct(">Q")
READY = "ready"
Kind = Literal["analysis", "plain", "doc"]
Job = tuple[Kind, str]
DOC_EXCLUDE = ("tensor", "user_data")
"""What a claim's ``Doc`` leaves behind on its way to the parent: the tensor is most of its bytes; no rule reads it."""


class WorkerFailed(Exception):
    """A worker process ended or answered nonsense; the parse is redone in the calling thread."""


def spawn(folder: Path) -> subprocess.Popen[bytes]:
    """A worker: ``python -P -m summarizer.nlp.worker_process FOLDER``, importing this very copy of the library.

    ``-P``: ``-m`` would put the working folder first on the module path, and a service started
    from a checkout of another version there had its workers import that one instead.
    """
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "summarizer.nlp.worker_process", str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def exchange(child: subprocess.Popen[bytes], jobs: list[Job]) -> list[tuple[str, Any]]:
    """Send ``jobs`` to the worker and wait for one answer each; WorkerFailed if the pipe breaks."""
    assert child.stdin is not None
    try:
        _write(child.stdin, jobs)
    except OSError as exc:
        raise WorkerFailed(f"its input closed: {exc}") from exc
    status, answers = receive(child)
    if status != "ok" or not isinstance(answers, list) or len(answers) != len(jobs):
        raise WorkerFailed("it answered something other than one parse per job")
    return answers


def receive(child: subprocess.Popen[bytes]) -> tuple[str, Any]:
    """The worker's next message, checked to be one of the protocol's."""
    assert child.stdout is not None
    try:
        message = _read(child.stdout)
    except (OSError, EOFError, pickle.UnpicklingError) as exc:
        raise WorkerFailed(f"it ended (exit code {child.poll()})") from exc
    if not (isinstance(message, tuple) and len(message) == 2 and message[0] in ("ok", "error", READY)):
        raise WorkerFailed("it answered something other than a parse")
    return message


def stop(child: subprocess.Popen[bytes]) -> None:
    """Close the worker's pipes (it ends at the end of its input) and wait for it, killing it if it hangs."""
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


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
    articles = [GroundedText(text) if kind != "doc" else None for kind, text in jobs]
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
                answers.append(("ok", own[0].to_dict(exclude=DOC_EXCLUDE)))
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


def _worker(folder: Path, source: IO[bytes], sink: IO[bytes]) -> None:
    """The child's loop: load the pipeline, say so, then answer each batch of jobs (see the module)."""
    nlp = load_pipeline(folder)
    _write(sink, (READY, None))
    while True:
        try:
            jobs = _read(source)
        except EOFError:
            return
        _write(sink, ("ok", answer_all(jobs, nlp)))


def _main() -> None:
    """The child's entry: its stdout is the pipe to the parent, so stray prints go to stderr instead."""
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _worker(Path(sys.argv[1]), sys.stdin.buffer, sink)


if __name__ == "__main__":
    _main()
