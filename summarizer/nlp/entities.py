"""The people, organizations and places of an article, from named-entity recognition.

NER types them (PERSON -> person; GPE, LOC, FAC -> place; ORG -> organization) and finds every
mention; mentions of one entity are merged under its fullest name, ranked by salience (how
often and how early the article names it), and a person keeps the role an apposition or a title
gives them ("Ian Chong, a professor at ...", "Secretary of State Antony Blinken"). NER labels one
name differently from sentence to sentence, so each name takes the type most of its mentions
carry. A name used only as a modifier of a title ("House Speaker Nancy Pelosi") is part of that
title, not a participant of the story.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from summarizer.nlp.parsed import Parsed, SentenceIndex
from summarizer.nlp.people import Mention, People

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

Kind = Literal["person", "organization", "place"]
_KINDS: dict[str, Kind] = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
_POSSESSIVE = re.compile(r"[\u2019']s?$")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class NamedEntity:
    """One entity of the article: its fullest name, type, every mention, a role, and its salience."""

    name: str
    kind: Kind
    mentions: tuple[tuple[int, int], ...]
    salience: float
    role: str | None = None


def named_entities(parsed: Sequence[Parsed], people: People) -> list[NamedEntity]:
    """Every person, organization and place of the article, most salient first."""
    found = [*_people(parsed, people), *_others(parsed, people)]
    return sorted(found, key=lambda e: (-e.salience, e.mentions[0][0]))


def _people(parsed: Sequence[Parsed], people: People) -> list[NamedEntity]:
    sentences = max(len(parsed), 1)
    index = SentenceIndex(parsed)
    entities: list[NamedEntity] = []
    for person in people.people:
        named = [m for m in person.mentions if m.end - m.start > 3 or not m.subject] or person.mentions
        spans = tuple(sorted({(m.start, m.end) for m in named}))
        first = min(m.sentence for m in person.mentions)
        role = _role(index, person.mentions)
        salience = len(spans) + 2 * (1 - first / sentences)
        entities.append(NamedEntity(person.name, "person", spans, round(salience, 3), role))
    return entities


def _others(parsed: Sequence[Parsed], people: People) -> list[NamedEntity]:
    surnames = {p.surname for p in people.people} | {p.name.split()[0].lower() for p in people.people}
    kinds: dict[str, Counter[Kind]] = defaultdict(Counter)
    mentions: dict[str, list[tuple[int, int, int, bool]]] = defaultdict(list)
    names: dict[str, str] = {}
    for index, sentence in enumerate(parsed):
        for span in sentence.doc.ents:
            kind = _KINDS.get(span.label_)
            name = _name(span)
            if kind is None or kind == "person" or name is None:
                continue
            key = name.lower()
            if key in surnames or key.split()[-1] in surnames:
                continue  # a person's name NER mislabelled
            kinds[key][kind] += 1
            if len(name) > len(names.get(key, "")):
                names[key] = name
            start = sentence.start + span.start_char + (len(span.text) - len(span.text.lstrip()))
            mentions[key].append((index, start, start + len(name), _participates(span)))
    for short, long in _acronyms(names):
        mentions[long] += mentions.pop(short)
        kinds[long] += kinds.pop(short)
    sentences = max(len(parsed), 1)
    entities: list[NamedEntity] = []
    for key, found in mentions.items():
        if not any(participates for *_, participates in found):
            continue
        first = min(index for index, *_ in found)
        spans = tuple(sorted({(start, end) for _, start, end, _ in found}))
        salience = len(spans) + 2 * (1 - first / sentences)
        entities.append(NamedEntity(names[key], kinds[key].most_common(1)[0][0], spans, round(salience, 3)))
    return entities


def _acronyms(names: dict[str, str]) -> list[tuple[str, str]]:
    """(acronym key, full name key) pairs: "PRC" is "People's Republic of China", "VOA" "Voice of America"."""
    pairs: list[tuple[str, str]] = []
    for key, name in names.items():
        letters = name.replace(".", "")
        if not (letters.isupper() and 2 <= len(letters) <= 6 and " " not in letters):
            continue
        matching = [other for other, full in names.items() if other != key and _initials(full) == letters]
        if len(matching) == 1:
            pairs.append((key, matching[0]))
    return pairs


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _name(span: Span) -> str | None:
    """The entity's name as written, without a leading article or a possessive; None for what is no name."""
    text = _LEADING.sub("", _POSSESSIVE.sub("", span.text.strip()))
    words = text.split()
    if not words or not words[0][:1].isupper() or not any(c.isalpha() for c in text):
        return None
    return text


