"""Who said each quotation, read off the dependency parse.

Journalistic attribution is syntax: the speaker is the subject of the speech verb that governs
the quotation ("...," Blinken said; Obama said he was "surprised"), the object of "according to",
or the person a headline colon or an introducing sentence ("He listed them:") names. A pronoun
resolves by salience (:mod:`summarizer.nlp.people`), a quotation with no attribution of its own
continues the one before it, and a description stays as the article writes it ("a senior
official", "the report"), an anaphoric one ("the official") taking the description it refers to.
Each rule is a small function named for the convention it encodes (those that read one sentence's
parse are in :mod:`summarizer.nlp.speech`; those here read across sentences), and each attribution
records how it was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from summarizer.nlp.parsed import Covered, Parsed, SentenceIndex
from summarizer.nlp.people import PERSONAL, Mention, People
from summarizer.nlp.speech import (
    SUBJECTS,
    appositions,
    governing_cue,
    is_according_to,
    is_cue,
    nearest_cue,
    phrase_text,
    proper_name,
    speaker_from_according_to,
    speaker_from_subject,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

Method = Literal["explicit", "pronoun", "description", "continuation", "unattributed"]
UNATTRIBUTED = "unattributed"

_DEFINITE = ("the", "this", "that")
_INDEFINITE = ("a", "an", "one", "another")


@dataclass(frozen=True)
class Attribution:
    """Who said a quote, as the article names or describes them, and how that was found."""

    speaker: str
    method: Method


class _Reader:
    """Walks the article once in order: resolves pronouns and records every speech act's speaker."""

    def __init__(self, parsed: Sequence[Parsed], people: People, quotes: Sequence[tuple[int, int]]) -> None:
        self.parsed = parsed
        self.index = SentenceIndex(parsed)
        self.people = people
        self._quoted = Covered((s - 1, e + 1) for s, e in quotes)
        self.acts: dict[int, Attribution] = {}  # verb offset -> speaker
        self._descriptions: list[tuple[int, str]] = []
        for index, sentence in enumerate(parsed):
            for token in sentence.doc:
                if self.inside(sentence.start + token.idx):
                    continue
                if token.pos_ == "PRON" and token.lower_ in PERSONAL and token.dep_ in SUBJECTS:
                    self._resolve(token, sentence, index)  # possessives can point forward ("In his speech, Ali...")
                if is_cue(token):
                    found = self._speaker_of(token, sentence, index)
                    if found is not None:
                        self.acts[sentence.start + token.idx] = found

    def inside(self, position: int) -> bool:
        """True when ``position`` lies inside some quotation (marks included)."""
        return self._quoted(position)

    def _resolve(self, token: Token, sentence: Parsed, index: int) -> None:
        person = self.people.resolve(token.lower_, sentence.start + token.idx, index)
        if person is not None:
            position = sentence.start + token.idx
            subject = token.dep_ in SUBJECTS
            main = subject and token.head.dep_ == "ROOT"
            self.people.add(person, Mention(position, position + len(token.text), index, subject, main=main))

    def _speaker_of(self, cue: Token, sentence: Parsed, index: int) -> Attribution | None:
        if is_according_to(cue):
            return self._phrase(speaker_from_according_to(cue), sentence, index)
        return self._phrase(speaker_from_subject(cue), sentence, index)

    def _phrase(self, head: Token | None, sentence: Parsed, index: int) -> Attribution | None:
        """The speaker as the article names them: a person, a resolved pronoun, or the phrase itself."""
        if head is None or self.inside(sentence.start + head.idx):
            return None
        position = sentence.start + head.idx
        if head.pos_ == "PRON":
            return self._pronoun(head, position, index)
        person = self._person_in(head, sentence)
        if person is not None:
            return Attribution(person, "explicit")
        phrase = phrase_text(head)
        if not phrase:
            return None
        if head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON") and phrase[:1].isupper():
            name = proper_name(head)
            mention = Mention(position, position + len(head.text), index, True, main=head.head.dep_ == "ROOT")
            return Attribution(self.people.speaker(name, mention).name, "explicit")
        first = phrase.split()[0].lower()
        if first in _DEFINITE:
            return self._anaphor(phrase, position)
        self._descriptions.append((position, phrase))
        return Attribution(phrase, "description" if first in _INDEFINITE else "explicit")

    def _pronoun(self, head: Token, position: int, index: int) -> Attribution | None:
        lowered = head.lower_
        if lowered in PERSONAL:
            person = self.people.at(position)
            return Attribution(person.name, "pronoun") if person else None
        if lowered in ("they", "it"):
            # Singular "they" for an unnamed source, "it" for an organization: the last such speaker,
            # else the nearest group or organization that could be the subject.
            recent = [(p, d) for p, d in self._descriptions if p < position]
            if recent and self.index.between(recent[-1][0], position) <= 2:
                return Attribution(recent[-1][1], "pronoun")
            group = self._group_before(position, index, plural=lowered == "they")
            if group is not None:
                return Attribution(group, "pronoun")
        return None

    def _group_before(self, position: int, index: int, *, plural: bool) -> str | None:
        """The nearest earlier subject a "they" (a plural or an organization) or an "it" (an organization) can be."""
        for sentence in reversed(self.parsed[max(index - 2, 0) : index + 1]):
            for token in reversed(sentence.doc):
                at = sentence.start + token.idx
                if at >= position or token.dep_ not in SUBJECTS or token.pos_ == "PRON" or self.inside(at):
                    continue
                organization = token.ent_type_ in ("ORG", "NORP", "GPE")
                if organization or (plural and "Plur" in token.morph.get("Number", [])):
                    return phrase_text(token)
        return None

    def _anaphor(self, phrase: str, position: int) -> Attribution:
        """``the official`` takes the description that introduced them; else it stays as written."""
        head = phrase.split()[-1].lower()
        earlier = [d for p, d in self._descriptions if p < position]
        matching = [d for d in earlier if d.split()[-1].lower() == head]
        if matching:
            return Attribution(matching[0], "description")
        if earlier and phrase.split()[-1].lower() in ("person", "source", "official", "spokesman", "spokeswoman"):
            return Attribution(earlier[-1], "description")
        self._descriptions.append((position, phrase))
        return Attribution(phrase, "description")

    def _person_in(self, head: Token, sentence: Parsed) -> str | None:
        """The person a noun phrase names: its head, a compound of it, or an apposition."""
        for token in [head, *appositions(head)]:
            person = self.people.at(sentence.start + token.idx)
            if person is not None:
                return person.name
        return None


