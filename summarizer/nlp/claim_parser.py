"""The claim checker's parser over a :class:`~summarizer.nlp.workers.ParsePool`: the model's prose parsed off this core.

The claim checker parses every sentence the model writes (headline, summary, key points). In
the parent process those parses were most of its CPU per article in a digest, and each held
the GIL the event loop needs; a worker parses them instead, ahead of queued articles (a brief
waiting on its checks is nearly done), and sends back what the checker reads of each parse, its
:class:`~summarizer.claims.facts.Facts`: not the ``Doc``, which this process rebuilt from its
dictionary and read (7% of the parent's CPU in a digest of stub articles). spaCy parses a
batch for much less than its texts one by one (a short claim: about 8 ms of CPU alone, 4 ms in
a batch of six), so a brief hands over every text of an answer at once as soon as the answer
arrives (:meth:`ClaimParser.prefetch`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, cast

from summarizer.claims.facts import Facts, read_facts
from summarizer.nlp.worker_process import WorkerFailed

if TYPE_CHECKING:
    from summarizer.nlp.workers import ParsePool

_PROSE_WORDS = 3  # strings of an answer with fewer words are names and labels, which the checker never parses


class ClaimParser:
    """The facts of the claim checker's texts (:meth:`facts`), each parsed once, over a pool.

    Each text goes to a worker process when one is up; otherwise (a lone brief, no workers, a
    worker that failed) it is parsed by this process's pipeline under the pool's lock, as
    everything was before. One per brief (:meth:`fork`): its prefetched parses are that brief's,
    kept for the brief's life: a claim checked again (a key point repeating the summary, a claim's
    problems asked after its verdict) is read from its parse, not parsed again.
    """

    def __init__(self, pool: ParsePool) -> None:
        self._pool = pool
        self._pending: dict[str, Future[Any]] = {}  # text -> its facts from a worker, made or coming
        self._known: set[str] = set()  # texts the checker reads without a parse: an answer's are not queued

    def fork(self) -> ClaimParser:
        """A parser for one brief: the same pool, its own prefetched parses."""
        return ClaimParser(self._pool)

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
                future = self._pool.remote(("claim", text))
                if future is None:
                    return
                self._pending[text] = future

    def facts(self, texts: Iterable[str]) -> list[Facts]:
        """Each text's facts, in order, all queued before the first is awaited."""
        texts = list(texts)
        self.prefetch(texts)
        return [self._read(text) for text in texts]

    def _read(self, text: str) -> Facts:
        """``text``'s facts: a worker's once (a brief's checks may ask for the same claim again), else parsed here."""
        future = self._pending.get(text) or self._pool.remote(("claim", text))
        if future is not None:
            self._pending[text] = future
            try:
                return cast(Facts, future.result())
            except WorkerFailed:
                self._pending.pop(text, None)  # a later call may find a worker up again
        nlp, lock = self._pool.here
        with lock:
            doc = nlp(text)
        return read_facts(doc)


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