def _participates(span: Span) -> bool:
    """A name of its own, not a word of a person's title ("Secretary of State Antony Blinken").

    Inside a title only a name that stands on its own is kept: several words or an acronym
    ("US State Department spokesperson", "CIA director").
    """
    if not _in_title(span.root):
        return True
    text = span.text.strip()
    return len(text.split()) > 1 or text.replace(".", "").isupper()


def _in_title(token: Token) -> bool:
    """True when ``token`` sits in the noun phrase of a person, below the verb: part of their title."""
    child = token
    for ancestor in token.ancestors:
        if ancestor.ent_type_ == "PERSON":
            return child.dep_ in ("compound", "nmod")  # a title before the name, not an apposition after it
        if ancestor.pos_ in ("VERB", "AUX") or child.dep_ == "appos":
            return False
        child = ancestor
    return False


def _role(index: SentenceIndex, mentions: Sequence[Mention]) -> str | None:
    """The first role the article gives a person: an apposition, or the title words before the name."""
    for mention in mentions:
        start = mention.start
        found = index.at(start)
        if found is None:
            continue
        sentence = index.parsed[found]
        token = next((t for t in sentence.doc if sentence.start + t.idx >= start), None)
        if token is None:
            continue
        head = token
        while head.dep_ == "compound" and head.head.pos_ == "PROPN":
            head = head.head
        role = _apposition_role(head) or _title_role(head, token)
        if role:
            return role
    return None


def _apposition_role(head: Token) -> str | None:
    """An apposition's noun phrase: "Ian Chong, a professor at ..." or "the bureau's director, James Comey"."""
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return _phrase(child)
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        return _phrase(head.head, stop=head)
    return None


def _title_role(head: Token, name: Token) -> str | None:
    """The title words right before a name: "Secretary of State Antony Blinken", "Chinese President Xi Jinping".

    ``name`` is the name's first word: the title ends just before it.
    """
    words = [t for t in head.subtree if t.i < name.i and t.dep_ != "det" and not t.is_punct]
    if not words or words[-1].i != name.i - 1 or not any(t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return _text(words)


def _phrase(head: Token, stop: Token | None = None) -> str | None:
    tokens = [t for t in head.subtree if stop is None or not (stop.left_edge.i <= t.i <= stop.right_edge.i)]
    tokens = [
        t
        for t in tokens
        if t.dep_ not in ("relcl",)
        and not any(a.dep_ == "relcl" for a in t.ancestors if a.i != head.i and head.is_ancestor(a))
    ]
    while tokens and not tokens[-1].text[0].isalnum():
        tokens.pop()
    while tokens and tokens[0].lower_ in ("a", "an", "the", ","):
        tokens.pop(0)
    return _text(tokens) if 0 < len(tokens) <= 12 else None


def _text(tokens: Sequence[Token]) -> str | None:
    """The tokens as the article writes them; None for what is no role (an honorific alone: "Mr.")."""
    end = tokens[0].i if tokens else 0
    kept = {t.i for t in tokens}
    while end + 1 in kept:
        end += 1  # up to the first word left out: a role is one stretch of the article's text
    text = tokens[0].doc[tokens[0].i : end + 1].text.strip() if tokens else ""
    if not text or all(len(t.text.rstrip(".")) <= 3 and t.text[:1].isupper() for t in tokens):
        return None
    return text