def attribute(
    text: str, quotes: Sequence[tuple[int, int]], parsed: Sequence[Parsed], people: People
) -> list[Attribution]:
    """One attribution per quote (``(start, end)`` offsets), in order; ``unattributed`` where the text does not say."""
    reader = _Reader(parsed, people, quotes)
    results: list[Attribution] = []
    previous: tuple[int, int, Attribution] | None = None
    for start, end in quotes:
        found = _attribute_one(reader, start, end) or speaker_of_previous_sentence(reader, start)
        if found is None and previous is not None and continues(text, reader.index, previous[1], start):
            found = Attribution(previous[2].speaker, "continuation")
        found = found or Attribution(UNATTRIBUTED, "unattributed")
        results.append(found)
        if found.method != "unattributed":
            previous = (start, end, found)
    return results


def _attribute_one(reader: _Reader, start: int, end: int) -> Attribution | None:
    touched = reader.index.touching(start, end)
    for sentence in sorted(touched, key=lambda p: (not p.start <= end <= p.end, -p.start)):
        cue = governing_cue(sentence, start, end, reader.inside) or nearest_cue(sentence, start, end, reader.inside)
        if cue is not None and (found := reader.acts.get(sentence.start + cue.idx)) is not None:
            return found
    if touched and (found := attribution_after_question(reader, touched[-1], end)) is not None:
        return found
    if len(touched) == 1 and (found := speaker_of_partial_quote(reader, touched[0], start)) is not None:
        return found
    return speaker_before_colon(reader, touched[0], start) if touched else None


