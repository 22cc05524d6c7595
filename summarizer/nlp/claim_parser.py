"""The claim checker's parser over a :class:`~summarizer.nlp.workers.ParsePool`: the model's prose parsed off this core.

The claim checker parses every sentence the model writes (headline, summary, key points). In
the parent process those parses were most of its CPU per article in a digest, and each held
the GIL the event loop needs; a worker parses them instead, ahead of queued articles (a brief
waiting on its checks is nearly done), and sends each ``Doc`` back as bytes, which this
process rebuilds in a fraction of a parse.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from summarizer.nlp.worker_process import WorkerFailed

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from summarizer.nlp.workers import ParsePool


class ClaimParser:
    """``nlp(text)`` and ``nlp.pipe(texts)``, all the claim checker calls on its pipeline, over a pool.

    Each text goes to a worker process when one is up; otherwise (a lone brief, no workers, a
    worker that failed) it is parsed by this process's pipeline under the pool's lock, as
    everything was before. Thread-safe.
    """

    def __init__(self, pool: ParsePool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._vocab: Vocab | None = None

    def __call__(self, text: str) -> Doc:
        future = self._pool.remote(("doc", text))
        if future is not None:
            try:
                data = future.result()
            except WorkerFailed:
                pass
            else:
                from spacy.tokens import Doc

                return Doc(self._english()).from_bytes(data)
        nlp, lock = self._pool.here
        with lock:
            return nlp(text)

    def pipe(self, texts: Iterable[str], **_: object) -> Iterator[Doc]:
        """One parse per text, in order."""
        for text in texts:
            yield self(text)

    def _english(self) -> Vocab:
        """English's vocabulary (its lexical rules: stop words, numbers), which a rebuilt ``Doc`` reads.

        Not the pipeline's: loading that takes a second and 200 MB, and the bytes carry every
        string the parse made.
        """
        with self._lock:
            if self._vocab is None:
                import spacy

                self._vocab = spacy.blank("en").vocab
            return self._vocab
