"""A sentence cut down to its main fact by deleting what the parse marks as detail.

Deletion-based compression, the classic extractive kind: the main clause stays, with its
subject, verb and objects. First goes what news writing sets off as an aside - relative
clauses, appositions and participial phrases between commas, parentheses, a trailing "...,
adding that ..." - then, while the sentence is still longer than a key point should be, its
trailing phrases from the right: prepositional phrases, second clauses of a coordination,
adverbials. Phrases holding a number or a name go last. Every word left is the article's, in
its order, so the result is grounded by construction and never cut mid-word. It is the key
point of the extractive mode and the fallback for a model's compression that fails its checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from summarizer.nlp.readable import SUBJECTS, clause_problem, marks_balanced, without_unpaired_marks

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from summarizer.nlp.subjects import Named

GIST_WORDS = 24  # what a key point aims at: phrases go, least informative first, until it fits
MAX_WORDS = 25  # a key point's ceiling: a sentence that no deletion brings under it gives no gist
MIN_WORDS = 6  # fewer words keep no fact worth a key point ("Locke had been working.")
_ASIDES = ("relcl", "appos", "acl", "advcl", "parataxis", "npadvmod")
_TRIMMABLE = ("prep", "conj", "advmod", "npadvmod", "advcl", "agent", "dative")
_OBJECTS = ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "dative", "prt")
_COMPLEMENTS = ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "dative", "prep", "agent")
_OPEN = (",", "(", "-", "\u2013", "\u2014", ";")
_DASHES = ("-", "\u2013", "\u2014")
_OPENING_MARKS = ("\u201c", '"', "\u2018")


def gist(
    doc: Doc,
    max_words: int = GIST_WORDS,
    *,
    quote_from: int | None = None,
    quoted: Sequence[tuple[int, int]] = (),
    named: Sequence[Named] = (),
) -> str:
    """The main fact of a parsed sentence, in its own words; "" when no clause of it reads as one.

    Whole when it is short enough; else attributions go first, then the phrases that carry no
    name or number (asides, then trailing phrases from the right), then the rest, until it is
    within ``max_words``. ``quote_from`` is where a quotation opens that runs on past the
    sentence: the gist ends before it, so a key point never carries half a quotation.
    ``quoted`` are the character spans, marks included, of the quotations the quote finder found
    within the sentence: each is kept whole or left out. ``named`` are subjects that refer back
    ("he", "the 54-year-old"), said by the name they stand for. A result that is no sentence
    (:func:`summarizer.nlp.readable.clause_problem`) or longer than ``MAX_WORDS`` gives "".
    """
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    dropped: set[int] = set() if quote_from is None else {t.i for t in doc if t.idx >= quote_from - 1}
    speech = {t.i for t in doc for start, end in quoted if start <= t.idx < end}
    root = _reported(root, dropped, speech, {i for n in named for i in range(n.first, n.last + 1)})
    if root.i in dropped:
        return ""
    dropped |= {t.i for t in doc if t.text in "()[]" or t.i < root.left_edge.i or t.i > root.right_edge.i}
    for rank, chunk in _optional(doc, root, dropped):
        if rank >= 0 and _words(doc, dropped, named) <= max_words:
            break
        if _words(doc, dropped | chunk, named) < MIN_WORDS or rank >= 0 and _strands(doc, dropped, chunk):
            continue  # a phrase that is most of the fact, or all a verb's complement: smaller ones go instead
        dropped |= _with_delimiters(doc, chunk)
    for start, end in quoted:  # a quotation is the speaker's words: kept whole or not at all
        words = {t.i for t in doc if start <= t.idx < end}
        if dropped & words and not words <= dropped:
            dropped = dropped | words if 2 * len(dropped & words) > len(words) else dropped - words
    kept = _trimmed([t for t in doc if t.i not in dropped])
    substitutes = _said_by_name(doc, root, named, dropped)
    if len(kept) < MIN_WORDS or clause_problem(doc, root, kept, substitutes.keys()):
        return ""
    text = _joined(kept, substitutes)
    if not marks_balanced(text) or len(text.split()) > MAX_WORDS:
        return ""
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _found(root: Token, dropped: set[int], named: set[int]) -> Token:
    """What a source found is the fact when the source is only "it" ("It also found that one in five ...").

    A main clause whose subject is a pronoun nothing resolves gives way to the clause it reports,
    when that clause has a subject of its own that is no pronoun.
    """
    subject = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    if subject is None or subject.pos_ != "PRON" or subject.i in named:
        return root
    for clause in root.children:
        own = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
        if clause.dep_ == "ccomp" and clause.i > root.i and own is not None and own.pos_ not in ("PRON", "DET"):
            dropped |= {t.i for t in root.doc if not clause.left_edge.i <= t.i <= clause.right_edge.i}
            return clause
    return root


def _said_by_name(doc: Doc, root: Token, named: Sequence[Named], dropped: set[int]) -> dict[int, Named]:
    """The resolved subjects of the main clause (or a possessive opening it), by their first token.

    A subject deeper in the sentence stays as written: "X admitted that she ..." reads right,
    "X admitted that X ..." does not.
    """
    subject = {c.i for c in root.children if c.dep_ in SUBJECTS}
    found: dict[int, Named] = {}
    for name in named:
        span = range(name.first, name.last + 1)
        if any(i in dropped for i in span):
            continue
        if subject & set(span) or subject & {doc[i].head.i for i in span}:
            found[name.first] = name
    return found


def _reported(root: Token, dropped: set[int], speech: set[int], named: set[int]) -> Token:
    """The reported clause of "CLAUSE, police said": the fact, its attribution set after it.

    News writing puts the fact first and who vouches for it last; the trailing attribution is
    the first thing a key point can spare. A clause reported after its verb ("X said that ...")
    stays whole: there the speaker is part of the news; so does a quotation (``speech``).
    """
    reported = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i < root.i]
    if not reported or any(c.dep_ in ("dobj", "ccomp") and c.i > root.i for c in root.children):
        return _found(root, dropped, named)
    clause = reported[0]
    if speech & {t.i for c in reported for t in c.subtree}:
        return root  # a quotation is the speaker's words, never a fact without its speaker
    dropped |= {t.i for t in root.doc if not clause.left_edge.i <= t.i <= clause.right_edge.i}
    return clause


def _optional(doc: Doc, root: Token, dropped: set[int]) -> list[tuple[int, set[int]]]:
    """What may go, in the order it goes: attributions, then detail without names or numbers, then the rest."""
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    ranked: list[tuple[int, int, set[int]]] = []
    for token in doc:
        if token.i == root.i or token.i in dropped or any(token.is_ancestor(s) or token == s for s in subjects):
            continue
        if token.dep_ == "prep" and token.lower_ == "according" or _leading_clause(token, root):
            rank = -1  # always goes: who vouches for the fact, or a clause set before its subject
        elif _aside(token, root) or _leading_phrase(token, root):
            rank = 1
        elif _trimmable_phrase(token, root):
            rank = 2
        else:
            continue
        subtree = {t.i for t in token.subtree} - dropped
        counts = any(doc[i].like_num for i in subtree)
        informative = counts or any(doc[i].ent_type_ for i in subtree)
        if rank == 1 and token.left_edge.i > 0 and _opens(doc[token.left_edge.i - 1]):
            # an aside set off: detail a key point spares, always when it names no one and counts nothing,
            # else before the phrases that complete the clause ("carried 40,000 passengers across the bay")
            rank = 1 if informative else -1
        elif informative and rank > 0:
            rank += 3 if counts and rank == 2 else 2  # a number completing the clause is its fact
        ranked.append((rank, -token.left_edge.i, subtree))
    return [(rank, chunk) for rank, _, chunk in sorted(ranked, key=lambda c: (c[0], c[1]))]


def _strands(doc: Doc, dropped: set[int], chunk: set[int]) -> bool:
    """Dropping ``chunk`` leaves an active verb without the last of its complements ("his form has led.").

    "Has led to talk of a move" without "to talk of a move" states nothing; the verb keeps at least
    one of what followed it. A passive verb ("was charged.") and an intransitive one stand alone.
    """
    gone = dropped | chunk
    for top in (doc[i] for i in chunk if doc[i].head.i not in chunk):
        verb = top.head
        if verb.i in gone or verb.pos_ != "VERB" or any(c.dep_ == "auxpass" for c in verb.children):
            continue
        complements = [c for c in verb.rights if c.dep_ in _COMPLEMENTS]
        if top in complements and all(c.i in gone for c in complements):
            return True
    return False


def _leading_clause(token: Token, root: Token) -> bool:
    """A verb's clause that opens the sentence before its subject, set off by a comma ("Speaking to X, ...")."""
    start = token.left_edge.i
    opening = all(t.is_punct or t.dep_ == "cc" for t in token.doc[:start])
    after = token.doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(token.doc) else None
    return opening and token.dep_ == "advcl" and token.i < root.i and after is not None and after.text == ","