def speaker_of_partial_quote(reader: _Reader, sentence: Parsed, start: int) -> Attribution | None:
    """A few quoted words inside a sentence with no speech verb: the person the sentence's main clause is about.

    "Babar pondered who might "testify for our innocence"": the subject of the main verb chose the words.
    """
    if sentence.start >= start - 1:
        return None  # the quotation opens the sentence: not a partial quote
    root = next((t for t in sentence.doc if t.dep_ == "ROOT"), None)
    subject = speaker_from_subject(root) if root is not None and root.pos_ in ("VERB", "AUX") else None
    if subject is None or reader.inside(sentence.start + subject.idx):
        return None
    found = reader._phrase(subject, sentence, reader.index.at(sentence.start) or 0)
    return found if found is not None and found.method in ("explicit", "pronoun") else None


def attribution_after_question(reader: _Reader, last: Parsed, end: int) -> Attribution | None:
    """The attribution right after a quotation that ends in ? or ! and so closes its sentence.

    ``"... do you need?" Weaver said.`` splits into two sentences; the second one is the attribution.
    """
    index = reader.index.at(last.start) or 0
    if last.end > end + 2 or index + 1 >= len(reader.parsed):
        return None
    following = reader.parsed[index + 1]
    if following.paragraph != last.paragraph or following.start > last.end + 2:
        return None
    for token in following.doc[:6]:
        if is_cue(token) and (found := reader.acts.get(following.start + token.idx)) is not None:
            return found
    return None


def speaker_of_previous_sentence(reader: _Reader, start: int) -> Attribution | None:
    """A quotation that opens its sentence after one reporting a speech act ("Lynch announced X. "We ...")."""
    index = reader.index.at(start)
    if index is None or index == 0 or reader.parsed[index].start < start - 1:
        return None
    before = reader.parsed[index - 1]
    if before.paragraph != reader.parsed[index].paragraph or any(
        reader.inside(before.start + t.idx) for t in before.doc
    ):
        return None
    acts = [a for position, a in reader.acts.items() if before.start <= position < before.end]
    return acts[-1] if acts else None


def speaker_before_colon(reader: _Reader, sentence: Parsed, start: int) -> Attribution | None:
    """A quote introduced by its speaker and a colon: ``Trump: "We will win"``, or a sentence ending in ":"."""
    before = sentence.doc.text[: max(start - sentence.start - 1, 0)].rstrip()
    if before.endswith(":"):
        for token in reversed(sentence.doc[: len(sentence.doc)]):
            if sentence.start + token.idx < sentence.start + len(before) - 1:
                person = reader.people.at(sentence.start + token.idx)
                if person is not None:
                    return Attribution(person.name, "explicit")
        return None
    if before:
        return None
    index = reader.index.at(sentence.start) or 0
    if index > 0 and reader.parsed[index - 1].doc.text.rstrip().endswith(":"):
        introducing = reader.parsed[index - 1]
        for token in introducing.doc:
            if token.dep_ == "ROOT" and (found := _act_of_root(reader, introducing, token)) is not None:
                return found
    return None


def _act_of_root(reader: _Reader, sentence: Parsed, root: Token) -> Attribution | None:
    subject = speaker_from_subject(root)
    if subject is None:
        return None
    return reader._phrase(subject, sentence, reader.index.at(sentence.start) or 0)


def continues(text: str, index: SentenceIndex, previous_end: int, start: int) -> bool:
    """A quotation right after an attributed one (at most one sentence between), or the next paragraph of it.

    A quotation left open at the end of its paragraph continues in the next one that opens with a
    quotation mark: the newspaper convention for a long quotation.
    """
    if index.between(previous_end, start) <= 1:
        return True
    gap = text[previous_end:start]
    return text[previous_end : previous_end + 1] in ("\n", "") and gap.count("\n") == 1 and len(gap.strip()) <= 1
