"""The NLP stage: one pass of spaCy over an article, and everything the rest of the library reads from it.

It runs once per article, before any prompt. Its result, an :class:`Analysis`, holds the quotes
with their speakers and the named entities with their mentions and roles, as plain frozen
objects with character offsets into the article: prompts, validation, assembly and digest
grouping read it, and none of them imports spaCy or re-derives what the stage found.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from summarizer.claims.facts import Facts, read_facts
from summarizer.grounding import GroundedText
from summarizer.ingest.quotes import QuoteSpan
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.copying import NEAR, copies
from summarizer.nlp.entities import NamedEntity, named_entities
from summarizer.nlp.gists import GIST_WORDS, MIN_WORDS, gist
from summarizer.nlp.headlines import headline
from summarizer.nlp.lead import lead
from summarizer.nlp.parsed import Covered, Parsed
from summarizer.nlp.people import person_mentions
from summarizer.nlp.readable import caption_seams, sentence_problem
from summarizer.nlp.speakers import Method, attribute
from summarizer.nlp.speech import SPEECH_VERBS
from summarizer.nlp.subjects import resolved_subjects

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


_NOT_READ = ("lemmatizer", "ner")  # components whose output no rule of a gist's fresh parse reads (see read_again)
_CAPTION = re.compile(r"^\W*(?:\S+\s){0,3}\S+:\s|\(\w+\)")  # "Short and sweet: ...", "Kane (left)"


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
    gists: dict[int, str]  # sentence id -> its main fact (:func:`summarizer.nlp.gists.gist`)
    facts: tuple[Facts, ...] = ()  # each sentence's claims as plain data, in order (what the claim checker reads)
    words: frozenset[str] = frozenset()  # every word of the article, lowercased (a claim's words are checked on it)
    # sentence id -> a gist in at most NEAR of its sentence's words, for a sentence whose gist is nearly all of it:
    # what a key point says when the briefing already has its share of whole sentences
    tight_gists: dict[int, str] = field(default_factory=dict)
    # sentence id -> a headline in its words (:func:`summarizer.nlp.headlines.headline`): one entry, the lead's
    # (:func:`summarizer.nlp.lead.lead`), the one sentence whose headline a briefing can show
    headlines: dict[int, str] = field(default_factory=dict)

    def entity_count(self, start: int, end: int) -> int:
        """How many entity mentions fall within ``[start, end)``: a sentence's share of who and where."""
        return bisect.bisect_left(self._mention_starts, end) - bisect.bisect_left(self._mention_starts, start)

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of ``[start, end)`` lie inside quotations (each quotation counted).

        Only the quotations that can reach the span are looked at (those opening less than the
        longest quotation's length before it), so a sentence costs what its neighbourhood holds.
        """
        first = bisect.bisect_left(self._quote_starts, start - self._longest_quote)
        last = bisect.bisect_left(self._quote_starts, end)
        return sum(max(0, min(q.end, end) - max(q.start, start)) for q in self._by_start[first:last])

    @functools.cached_property
    def _by_start(self) -> list[AttributedQuote]:
        return sorted(self.quotes, key=lambda q: q.start)

    @functools.cached_property
    def _quote_starts(self) -> list[int]:
        return [q.start for q in self._by_start]

    @functools.cached_property
    def _longest_quote(self) -> int:
        return max((q.end - q.start for q in self.quotes), default=0)

    @functools.cached_property
    def _mention_starts(self) -> list[int]:
        """Every mention's start, sorted: counted per sentence by binary search, not by a scan of all."""
        return sorted(s for e in self.entities for s, _ in e.mentions)


def analyze(article: GroundedText, nlp: Language, docs: Iterable[Doc] | None = None, *, facts: bool = True) -> Analysis:
    """Parse every sentence once and read quotes, speakers and entities off the parse.

    ``docs`` are the sentences' parses when the caller made them (several articles in one batch).
    ``facts=False`` leaves out what only the claim checker reads (each sentence's facts, the
    article's words): a brief that asks no model checks no claim.
    """
    return read_again([first_pass(article, nlp, docs, facts=facts)], nlp)[0]


@dataclass(frozen=True)
class FirstPass:
    """An article's analysis before its gists are read again: :func:`read_again` finishes it.

    Two steps so that a worker given several articles re-reads all their gists in one
    ``nlp.pipe``: spaCy's fixed cost per call is most of the cost of parsing a few short gists.
    """

    analysis: Analysis


def first_pass(
    article: GroundedText, nlp: Language, docs: Iterable[Doc] | None = None, *, facts: bool = True
) -> FirstPass:
    """Everything :func:`analyze` finds but the gists' fresh parse (the same arguments)."""
    parsed = parse(article, nlp, docs)
    people = person_mentions(parsed, Covered((q.start - 1, q.end + 1) for q in article.quotes))
    attributions = attribute(article.text, [(q.start, q.end) for q in article.quotes], parsed, people)
    quotes = tuple(
        AttributedQuote(q.start, q.end, q.text, found.speaker, found.method)
        for q, found in zip(article.quotes, attributions, strict=True)
    )
    entities = tuple(named_entities(parsed, people))
    # after the speakers and entities: resolving a subject can teach the salience model a gender
    named = resolved_subjects(parsed, people, entities)
    first = lead(article, Analysis(quotes, (), {}))  # where the quotations are is all the lead's rule reads
    ordered = sorted(article.quotes, key=lambda q: q.start)
    starts = [q.start for q in ordered]
    gists, tight, headlines = {}, {}, {}
    for s, p, n in zip(article.sentences, parsed, named, strict=True):
        opening = ordered[bisect.bisect_left(starts, s.start) : bisect.bisect_left(starts, s.end)]
        found = functools.partial(gist, p.doc, quote_from=_open_quote(s, opening), quoted=_quotes_within(s, opening),
                                  named=n)  # fmt: skip
        whole = found()
        whole = "" if _CAPTION.search(whole) else whole  # what survives of a caption is still one
        # of sentences run together, one piece: a gist across the seam joins two sentences' halves
        pieces = functools.partial(_piece_gist, p.doc, nlp, _open_quote(s, opening), _quotes_within(s, opening))
        piece = pieces()
        gists[s.id] = piece or whole
        if copies(gists[s.id], s.text):
            # said tighter the way it was said: from the same piece (a whole run-on's gist joins its halves)
            budget = max(MIN_WORDS, int(NEAR * len(s.text.split())))
            shorter = pieces(budget) if piece else found(max_words=budget)
            tight[s.id] = "" if copies(shorter, s.text) else shorter  # "": no deletion got it there
        if first is not None and s.id == first.id:
            headlines[s.id] = headline(p.doc, found)
    if not facts:
        return FirstPass(Analysis(quotes, entities, gists, tight_gists=tight, headlines=headlines))
    read = tuple(read_facts(p.doc) for p in parsed)
    words = frozenset(t.lower_ for p in parsed for t in p.doc)
    return FirstPass(Analysis(quotes, entities, gists, read, words, tight, headlines))


def _piece_gist(
    doc: Doc, nlp: Language, quote_from: int | None, quoted: Sequence[tuple[int, int]], max_words: int = GIST_WORDS
) -> str:
    """For sentences run together (a photo caption with no full stop), the gist of the last piece that has one.

    Sites set captions before the paragraph they illustrate, so the last piece is the article's own
    sentence and the first piece most often a caption.

    A piece that reads as a caption - a label before a colon ("Strictly business: ..."), a
    one-word parenthesis pointing into a picture ("(left)") - gives none: it describes a picture.
    Each piece between seams (:func:`summarizer.nlp.readable.caption_seams`) is parsed afresh, as the
    sentence it is; a piece a quotation crosses into or out of gives none. Its subject is not
    resolved to a name, so a piece opening with "he" gives none either; nor does a piece that only
    says who spoke, the attribution a caption run-on left behind.
    """
    cuts = [0, *caption_seams(list(doc)), len(doc)]
    if len(cuts) < 3:
        return ""
    for first, last in reversed(list(itertools.pairwise(cuts))):
        start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
        if any(a < start < b or a < end < b for a, b in quoted) or (quote_from is not None and quote_from < end):
            continue
        if _CAPTION.search(doc.text[start:end]):
            continue
        inside = [(a - start, b - start) for a, b in quoted if start <= a and b <= end]
        piece = nlp(doc.text[start:end])
        found = gist(piece, max_words, quoted=inside)
        if found and not _attribution(piece):
            return found
    return ""


def _attribution(piece: Doc) -> bool:
    """Who said it, and nothing said ("... later this month Michael Brown told the Gazette"): no fact of its own.

    A verb of speech with a speaker, no clause it reports, and no object but whom it was said to (a
    name, a pronoun); "announced their decision", "posted the video" and "was accused of" say what
    was done.
    """
    clauses, objects = ("ccomp", "xcomp", "parataxis"), ("dobj", "dative")
    return any(
        t.dep_ == "ROOT" and t.lemma_ in SPEECH_VERBS and not any(c.dep_ in clauses for c in t.children)
        and any(c.dep_ == "nsubj" for c in t.children)
        and all(c.pos_ in ("PROPN", "PRON") for c in t.children if c.dep_ in objects)
        for t in piece
    )  # fmt: skip


def read_again(passes: Sequence[FirstPass], nlp: Language) -> list[Analysis]:
    """The passes' analyses, each gist kept only if it still parses as a sentence on its own (else no key point).

    A deletion is checked on the sentence's parse, but a reader meets the key point alone: a
    fresh parse of its words catches what the first one hid (a table row read as a clause, a
    phrase left dangling by the deletion, "... and at the club.").

    Every gist of every pass is parsed in one batch, by the components
    :func:`~summarizer.nlp.readable.sentence_problem` reads (not the lemmatizer, nor the entity
    recogniser, which has a token-to-vector layer of its own: a third of a parse). An entity
    only excuses (a key point opening with a name spelled as a verb, "Will"; a capital "The" that
    starts a name, not a sentence), so a gist that passes without entities passes with them, and
    only one that fails is read again with them.
    """
    gists = [(p.analysis.gists, p.analysis.tight_gists, p.analysis.headlines) for p in passes]
    texts = list(dict.fromkeys(text for read in gists for found in read for text in found.values() if text))
    untagged = nlp.pipe(texts, batch_size=64, disable=_NOT_READ)
    doubtful = {text: doc for text, doc in zip(texts, untagged, strict=True) if sentence_problem(doc)}
    tagged = nlp.pipe(doubtful.values(), batch_size=64, disable=[n for n in nlp.pipe_names if n != "ner"])
    failed = {text for text, doc in zip(doubtful, tagged, strict=True) if sentence_problem(doc)}
    return [
        replace(p.analysis, gists=_kept(whole, failed), tight_gists=_kept(tight, failed), headlines=_kept(head, failed))
        for p, (whole, tight, head) in zip(passes, gists, strict=True)
    ]


def _kept(gists: dict[int, str], failed: set[str]) -> dict[int, str]:
    """``gists`` with each that failed its fresh parse emptied (no key point)."""
    return {i: "" if text in failed else text for i, text in gists.items()}


def _open_quote(sentence: Sentence, quotes: Sequence[QuoteSpan]) -> int | None:
    """Where, in ``sentence``, a quotation opens that ends after it (None if none does).

    ``quotes`` are those opening within the sentence, found by binary search: scanning every
    quotation for every sentence made the stage quadratic.
    """
    spilling = [q.start for q in quotes if sentence.start <= q.start < sentence.end < q.end]
    return spilling[0] - sentence.start if spilling else None


def _quotes_within(sentence: Sentence, quotes: Sequence[QuoteSpan]) -> list[tuple[int, int]]:
    """The quotations inside ``sentence``, as spans of its own text with their marks (of ``quotes`` opening in it)."""
    return [
        (q.start - 1 - sentence.start, q.end + 1 - sentence.start)
        for q in quotes
        if sentence.start < q.start and q.end < sentence.end
    ]


def parse(article: GroundedText, nlp: Language, docs: Iterable[Doc] | None = None) -> Sequence[Parsed]:
    """Every sentence parsed once, in order; a sentence's paragraph is its line of the text."""
    if docs is None:
        docs = nlp.pipe((s.text for s in article.sentences), batch_size=64)
    parsed: list[Parsed] = []
    paragraph, counted = 0, 0
    for sentence, doc in zip(article.sentences, docs, strict=True):
        paragraph += article.text.count("\n", counted, sentence.start)  # counted once, not from the top each time
        counted = sentence.start
        parsed.append(Parsed(sentence.start, doc, paragraph, sentence.start + len(doc.text)))
    return parsed
