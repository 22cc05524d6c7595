"""People in an article: their mentions grouped by person, and what a pronoun refers to.

Named-entity recognition finds the mentions; one person's mentions ("Antony Blinken",
"Blinken", "Mr. Blinken") are grouped under the fullest name the article uses. A pronoun is
resolved by salience, after Lappin and Leass: every earlier mention of a person adds weight,
more for a subject, halved with each sentence back, so "he said" goes to the person the
passage is about rather than to the last name it happens to mention. Gender comes from
honorifics and from pronouns already resolved to the person, never from first-name lists.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from summarizer.nlp.parsed import Parsed

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_HONORIFICS = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female", "sir": "male", "dame": "female",
               "lord": "male", "lady": "female"}  # fmt: skip
PERSONAL = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female"}
_RECENT, _SUBJECT, _OBJECT, _MAIN = 100.0, 80.0, 40.0, 80.0
_POSSESSIVE = re.compile(r"[\u2019']s?$")


@dataclass(frozen=True)
class Mention:
    """One mention of a person: where it is, which sentence, and whether it is a clause's subject."""

    start: int
    end: int
    sentence: int
    subject: bool
    obj: bool = False
    quoted: bool = False  # inside a quotation: another voice, no salience in the narration
    main: bool = False  # the subject of the sentence's main clause


@dataclass
class Person:
    """One person of the article: the fullest name it uses for them and every mention."""

    name: str
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1].lower()


class People:
    """The article's people and a salience model to resolve pronouns against them."""

    def __init__(self, people: list[Person]) -> None:
        self.people = people
        # Every character a mention covers -> the first person (in list order) mentioned there:
        # asked once per proper noun and speaker, a scan of every mention made that quadratic.
        self._at: dict[int, Person] = {}
        self._rank: dict[int, int] = {}
        for person in people:
            for mention in person.mentions:
                self._index(person, mention)

    def at(self, position: int) -> Person | None:
        """The person a mention at ``position`` names, if any."""
        return self._at.get(position)

    def _index(self, person: Person, mention: Mention) -> None:
        rank = self._rank.setdefault(id(person), len(self._rank))
        for position in range(mention.start, mention.end):
            current = self._at.get(position)
            if current is None or self._rank[id(current)] > rank:
                self._at[position] = person

    def resolve(self, pronoun: str, position: int, sentence: int) -> Person | None:
        """The most salient earlier person the pronoun can refer to; the resolution adds to their salience."""
        wanted = PERSONAL.get(pronoun.lower())
        best: tuple[float, int, Person] | None = None
        for person in self.people:
            if wanted is not None and person.gender not in (None, wanted):
                continue
            earlier = [m for m in person.mentions if m.end <= position and sentence - m.sentence <= 6 and not m.quoted]
            if not earlier:
                continue
            weight = sum(_weight(m) * 0.5 ** (sentence - m.sentence) for m in earlier)
            key = (weight, max(m.end for m in earlier), person)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None:
            return None
        person = best[2]
        if wanted is not None and person.gender is None:
            person.gender = wanted  # a first resolution is evidence too, weaker than the article's own
        return person

    def add(self, person: Person, mention: Mention) -> None:
        """Count a resolved pronoun as a mention of ``person``."""
        person.mentions.append(mention)
        self._index(person, mention)

    def speaker(self, name: str, mention: Mention) -> Person:
        """A named speaker NER missed ("Maryam Violet told the Guardian"): a person from here on."""
        key = name.split()[-1].lower()
        person = next((p for p in self.people if p.surname == key), None)
        if person is None:
            person = Person(name)
            self.people.append(person)
        if not any(m.start == mention.start for m in person.mentions):
            person.mentions.append(mention)
            self._index(person, mention)
        return person


def _weight(mention: Mention) -> float:
    return (
        _RECENT + (_SUBJECT if mention.subject else _OBJECT if mention.obj else 0.0) + (_MAIN if mention.main else 0.0)
    )


