"""Which phrases of a parsed sentence a compression may delete, and in which order.

News writing sets detail off: an aside between commas or dashes, a phrase framing the clause
before its subject, an attribution, circumstances trailing the verb. :func:`optional` ranks
those phrases for :func:`summarizer.nlp.gists.gist`, least informative first; what completes a
verb (its object, the one complement an active verb has left) is never offered. Some words go
whatever the budget: a dateline, what brackets enclose, a listicle's number run into the
sentence, a conjunct a deletion left glued to another word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.nlp.readable import FINITE_TAGS
from summarizer.nlp.tangles import misread_clause, tangled

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_ASIDES = ("relcl", "appos", "acl", "advcl", "parataxis", "npadvmod")
_TRIMMABLE = ("prep", "conj", "advmod", "npadvmod", "advcl", "agent", "dative")
_OBJECTS = ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "dative", "prt")
_COMPLEMENTS = ("dobj", "attr", "acomp", "ccomp", "xcomp", "oprd", "dative", "prep", "agent")
_OPEN = (",", "(", "-", "\u2013", "\u2014", ";")
_DASHES = ("-", "\u2013", "\u2014")


def optional(doc: Doc, root: Token, dropped: set[int]) -> list[tuple[int, set[int]]]:
    """What may go, in the order it goes: attributions, then detail without names or numbers, then the rest."""
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    ranked: list[tuple[int, int, set[int]]] = []
    for token in doc:
        if token.i == root.i or token.i in dropped or any(token.is_ancestor(s) or token == s for s in subjects):
            continue
        if _compound_preposition(token):
            continue  # goes with the phrase it opens ("aside from stating ...")
        if token.dep_ == "prep" and token.lower_ == "according" or _leading_clause(token, root):
            rank = -1  # always goes: who vouches for the fact, or a clause set before its subject
        elif _aside(token, root) or _leading_phrase(token, root):
            rank = 1
        elif _trimmable_phrase(token, root):
            rank = 2
        else:
            continue
        subtree = {t.i for t in token.subtree} - dropped
        if token.i > 0 and _compound_preposition(doc[token.i - 1]):
            subtree.add(token.i - 1)  # "aside from ...": the adverb goes with its phrase, never left behind
        subtree |= misread_clause(token) - dropped
        counts = any(doc[i].like_num for i in subtree)
        informative = counts or any(doc[i].ent_type_ for i in subtree)
        if rank == 1 and token.left_edge.i > 0 and opens(doc[token.left_edge.i - 1]):
            # an aside set off: detail a key point spares, always when it names no one and counts nothing,
            # else before the phrases that complete the clause ("carried 40,000 passengers across the bay")
            rank = 1 if informative else -1
        elif informative and rank > 0:
            rank += 3 if counts and rank == 2 else 2  # a number completing the clause is its fact
        ranked.append((rank, -token.left_edge.i, subtree))
    for first, last in _between_dashes(doc):  # "nine players — A, B and C — who will ...": an aside whatever the parse
        inside = set(range(first + 1, last)) - dropped
        if inside and root.i not in inside and all(inside != chunk for _, _, chunk in ranked):
            ranked.append((1, -first, inside))
    tangles = tangled(doc)
    return [
        (rank, chunk)
        for rank, _, chunk in sorted(ranked, key=lambda c: (c[0], c[1]))
        if not any(chunk & inside and not ends <= chunk for inside, ends in tangles)
    ]


def _between_dashes(doc: Doc) -> list[tuple[int, int]]:
    """The indexes of each pair of spaced dashes that set a phrase off (a hyphen inside a word is no dash)."""
    dashes = [t.i for t in doc if spaced_dash(t)]
    return list(zip(dashes[::2], dashes[1::2], strict=False))


def glued_conjuncts(doc: Doc, dropped: set[int]) -> set[int]:
    """Conjuncts a deletion left glued to a word they were never joined to ("... moved any quicker clash at X").

    A conjunct follows its "and", "or" or comma; once what stood between it and its head is gone
    and no such joint is left before it, it reads as part of the phrase it now touches (a
    misparse, most often, that the deletion made visible): it goes with its own dependents.
    """
    glued: set[int] = set()
    for token in doc:
        if token.dep_ != "conj" or token.i in dropped or token.head.i in dropped:
            continue
        between = range(token.head.i + 1, token.left_edge.i)
        # a joint of its own head's, not an "and" inside the phrase in between ("the second and favorite son")
        joined = any(i not in dropped and doc[i].head == token.head and _joint(doc[i]) for i in between)
        if not joined and any(i in dropped for i in between):
            glued |= {t.i for t in token.subtree}
    return glued


def _joint(token: Token) -> bool:
    """A word that joins two conjuncts: "and", "or", a comma (not a quotation mark the parse hung there)."""
    return token.dep_ == "cc" or token.is_punct and not token.is_quote


def list_number(token: Token) -> bool:
    """A bare number after a common noun at the sentence's end ("... his favourite snacks 2."): the next item's number.

    A listicle's numbering runs into the sentence before it once the page's layout is gone; a
    number that belongs to a name stays ("Apollo 11", "World War 2": a proper noun before it).
    """
    before = token.doc[token.i - 1] if token.i > 0 else None
    # the parser hangs it on the noun ("snacks 2") or, as often, on the verb ("... during training camp 4.")
    attached = token.dep_ == "nummod" and token.head == before or token.dep_ in ("npadvmod", "advmod")
    return attached and token.text.isdigit() and before is not None and before.tag_ in ("NN", "NNS")


def past_dateline(doc: Doc) -> tuple[set[int], Token | None]:
    """The words of a dateline opening the sentence, and the main clause's root past them (None if there is none)."""
    filed = _dateline(doc)
    return filed, next((t for t in doc if t.dep_ == "ROOT" and t.i not in filed), None)