def _leading_phrase(token: Token, root: Token) -> bool:
    """A phrase that opens the sentence before its subject, set off by a comma ("Despite its ties to X, ...").

    It frames the fact; it goes before a phrase that completes the verb's object.
    """
    start, end = token.left_edge.i, token.right_edge.i
    opening = all(t.is_punct or t.dep_ == "cc" for t in token.doc[:start])
    comma = end + 1 < len(token.doc) and token.doc[end + 1].text == ","
    return (
        token.head == root and token.i < root.i and token.dep_ in ("prep", "advmod", "npadvmod") and opening and comma
    )


def _trimmable_phrase(token: Token, root: Token) -> bool:
    """A phrase after the main verb that completes the clause's circumstances, not a noun's meaning."""
    if token.dep_ not in _TRIMMABLE or token.i < root.i or token.tag_ == "WRB":
        return False
    # a phrase completing a noun stays ("the futures of nine players"), as does "Paris and Rome"
    listed = token.dep_ == "conj" and token.pos_ not in ("VERB", "AUX")
    return token.head.pos_ in ("VERB", "AUX") and not listed and not _completes_verb(token)


def _completes_verb(token: Token) -> bool:
    """The first phrase after "be" or a passive verb with no object: its complement ("was known for X").

    Without it the clause states nothing ("Mr Yeaman was known."); after an active verb a phrase
    is more often a circumstance ("will close for repairs").
    """
    verb = token.head
    if token.dep_ != "prep" or any(c.dep_ in _OBJECTS for c in verb.children):
        return False
    if verb.lemma_ != "be" and not any(c.dep_ == "auxpass" for c in verb.children):
        return False
    return next((c for c in verb.rights if c.dep_ in _TRIMMABLE), None) == token