def person_mentions(parsed: Sequence[Parsed], quoted: Callable[[int], bool]) -> People:
    """Every mention of every person the article names, grouped by person.

    NER labels one name differently from sentence to sentence, so a surname counts as a person
    when most of its labelled mentions are PERSON, and then every occurrence of it (and of a
    first name that only one person has) is a mention, labelled or not.
    """
    lowercase = {t.text for p in parsed for t in p.doc if t.is_lower}
    votes: Counter[str] = Counter()
    fullest: dict[str, str] = {}
    for sentence in parsed:
        for span in sentence.doc.ents:
            text = without_titles(_POSSESSIVE.sub("", span.text).strip(" ,."), lowercase)
            if not text or not _looks_like_a_name(text):
                continue
            key = text.split()[-1].lower()
            labelled = span.label_ == "PERSON" or _titled(span)
            votes[key] += 1 if labelled else -1
            if labelled and len(text.split()) > len(fullest.get(key, "").split()):
                fullest[key] = text
    # A full name labelled PERSON once settles it; a lone word needs at least half its labels to agree.
    names = {key: name for key, name in fullest.items() if len(name.split()) > 1 or votes[key] >= 0}
    for key, name in list(names.items()):
        if len(name.split()) == 1:  # "Xi" after "Xi Jinping": a family name written first
            longer = {n for n in names.values() if len(n.split()) > 1 and n.split()[0].lower() == key}
            if len(longer) == 1:
                names[key] = longer.pop()
    firsts = Counter(name.split()[0].lower() for name in names.values() if len(name.split()) > 1)
    by_first = {
        n.split()[0].lower(): n for n in names.values() if len(n.split()) > 1 and firsts[n.split()[0].lower()] == 1
    }
    people: dict[str, Person] = {}
    for index, sentence in enumerate(parsed):
        for token in sentence.doc:
            if token.pos_ != "PROPN" or token.dep_ == "compound" and token.head.pos_ == "PROPN":
                continue  # a name is mentioned by its last word, the head of its compound
            word = _POSSESSIVE.sub("", token.text).lower()
            found = names.get(word) or by_first.get(word)
            if found is None:
                continue
            name_words = [c for c in token.children if c.dep_ == "compound" and not _is_title(c.text, lowercase)]
            first = min([token, *name_words], key=lambda t: t.i)
            start, end = sentence.start + first.idx, sentence.start + token.idx + len(token.text)
            person = people.setdefault(found, Person(found))
            before = sentence.doc[first.i - 1].lower_.rstrip(".") if first.i > 0 else ""
            person.gender = person.gender or _HONORIFICS.get(before)
            role = token.dep_ if token.dep_ not in ("appos", "conj") else token.head.dep_
            subject, obj = role in ("nsubj", "nsubjpass"), role in _OBJECTS
            head = token.head if token.dep_ not in ("appos", "conj") else token.head.head
            main = subject and head.dep_ == "ROOT"
            person.mentions.append(Mention(start, end, index, subject, obj, quoted(start), main))
    result = People(list(people.values()))
    _learn_genders(parsed, result)
    return result


# Role nouns that carry gender in English, the closed set an apposition or title draws on.
_GENDERED = {"woman": "female", "wife": "female", "mother": "female", "daughter": "female", "sister": "female",
             "girl": "female", "queen": "female", "actress": "female", "spokeswoman": "female",
             "chairwoman": "female", "congresswoman": "female", "businesswoman": "female", "widow": "female",
             "grandmother": "female", "man": "male", "husband": "male", "father": "male", "son": "male",
             "brother": "male", "boy": "male", "king": "male", "spokesman": "male", "chairman": "male",
             "congressman": "male", "businessman": "male", "widower": "male", "grandfather": "male"}  # fmt: skip


def _learn_genders(parsed: Sequence[Parsed], people: People) -> None:
    """Gender from the article: "X said she would", or a gendered role beside the name ("his wife, X")."""
    for sentence in parsed:
        for token in sentence.doc:
            person = people.at(sentence.start + token.idx) if token.pos_ == "PROPN" else None
            if person is None or person.gender is not None:
                continue
            person.gender = _bound_pronoun(token) or _gendered_role(token)


def _bound_pronoun(name: Token) -> str | None:
    """``Clinton said she would ...``: the subject pronoun of a clause the person's own verb governs."""
    if name.dep_ not in ("nsubj", "nsubjpass"):
        return None
    for clause in name.head.children:
        if clause.dep_ in ("ccomp", "xcomp", "conj"):
            for child in clause.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in ("he", "she"):
                    return PERSONAL[child.lower_]
    return None


def _gendered_role(name: Token) -> str | None:
    related = [*name.children, name.head] if name.dep_ in ("appos", "compound") else list(name.children)
    for token in related:
        if token.dep_ in ("appos", "compound") or token.i == name.head.i:
            gender = _GENDERED.get(token.lower_)
            if gender:
                return gender
    return None


_OBJECTS = ("dobj", "pobj", "dative", "attr")


# Honorifics and titles news writes before a name; a capitalised word the article also writes in
# lower case ("Mayor Ana Ruiz" ... "the mayor said") is a title too, whatever it is.
_TITLES = frozenset(
    "mr mrs ms miss dr sir dame lord lady mayor president gov governor sen senator rep secretary minister prime "
    "premier chancellor judge justice rev gen general col capt adm sgt lt king queen prince princess pope chief "
    "chairman chairwoman professor prof coach".split()
)


def _titled(span: Span) -> bool:
    """A name NER typed otherwise that a title or honorific introduces is a person's ("Governor Lina Holt")."""
    before = span.doc[span.start - 1].text if span.start > 0 else ""
    return len(span) > 1 and (_is_title(span[0].text, set()) or _is_title(before, set()))


def _is_title(word: str, lowercase: set[str]) -> bool:
    bare = word.rstrip(".")
    return bare.lower() in _TITLES or bare.lower() in lowercase


def without_titles(name: str, lowercase: set[str]) -> str:
    """``name`` without the titles before it: "Mayor Ana Ruiz" is Ana Ruiz."""
    words = name.split()
    while len(words) > 1 and _is_title(words[0], lowercase):
        words.pop(0)
    return " ".join(words)


def _looks_like_a_name(text: str) -> bool:
    """A person's name: capitalised words, no lower-case word glued on by a hyphen ("Bush-spent")."""
    words = text.split()
    return bool(words) and all(w[:1].isupper() for w in words if w[:1].isalpha()) and not re.search(r"-[a-z]", text)
