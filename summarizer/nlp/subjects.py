"""Who a sentence's subject is, when it says "he" or "the 54-year-old": the name a key point needs.

A key point stands alone, away from the sentences before it, so a subject that points back
("He was picked up ...", "the 39-year-old paid tribute ...") must name its person. Pronouns go
through the salience model that resolves speakers (:meth:`summarizer.nlp.people.People.resolve`);
a description resolves when it is a news writer's stand-in for a person - an age ("the
54-year-old") names the most salient person so far, a role word ("the former England captain")
the one person whose role the article gave with that word. Anything less certain stays
unresolved, and the compression then passes the sentence over rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.nlp.entities import NamedEntity
from summarizer.nlp.people import PERSONAL, People, without_titles
from summarizer.nlp.readable import SUBJECTS

if TYPE_CHECKING:
    from spacy.tokens import Token

    from summarizer.nlp.parsed import Parsed

_AGE = re.compile(r"^\d+-year-old$|^year-old$", re.IGNORECASE)
_POSSESSIVE = {"his", "her"}


@dataclass(frozen=True)
class Named:
    """Tokens ``first``..``last`` of a sentence that a key point says as ``name``."""

    first: int
    last: int
    name: str


def resolved_subjects(parsed: Sequence[Parsed], people: People, entities: Sequence[NamedEntity]) -> list[list[Named]]:
    """For each sentence, its clause subjects that refer back, with the names they stand for."""
    roles = {e.name: e.role.lower().split() for e in entities if e.kind == "person" and e.role}
    partial = _partial_names(parsed, people)
    found: list[list[Named]] = []
    for index, sentence in enumerate(parsed):
        named: list[Named] = []
        for token in sentence.doc:
            if token.dep_ not in SUBJECTS:
                continue
            position = sentence.start + token.idx
            resolved = _pronoun(token, people, position, index) or _description(token, people, roles, position, index)
            if resolved is not None and resolved.name.removesuffix("\u2019s") not in partial:
                named.append(resolved)
        found.append(named)
    return found


def _partial_names(parsed: Sequence[Parsed], people: People) -> set[str]:
    """People known by one word that the article writes as the end of a longer name: no subject is said by it.

    NER can label half a name ("winner Many Clouds": PERSON "Clouds"), and a key point saying
    "Clouds won" for "He won" names no one the article does. A capitalised word the parse joins
    to the name, not a title ("Mayor Ruiz"), marks the name as partial.
    """
    partial: set[str] = set()
    for sentence in parsed:
        for token in sentence.doc:
            person = people.at(sentence.start + token.idx) if token.pos_ == "PROPN" and token.i > 0 else None
            if person is None or len(person.name.split()) > 1:
                continue
            before = token.doc[token.i - 1]
            joined = before.pos_ == "PROPN" and before.dep_ == "compound" and before.head.i == token.i
            if joined and before.text[:1].isupper() and not _title(before.text):
                partial.add(person.name)
    return partial


def _title(word: str) -> bool:
    """An honorific or title ("Mr.", "Mayor"): what may stand before a one-word name without being part of it."""
    return without_titles(f"{word} name", set()) == "name"


def _pronoun(token: Token, people: People, position: int, index: int) -> Named | None:
    """A subject "he" or "she", or a "his"/"her" opening one ("His parents ..."), to the person meant."""
    if token.lower_ in PERSONAL and token.pos_ == "PRON" and token.lower_ not in _POSSESSIVE | {"him"}:
        person = people.resolve(token.lower_, position, index)
        return Named(token.i, token.i, person.name) if person else None
    owner = next((c for c in token.children if c.dep_ == "poss" and c.lower_ in _POSSESSIVE), None)
    if owner is None or owner.i != token.left_edge.i:
        return None
    person = people.resolve(owner.lower_, position - token.idx + owner.idx, index)
    return Named(owner.i, owner.i, person.name + "\u2019s") if person else None


def _description(token: Token, people: People, roles: dict[str, list[str]], position: int, index: int) -> Named | None:
    """A description ("the 54-year-old", "the former England captain") to the person the article means."""
    determiner = token.left_edge
    if token.pos_ not in ("NOUN", "ADJ") or determiner.lower_ != "the" or determiner.i == token.i:
        return None
    modifiers = token.doc[determiner.i + 1 : token.i]
    if any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in modifiers):
        return None
    if _AGE.match(token.doc[determiner.i + 1 : token.i + 1].text):  # "58-year-old" is five tokens
        person = people.resolve("", position, index)
        return Named(determiner.i, token.i, person.name) if person else None
    holders = [name for name, words in roles.items() if token.lower_ in words]
    earlier = {p.name for p in people.people if any(m.end <= position for m in p.mentions)}
    holders = [h for h in holders if h in earlier]
    return Named(determiner.i, token.i, holders[0]) if len(holders) == 1 else None
