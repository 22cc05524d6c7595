"""One NLP worker process: the child's loop, and the parent's side of the pipe to it.

A worker is a plain ``python -m summarizer.nlp.worker_process FOLDER`` child speaking
length-prefixed pickles over its stdin and stdout: the parent sends an article's text, the child
answers ``("ok", Analysis)`` or ``("error", exception)``. Not :mod:`multiprocessing`: its start
methods either fork a threaded process or re-run the caller's ``__main__`` script in every child.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from summarizer.grounding import GroundedText
from summarizer.nlp.analysis import Analysis, analyze
from summarizer.nlp.model import load_pipeline

_HEADER = struct.Struct(">Q")
READY = "ready"


class WorkerFailed(Exception):
    """A worker process ended or answered nonsense; the parse is redone in the calling thread."""


def spawn(folder: Path) -> subprocess.Popen[bytes]:
    """A worker: ``python -m summarizer.nlp.workers FOLDER``, able to import this very copy of the library."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-m", "summarizer.nlp.worker_process", str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def exchange(child: subprocess.Popen[bytes], text: str) -> tuple[str, Any]:
    """Send ``text`` to the worker and wait for its answer; WorkerFailed if the pipe breaks."""
    assert child.stdin is not None
    try:
        _write(child.stdin, text)
    except OSError as exc:
        raise WorkerFailed(f"its input closed: {exc}") from exc
    return receive(child)


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


def _worker(folder: Path, source: IO[bytes], sink: IO[bytes], parse: Callable[[str], Analysis] | None = None) -> None:
    """The child's loop: load the pipeline, say so, then answer each article text with its analysis."""
    if parse is None:
        nlp = load_pipeline(folder)

        def parse(text: str) -> Analysis:
            return analyze(GroundedText(text), nlp)

    _write(sink, (READY, None))
    while True:
        try:
            text = _read(source)
        except EOFError:
            return
        try:
            answer: tuple[str, object] = ("ok", parse(text))
        except Exception as exc:  # noqa: BLE001 - the parent re-raises it in the caller's thread
            answer = ("error", exc)
        try:
            _write(sink, answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _write(sink, ("error", RuntimeError(f"the NLP stage failed in a worker: {answer[1]!r} ({exc})")))


def _main() -> None:
    """The child's entry: its stdout is the pipe to the parent, so stray prints go to stderr instead."""
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _worker(Path(sys.argv[1]), sys.stdin.buffer, sink)


if __name__ == "__main__":
    _main()