def _trimmed(kept: list[Token]) -> list[Token]:
    """Without the connectives and punctuation a deletion left at either end ("And ...", "... with")."""
    while kept and (kept[-1].is_punct or kept[-1].dep_ in ("cc", "mark", "prep", "det", "aux")):
        kept.pop()
    while kept and (
        kept[0].is_punct
        and kept[0].text not in _OPENING_MARKS
        or kept[0].dep_ in ("cc", "mark")
        or kept[0].lower_ in ("and", "but", "so")
    ):
        kept.pop(0)
    return kept


def _joined(kept: list[Token], substitutes: dict[int, Named]) -> str:
    """The kept tokens as text, a gap one space, each resolved subject said by its name."""
    parts: list[str] = []
    skip = -1
    for token, after in zip(kept, [*kept[1:], kept[-1]], strict=True):
        if token.i <= skip:
            continue
        space = token.whitespace_ if after.i == token.i + 1 else " "
        if token.i in substitutes:
            skip = substitutes[token.i].last
            last = token.doc[skip]
            parts.append(substitutes[token.i].name + (last.whitespace_ or " "))
            continue
        parts.append(token.text + space)
    text = without_unpaired_marks("".join(parts).strip())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[^\W\d_])", r"\1 ", text)  # "base,\u201dUS" lost its mark, not its space
    return re.sub(r"([,;:])(\s*[,;:])+", r"\1", text).strip(" ,;:")


def _aside(token: Token, root: Token) -> bool:
    """A phrase news writing sets off as detail: a comma-delimited clause or apposition, a parenthesis."""
    if _leading_subordinate(token, root):
        return True
    if token.dep_ not in _ASIDES:
        return token.dep_ == "punct" and token.text in "()"
    before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
    after = token.doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(token.doc) else None
    # set off on both sides: a comma with no mark closing the phrase it opens is the parse's guess
    # ("when the old warrior, who was sent off unconsidered at 40/1, returned": "unconsidered" is no aside's)
    closed = after is None or after.is_punct
    set_off = before is not None and _opens(before) and closed
    if token.dep_ in ("relcl", "appos", "acl"):
        return set_off
    leading = token.left_edge.i == 0 and after is not None and after.text == ","  # "Having resolved it, Locke ..."
    return set_off or leading or token.head.i == root.i and token.i > root.i and token.dep_ == "advcl"


def _opens(mark: Token) -> bool:
    """The mark opens a phrase: a comma, bracket or semicolon, or a dash that is not the second of a pair.

    In "odds on the name - which could be X - being chosen", the second dash closes the aside
    before it; what follows is not set off.
    """
    if mark.text not in _OPEN:
        return False
    if mark.text in _DASHES:  # a hyphen inside a word ("high-profile") is no dash
        return (
            sum(t.text in _DASHES and t.i > 0 and bool(t.doc[t.i - 1].whitespace_) for t in mark.doc[: mark.i]) % 2 == 0
        )
    return True


def _leading_subordinate(token: Token, root: Token) -> bool:
    """A clause before the main one that a conjunction marks as subordinate ("hours before X landed, ...").

    The small parser sometimes files such a clause as the main verb's complement; its marker
    ("before", "after", "because", "while") says what it is whatever the label.
    """
    return (
        token.i < root.i
        and token.pos_ in ("VERB", "AUX")
        and token.dep_ != "ROOT"
        and any(c.dep_ == "mark" and c.lower_ not in ("that", "whether", "if") for c in token.children)
        and token.right_edge.i + 1 < root.i
        and token.doc[token.right_edge.i + 1].text == ","
    )


def _with_delimiters(doc: Doc, chunk: set[int]) -> set[int]:
    """The chunk and the commas, dashes or brackets that set it off, so none is left dangling."""
    first, last = min(chunk), max(chunk)
    around = {first - 1, last + 1} & {t.i for t in doc if t.is_punct and t.text not in ".!?"}
    return chunk | around


def _words(doc: Doc, dropped: set[int], named: Sequence[Named]) -> int:
    """Words as a reader counts them ("five-and-a-half" is one), with each resolved subject's name."""
    extra = sum(len(n.name.split()) - len(doc[n.first : n.last + 1].text.split()) for n in named[:1])
    return len("".join(t.text_with_ws for t in doc if t.i not in dropped).split()) + extra
