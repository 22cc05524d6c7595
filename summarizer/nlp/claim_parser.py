"""The claim checker's parser over a :class:`~summarizer.nlp.workers.ParsePool`: the model's prose parsed off this core.

The claim checker parses every sentence the model writes (headline, summary, key points). In
the parent process those parses were most of its CPU per article in a digest, and each held
the GIL the event loop needs; a worker parses them instead, ahead of queued articles (a brief
waiting on its checks is nearly done), and sends each ``Doc`` back as its dictionary, which this
process rebuilds in a fraction of a parse. spaCy parses a batch for much less than its texts
one by one (a short claim: about 8 ms of CPU alone, 4 ms in a batch of six), so a brief hands
over every text of an answer at once as soon as the answer arrives (:meth:`ClaimParser.prefetch`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from summarizer.nlp.worker_process import WorkerFailed

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from summarizer.nlp.workers import ParsePool

_PROSE_WORDS = 3  # strings of an answer with fewer words are names and labels, which the checker never parses


class ClaimParser:
    """``nlp(text)`` and ``nlp.pipe(texts)``, all the claim checker calls on its pipeline, over a pool.

    Each text goes to a worker process when one is up; otherwise (a lone brief, no workers, a
    worker that failed) it is parsed by this process's pipeline under the pool's lock, as
    everything was before. One per brief (:meth:`fork`): its prefetched parses are that brief's,
    kept for the brief's life: a claim checked again (a key point repeating the summary, a claim's
    problems asked after its verdict) is rebuilt from its parse, not parsed again.
    """

    def __init__(self, pool: ParsePool, english: _English | None = None) -> None:
        self._pool = pool
        self._english = english or _English()
        self._pending: dict[str, Future[Any]] = {}  # text -> its parse by a worker, made or coming
        self._known: set[str] = set()  # texts the checker reads without a parse: an answer's are not queued

    def fork(self) -> ClaimParser:
        """A parser for one brief: the same pool and vocabulary, its own prefetched parses."""
        return ClaimParser(self._pool, self._english)

    def prefetch_answer(self, answer: str | None) -> None:
        """Send every prose string of a model's JSON ``answer`` to be parsed, in one batch (not JSON: nothing)."""
        try:
            value = json.loads(answer or "")
        except ValueError:
            return
        self.prefetch(text for text in _prose(value) if text not in self._known)

    def known(self, texts: Iterable[str]) -> None:
        """Texts whose facts the checker has without a parse (its article's own sentences): left out of prefetches."""
        self._known.update(texts)

    def prefetch(self, texts: Iterable[str]) -> None:
        """Queue ``texts`` for the workers now, all together; no-op without workers (nothing to gain)."""
        for text in texts:
            if text not in self._pending:
                future = self._pool.remote(("doc", text))
                if future is None:
                    return
                self._pending[text] = future

    def __call__(self, text: str) -> Doc:
        """``text`` parsed: by a worker once (a brief's checks may ask for the same claim again), else here."""
        future = self._pending.get(text) or self._pool.remote(("doc", text))
        if future is not None:
            self._pending[text] = future
            try:
                data = future.result()
            except WorkerFailed:
                self._pending.pop(text, None)  # a later call may find a worker up again
            else:
                from spacy.tokens import Doc

                return Doc(self._english.vocab).from_dict(data)
        nlp, lock = self._pool.here
        with lock:
            return nlp(text)

    def pipe(self, texts: Iterable[str], **_: object) -> Iterator[Doc]:
        """One parse per text, in order, all queued before the first is awaited."""
        texts = list(texts)
        self.prefetch(texts)
        for text in texts:
            yield self(text)


class _English:
    """English's vocabulary (its lexical rules: stop words, numbers), which a rebuilt ``Doc`` reads; made on first use.

    Not the pipeline's: loading that takes a second and 200 MB, and the dictionary carries every
    string the parse made. Nor a blank ``English()``'s: it builds a tokenizer no rebuilt ``Doc``
    uses, a tenth of a second of CPU per Summarizer; ``create_vocab`` is how it makes its vocabulary.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vocab: Vocab | None = None

    @property
    def vocab(self) -> Vocab:
        with self._lock:
            if self._vocab is None:
                from spacy.lang.en import English
                from spacy.vocab import create_vocab

                self._vocab = create_vocab("en", English.Defaults)
            return self._vocab


def _prose(value: object) -> Iterator[str]:
    """The strings of a JSON value that read as prose (stripped, as the checks read them)."""
    if isinstance(value, str):
        if len(value.split()) >= _PROSE_WORDS:
            yield value.strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _prose(item)
    elif isinstance(value, list):
        for item in value:
            yield from _prose(item)
