"""The claim checker over one article: its parse read once, then any number of claims checked against it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol, TypeAlias

from summarizer.claims.antecedents import resolve
from summarizer.claims.evidence import find_evidence, word_weights
from summarizer.claims.facts import Facts, read_facts
from summarizer.claims.features import Ground, measure
from summarizer.claims.verdict import ClaimVerdict, miscounted, score, stitched, supported
from summarizer.grounding import GroundedText
from summarizer.nlp.analysis import Analysis
from summarizer.nlp.claim_parser import ClaimParser

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Pipeline(Protocol):
    """What the checker reads of spaCy's ``Language``: it parses claims, and reads their facts here."""

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]: ...


Parser: TypeAlias = Pipeline | ClaimParser
"""What the checker parses claims with: spaCy's pipeline, or the workers' ``ClaimParser`` (which sends their facts)."""


class ClaimChecker:
    """Checks claims against one article, from the NLP stage's parse and analysis of it.

    Build it with :meth:`from_analysis` where the NLP stage has run (the briefing pipeline), so
    nothing is parsed twice: a claim costs one parse of the claim itself, and none when it is one
    of the article's sentences word for word (``read``: the facts the NLP stage read of each;
    a model that copies, as small models and the stub do, writes several such claims per answer).
    Like the spaCy pipeline it parses with, one checker is not for concurrent use from several
    threads: give it the lock its owner parses under (``lock``), as the briefing pipeline does.
    """

    def __init__(
        self,
        article: GroundedText,
        ground: Ground,
        nlp: Parser,
        lock: AbstractContextManager[object] | None = None,
        read: Mapping[str, Facts] | None = None,
    ) -> None:
        self.article = article
        self.ground = ground
        self._nlp = nlp
        self._lock = lock if lock is not None else nullcontext()
        self._read = read or {}
        self._problems: dict[str, list[str]] = {}  # a brief asks again for a summary sentence that is a key point too

    @classmethod
    def from_analysis(
        cls,
        article: GroundedText,
        analysis: Analysis,
        nlp: Parser,
        lock: AbstractContextManager[object] | None = None,
        title: str | None = None,
    ) -> ClaimChecker:
        """A checker for ``article`` from its NLP stage (which read each sentence's facts), parsing claims with ``nlp``.

        The words of ``title`` count as the article's (a headline may repeat them), never as evidence; an
        abbreviation counts with and without its full stops.
        """
        facts = resolve(analysis.facts)
        words = frozenset().union(*(f.lemmas | f.names for f in facts)) | analysis.words
        words |= frozenset(w.lower() for w in re.findall(r"[^\W_]+", title or ""))
        words |= frozenset(w.replace(".", "") for w in words if "." in w)  # "U.S." is the "US" a claim may write
        speakers: dict[int, frozenset[str]] = {}
        people = {e.name for e in analysis.entities if e.kind == "person"}
        for quote in analysis.quotes:
            if quote.speaker not in people:
                continue  # a description ("the ministry") may stand for the name the claim uses
            for sid in article.sentence_ids_between(quote.start, quote.end):
                speakers[sid - 1] = speakers.get(sid - 1, frozenset()) | {quote.speaker}
        numbers = frozenset(v for f in facts for v in f.numbers)
        names = frozenset().union(*(f.names for f in facts))
        arcs = frozenset().union(*(f.arcs for f in facts))
        # a sentence parses alone as it did among the article's (the same facts for 5,126 sentences of the dev corpora)
        read = dict(zip((s.text for s in article.sentences), analysis.facts, strict=True)) if analysis.facts else {}
        if isinstance(nlp, ClaimParser):
            nlp.known(read)  # an answer's copied sentences are not sent to a worker either
        ground = Ground(facts, word_weights(facts), words, numbers, names, speakers, arcs)
        return cls(article, ground, nlp, lock, read)

    def check(self, claims: Iterable[str]) -> list[ClaimVerdict]:
        """One verdict per claim, in order."""
        texts = list(claims)
        return [self.judge(text, facts) for text, facts in zip(texts, self._facts(texts), strict=True)]

    def problems(self, text: str) -> list[str]:
        """The specific problems of one claim: what the article contradicts, or names and numbers it lacks.

        The model's prose is checked with these alone, not with the share of words its evidence
        lacks: rewording is what the model is asked to do (module :mod:`~summarizer.claims.verdict`).
        A text asked about again is answered from the first time (the checker's ground does not change).
        """
        if text not in self._problems:
            (claim,) = self._facts([text])
            evidence = find_evidence(claim, self.ground.sentences, self.ground.weights)
            self._problems[text] = measure(claim, evidence, self.ground)[1]
        return list(self._problems[text])

    def _facts(self, texts: list[str]) -> list[Facts]:
        """Each text's facts, in order: a sentence of the article's as the NLP stage read it, any other parsed now."""
        unread = [text for text in dict.fromkeys(texts) if text not in self._read]
        parsed: dict[str, Facts] = {}
        if isinstance(self._nlp, ClaimParser):
            parsed = dict(zip(unread, self._nlp.facts(unread), strict=True))
        elif unread:
            with self._lock:
                docs = list(self._nlp.pipe(unread))
            parsed = {text: read_facts(doc) for text, doc in zip(unread, docs, strict=True)}
        return [self._read[text] if text in self._read else parsed[text] for text in texts]

    def judge(self, text: str, claim: Facts) -> ClaimVerdict:
        """The verdict on one claim whose facts are read."""
        evidence = find_evidence(claim, self.ground.sentences, self.ground.weights)
        features, problems = measure(claim, evidence, self.ground)
        verdict = supported(features, problems)
        if not verdict and not problems and features.fragment:
            problems = ["it is a fragment: no verb with a tense, a modal or a participle states anything"]
        elif not verdict and not problems and stitched(features):
            problems = [f"it joins words no one sentence of the evidence holds together ({features.split_arcs:.0%})"]
        elif not verdict and not problems and miscounted(features):
            problems = ["a number in it counts something else than the evidence has it count"]
        elif not verdict and not problems:
            problems = [f"the evidence lacks most of its words ({features.missing_words:.0%} of their weight)"]
        ids = tuple(self.article.sentences[i].id for i in evidence)
        return ClaimVerdict(text, verdict, round(score(features), 4), ids, tuple(problems))
