"""What a parsed sentence states, as plain data: its words, names, numbers and relations.

A claim and the article's sentences are read the same way, so comparing them never touches
spaCy: content lemmas (what it is about), name words (who and where: "Obama" is a part of
"Barack Obama"), numbers as values ("five" is 5), and its relations, each a verb with its
roles kept (who did what to whom, passive voice turned active), whether it is negated and its
modality ("may" is not "will").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from summarizer.grounding import STOPWORDS, numbers_in

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})  # numbers are compared as values
# Titles written before a name are no part of who it is ("Dr Kuhar" is "Christopher Kuhar"); UNK is counted apart.
_TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady st unk".split())
_NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
_WORD_NUMBERS = {
    w: Decimal(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "one"  # as often a pronoun ("one of the", "League One") as a number
} | {"thirty": Decimal(30), "forty": Decimal(40), "fifty": Decimal(50), "hundred": Decimal(100), "dozen": Decimal(12)}
# Modal verbs by what they commit to: a claim that turns "may" into "will" overstates its source.
_POSSIBLE = frozenset({"may", "might", "could", "can"})
_CERTAIN = frozenset({"will", "would", "shall", "must", "wo"})
_UNITS = frozenset({"cent", "percent", "%", "thousand", "million", "billion", "trillion"})
_QUOTING = re.compile(r"[\"\u201c\u201d\u2018`]|(?:^|\s)'\w")
_SUBJECTS = frozenset({"nsubj", "csubj", "agent"})
_OBJECTS = frozenset({"dobj", "nsubjpass", "attr", "dative", "oprd", "acomp"})
_GOVERNED = frozenset({"xcomp", "ccomp", "pcomp", "prep"})  # links from a verb's complement up to the verb
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})  # a verb with a tense ("sold", "sells", "sell") or a modal ("will")
_PARTICIPLES = frozenset({"VBN", "VBG"})  # a headline's predicate ("Watchdog investigating staff", "Plot based on ...")


@dataclass(frozen=True)
class Relation:
    """A verb with its roles: ``agent`` did ``verb`` to ``patient`` (lemmas of the role heads; "" when none)."""

    verb: str
    agent: str
    patient: str
    negated: bool
    modality: str  # "possible", "certain" or ""
    pronoun_agent: bool = False
    named_agent: bool = False  # the agent is a proper name, not a description ("the star")
    agents: frozenset[str] = frozenset()  # the agent and those joined to it ("Shannon and Thompson")
    named_patient: bool = False  # the patient is a name ("promoted Preston"), not a description
    hedged: bool = False  # it sits under a negated verb ("not planning on seeing it"): it affirms nothing either way


@dataclass(frozen=True)
class Facts:
    """What one text states, read off its parse."""

    lemmas: frozenset[str]
    names: frozenset[str]
    numbers: tuple[Decimal, ...]
    relations: tuple[Relation, ...]
    bigrams: frozenset[tuple[str, str]]
    unknown: bool  # an ``UNK`` token: a summariser that wrote what it did not know
    quoting: bool = False  # it holds a quotation mark: it quotes someone
    arcs: frozenset[tuple[str, str]] = frozenset()  # (head, dependent) pairs of content words: what modifies what
    counted: frozenset[tuple[str, str]] = frozenset()  # (word, number) pairs: what each number counts or measures
    referred: frozenset[str] = frozenset()  # name words of whom its pronoun subjects stand for (set in context)
    predicate: bool = True  # a verb with a tense, a modal or a participle: it states something, it is no fragment


def read_facts(doc: Doc) -> Facts:
    """The facts of one parsed text."""
    words = [t for t in doc if not t.is_punct and not t.is_space]
    lemmas = frozenset(_lemma(t) for t in words if t.pos_ in _CONTENT and _lemma(t) not in STOPWORDS and len(t) > 1)
    names = frozenset(t.lower_ for t in words if _is_name(t) and t.lower_ not in STOPWORDS | _TITLES)
    keys = [_lemma(t) for t in words]
    return Facts(
        lemmas=lemmas,
        names=names,
        numbers=_numbers(doc),
        relations=tuple(r for t in doc if (r := _relation(t)) is not None),
        bigrams=frozenset(zip(keys, keys[1:], strict=False)),
        unknown=any(t.text == "UNK" for t in doc),
        quoting=_QUOTING.search(doc.text) is not None,
        arcs=frozenset(_arcs(words)),
        counted=frozenset(_counted(words)),
        predicate=any(t.tag_ in _FINITE or (t.tag_ in _PARTICIPLES and t.pos_ == "VERB") for t in words),
    )


def _key(token: Token) -> str:
    return token.lower_ if _is_name(token) else _lemma(token)


def _content(token: Token) -> bool:
    return (token.pos_ in _CONTENT or _is_name(token)) and _key(token) not in STOPWORDS and len(token) > 1


def _arcs(words: list[Token]) -> set[tuple[str, str]]:
    """Each content word with the content word it depends on (through function words: "in", "of")."""
    arcs: set[tuple[str, str]] = set()
    for token in words:
        if not _content(token):
            continue
        head = token.head
        while head.i != head.head.i and not _content(head) and head.pos_ in ("ADP", "AUX", "PART", "DET"):
            head = head.head
        if head.i != token.i and _content(head):
            arcs.add((_key(head), _key(token)))
    return arcs


def _counted(words: list[Token]) -> set[tuple[str, str]]:
    """Each number with the content word it counts, through function words and units ("7 per cent of them").

    A unit ("per cent", "million") says how a number counts, not what: the word the unit depends on does.
    """
    links: set[tuple[str, str]] = set()
    for token in words:
        if not token.like_num:
            continue
        head = _content_head(token)
        if head is not None and _lemma(head) in _UNITS:
            head = _content_head(head) or head
        if head is not None:
            links.add((_key(head), str(_WORD_NUMBERS.get(token.lower_, token.lower_.replace(",", "")))))
    return links


def _content_head(token: Token) -> Token | None:
    """The nearest content word ``token`` depends on, through function words; None at the root."""
    head = token.head
    while head.i != head.head.i and not _content(head):
        head = head.head
    return head if head.i != token.i and _content(head) else None


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def _is_name(token: Token) -> bool:
    """A word of a name: a proper noun, or a capitalised word inside a named entity (not a date or a number)."""
    if token.ent_type_ and token.ent_type_ not in _NAMED:
        return False
    return (token.pos_ == "PROPN" or bool(token.ent_type_)) and token.text[:1].isupper() and token.is_alpha


def _numbers(doc: Doc) -> tuple[Decimal, ...]:
    """The values stated: digits (with scale words) and number words ("five", "a dozen")."""
    found = [f.scaled or f.value for f in numbers_in(doc.text)]
    found += [_WORD_NUMBERS[t.lower_] for t in doc if t.lower_ in _WORD_NUMBERS and t.like_num]
    return tuple(found)


def _relation(token: Token) -> Relation | None:
    if token.pos_ not in ("VERB", "AUX") or token.dep_ == "aux":
        return None
    agent = patient = ""
    pronoun = named = named_patient = False
    agents: set[str] = set()
    for child in token.children:
        if child.dep_ in _SUBJECTS:
            head = next((c for c in child.children if c.dep_ == "pobj"), child) if child.dep_ == "agent" else child
            agent, pronoun, named = _role(head), head.pos_ == "PRON", head.pos_ == "PROPN"
            agents |= {_role(t) for t in head.subtree if t.pos_ == "PROPN"} | {agent}
        elif child.dep_ in _OBJECTS and (not patient or child.pos_ != "NUM"):
            # the first object that is no score or amount ("beat the Owls 3-1")
            patient, named_patient = _role(child), _is_name(child) and child.lower_ not in _TITLES
    if not agent and not patient:
        return None
    auxes = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    modality = "possible" if auxes & _POSSIBLE else "certain" if auxes & _CERTAIN else ""
    hedged = _hedged(token)
    verb, negated = _lemma(token), _negated(token)
    return Relation(verb, agent, patient, negated, modality, pronoun, named, frozenset(agents), named_patient, hedged)


def _hedged(verb: Token) -> bool:
    """Whether a verb is what a negated verb governs ("not planning on seeing", "did not say that ...")."""
    while verb.dep_ in _GOVERNED and verb.head.i != verb.i:
        verb = verb.head
        if verb.pos_ in ("VERB", "AUX") and _negated(verb):
            return True
    return False


def _negated(verb: Token) -> bool:
    """Whether a verb is negated: "not", "never", "no longer has", or "has no funds"."""
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and any(g.dep_ == "neg" for g in child.children)):
            return True
        if child.dep_ in _OBJECTS and any(g.dep_ == "det" and g.lower_ == "no" for g in child.children):
            return True
    return False


def _role(token: Token) -> str:
    """A role's head word, a name by its last word ("Barack Obama" -> "obama")."""
    return _lemma(token) if token.pos_ != "PRON" else token.lower_
