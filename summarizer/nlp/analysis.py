"""The NLP stage: one pass of spaCy over an article, and everything the rest of the library reads from it.

It runs once per article, before any prompt. Its result, an :class:`Analysis`, holds the quotes
with their speakers and the named entities with their mentions and roles, as plain frozen
objects with character offsets into the article: prompts, validation, assembly and digest
grouping read it, and none of them imports spaCy or re-derives what the stage found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.grounding import GroundedText
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.compression import gist
from summarizer.nlp.entities import NamedEntity, named_entities
from summarizer.nlp.parsed import Parsed
from summarizer.nlp.people import person_mentions
from summarizer.nlp.readable import sentence_problem
from summarizer.nlp.speakers import Method, attribute
from summarizer.nlp.subjects import resolved_subjects

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class AttributedQuote:
    """A verbatim quotation (``text == article[start:end]``) and who said it, as the article names them."""

    start: int
    end: int
    text: str
    speaker: str
    method: Method


@dataclass(frozen=True)
class Analysis:
    """What the NLP stage found in one article."""

    quotes: tuple[AttributedQuote, ...]
    entities: tuple[NamedEntity, ...]
    gists: dict[int, str]  # sentence id -> its main fact (:func:`summarizer.nlp.compression.gist`)

    def entity_count(self, start: int, end: int) -> int:
        """How many entity mentions fall within ``[start, end)``: a sentence's share of who and where."""
        return sum(1 for e in self.entities for s, _ in e.mentions if start <= s < end)


def analyze(article: GroundedText, nlp: Language) -> Analysis:
    """Parse every sentence once and read quotes, speakers and entities off the parse."""
    return analyze_parsed(article, parse(article, nlp), nlp)


def analyze_parsed(article: GroundedText, parsed: Sequence[Parsed], nlp: Language) -> Analysis:
    """:func:`analyze` on a parse already made (the claim checker reads the same parse)."""
    spans = [(q.start - 1, q.end + 1) for q in article.quotes]
    people = person_mentions(parsed, lambda position: any(a <= position < b for a, b in spans))
    attributions = attribute(article.text, [(q.start, q.end) for q in article.quotes], parsed, people)
    quotes = tuple(
        AttributedQuote(q.start, q.end, q.text, found.speaker, found.method)
        for q, found in zip(article.quotes, attributions, strict=True)
    )
    entities = tuple(named_entities(parsed, people))
    # after the speakers and entities: resolving a subject can teach the salience model a gender
    named = resolved_subjects(parsed, people, entities)
    gists = {
        s.id: gist(p.doc, quote_from=_open_quote(s, article), quoted=_quotes_within(s, article), named=n)
        for s, p, n in zip(article.sentences, parsed, named, strict=True)
    }
    return Analysis(quotes, entities, _read_again(gists, nlp))


def _read_again(gists: dict[int, str], nlp: Language) -> dict[int, str]:
    """The gists that still parse as a sentence on their own; the others give no key point.

    A deletion is checked on the sentence's parse, but a reader meets the key point alone: a
    fresh parse of its words catches what the first one hid (a table row read as a clause, a
    phrase left dangling by the deletion, "... and at the club.").
    """
    ids = [i for i, text in gists.items() if text]
    docs = nlp.pipe((gists[i] for i in ids), batch_size=64)
    failed = {i for i, doc in zip(ids, docs, strict=True) if sentence_problem(doc)}
    return {i: "" if i in failed else text for i, text in gists.items()}


def _open_quote(sentence: Sentence, article: GroundedText) -> int | None:
    """Where, in ``sentence``, a quotation opens that ends after it (None if none does)."""
    spilling = [q.start for q in article.quotes if sentence.start <= q.start < sentence.end < q.end]
    return spilling[0] - sentence.start if spilling else None


def _quotes_within(sentence: Sentence, article: GroundedText) -> list[tuple[int, int]]:
    """The quotations inside ``sentence``, as spans of its own text with their marks."""
    return [
        (q.start - 1 - sentence.start, q.end + 1 - sentence.start)
        for q in article.quotes
        if sentence.start < q.start and q.end < sentence.end
    ]


def parse(article: GroundedText, nlp: Language) -> Sequence[Parsed]:
    """Every sentence parsed once, in order; a sentence's paragraph is its line of the text."""
    docs = nlp.pipe((s.text for s in article.sentences), batch_size=64)
    return [
        Parsed(s.start, doc, article.text.count("\n", 0, s.start))
        for s, doc in zip(article.sentences, docs, strict=True)
    ]