def _dateline(doc: Doc) -> set[int]:
    """A dateline opening the sentence ("NEW YORK, Dec. 11 (UPI) \u2014 ..."): where and when it was filed, no fact.

    A place in capitals, then at most a date and an agency, no word in lower case, then a dash
    and the sentence's capitalised first word ("NATO \u2014 the alliance \u2014 said" is no dateline).
    """
    first = doc[0] if len(doc) else None
    if first is None or not (first.is_upper and first.is_alpha and len(first) > 1):
        return set()
    dash = next((t.i for t in doc[:12] if t.text in ("\u2014", "\u2013", "--")), None)
    if dash is None or dash + 1 >= len(doc) or not doc[dash + 1].is_title and not doc[dash + 1].is_upper:
        return set()
    return set() if any(t.is_lower for t in doc[:dash]) else set(range(dash + 1))


def bracketed(doc: Doc) -> set[int]:
    """Brackets and what they enclose: an aside ("Rodgers (left) said"), never part of a key point.

    Dropping the marks alone left "Rodgers left said"; an unmatched mark goes by itself.
    """
    inside: set[int] = set()
    opened: int | None = None
    for token in doc:
        if token.text in ("(", "["):
            opened = token.i
        elif token.text in (")", "]"):
            inside |= set(range(token.i if opened is None else opened, token.i + 1))
            opened = None
    return inside | ({opened} if opened is not None else set())


def strands(doc: Doc, dropped: set[int], chunk: set[int]) -> bool:
    """Dropping ``chunk`` leaves an active verb without the last of its complements ("his form has led.").

    "Has led to talk of a move" without "to talk of a move" states nothing; the verb keeps at least
    one of what followed it, "be" too ("was on that ferry", not "was but ..."). A passive verb ("was
    charged.") and an intransitive one stand alone.
    """
    gone = dropped | chunk
    for top in (doc[i] for i in chunk if doc[i].head.i not in chunk):
        verb = top.head
        if verb.i in gone or verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "auxpass" for c in verb.children):
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
    verbal = token.head.pos_ in ("VERB", "AUX")
    return verbal and not listed and not _completes_verb(token) and not _verb_particle(token)


def _compound_preposition(token: Token) -> bool:
    """A lone adverb opening a compound preposition with the "of" or "from" after it ("aside from", "out of").

    The parser gives both words to the verb; deleting the phrase without the adverb left "for
    easing rents aside." An adverb of manner ("broke briefly from his policy") says how the verb
    acts: not this.
    """
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    opens = after is not None and after.lower_ in ("of", "from") and after.dep_ == "prep" and after.head == token.head
    return _lone_adverb(token) and not token.lower_.endswith("ly") and opens


def _verb_particle(token: Token) -> bool:
    """A lone adverb next to its verb, or after the verb's object: part of what the verb says.

    "did not sit well", "took his sailboat out", "would rather vote for X than Y", "nearly
    died": without the adverb the clause says something else ("did not sit"); it costs a word
    to keep. One set off by a comma is an aside, not this.
    """
    verb = token.head
    if not _lone_adverb(token):
        return False
    if token.i == verb.i - 1:
        return True
    objects = {t.i for c in verb.children if c.dep_ in ("dobj", "prt") for t in c.subtree}
    return token.i > verb.i and all(i in objects for i in range(verb.i + 1, token.i))


def _lone_adverb(token: Token) -> bool:
    """An adverb of one word, with no words of its own: what the two adverb rules above look at."""
    return token.dep_ == "advmod" and not any(True for _ in token.children)


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


def _aside(token: Token, root: Token) -> bool:
    """A phrase news writing sets off as detail: a comma-delimited clause or apposition, a parenthesis."""
    if _leading_subordinate(token, root):
        return True
    if token.dep_ not in _ASIDES:
        return token.dep_ == "punct" and token.text in "()"
    before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
    after = token.doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(token.doc) else None
    # set off on both sides, by a mark or by the finite verb writers leave the comma out before ("Dr Ruiz, the
    # vet told ..."); else the parse guessed ("the old warrior, who was sent off unconsidered at 40/1, returned")
    closed = after is None or after.is_punct or after.tag_ in FINITE_TAGS
    set_off = before is not None and opens(before) and closed
    if token.dep_ in ("relcl", "appos", "acl"):
        return set_off
    leading = token.left_edge.i == 0 and after is not None and after.text == ","  # "Having resolved it, Locke ..."
    return set_off or leading or token.head.i == root.i and token.i > root.i and token.dep_ == "advcl"


def opens(mark: Token) -> bool:
    """The mark opens a phrase: a comma, bracket or semicolon, or a dash that is not the second of a pair.

    In "odds on the name - which could be X - being chosen", the second dash closes the aside
    before it; what follows is not set off.
    """
    if mark.text not in _OPEN:
        return False
    if mark.text in _DASHES:  # a hyphen inside a word ("high-profile") is no dash
        return sum(spaced_dash(t) for t in mark.doc[: mark.i]) % 2 == 0
    return True


def spaced_dash(token: Token) -> bool:
    """A dash with a space before it, which sets words off; a hyphen inside a word ("high-profile") is none."""
    return token.text in _DASHES and token.i > 0 and bool(token.doc[token.i - 1].whitespace_)


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
