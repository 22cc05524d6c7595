"""Speech acts in a dependency parse: which tokens report speech, and which token is their speaker.

These are the sentence-level rules of attribution, each a small function named for the convention
it encodes (the subject of a speech verb, the object of "according to", an inverted "said Mr. X").
They look at one sentence's tokens only; :mod:`summarizer.nlp.speakers` walks the article with
them, resolving pronouns and descriptions and carrying a speaker from one quotation to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from summarizer.nlp.parsed import Parsed
from summarizer.nlp.people import without_titles

if TYPE_CHECKING:
    from spacy.tokens import Token

# The reporting verbs of news English (lemmas). Syntax decides which verb governs a quotation;
# this list only tells a speech act from other verbs when a partial quotation sits deep in a clause.
SPEECH_VERBS = frozenset(
    "say tell add note state warn explain argue write ask continue insist acknowledge admit reply respond claim "
    "declare announce observe remark suggest emphasize emphasise stress comment recall confirm concede predict "
    "urge caution contend maintain reiterate post tweet testify agree complain vow pledge boast call describe "
    "joke quip muse shout scream yell whisper mutter exclaim laugh sigh tout promise threaten assert allege "
    "report brag counter retort lament deny dismiss accuse conclude mock blast slam praise hail label dub "
    "characterize characterise brand term proclaim interject chime instruct read find show".split()
)
SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def is_cue(token: Token) -> bool:
    """A speech verb, or the "according" of "according to".

    A verb governing another verb's infinitive ("continued to send", "began to") is not speech.
    """
    if is_according_to(token):
        return True
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_VERBS:
        return False
    return not any(c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in token.children)


def is_according_to(token: Token) -> bool:
    """The "according" of "according to X"."""
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def governing_cue(sentence: Parsed, start: int, end: int, inside: Callable[[int], bool]) -> Token | None:
    """The speech verb outside the quote that the quoted words hang from (nearest in the tree)."""
    best: tuple[int, Token] | None = None
    for token in sentence.doc:
        if not start <= sentence.start + token.idx < end:
            continue
        for depth, ancestor in enumerate(token.ancestors):
            if not inside(sentence.start + ancestor.idx) and is_cue(ancestor):
                if best is None or depth < best[0]:
                    best = (depth, ancestor)
                break
    return best[1] if best else None


def nearest_cue(sentence: Parsed, start: int, end: int, inside: Callable[[int], bool]) -> Token | None:
    """A speech verb elsewhere in the sentence, outside quotes: the parse hung it on the quote instead."""
    cues = [t for t in sentence.doc if not inside(sentence.start + t.idx) and is_cue(t)]
    if not cues:
        return None
    return min(cues, key=lambda t: _distance(sentence.start + t.idx, start, end))


def _distance(position: int, start: int, end: int) -> int:
    return start - position if position < start else position - end if position > end else 0


def speaker_from_subject(verb: Token) -> Token | None:
    """The subject of ``verb``; for a verb without one ("..., adding", "and said"), its governing verb's.

    A participle modifying a noun ("De Blasio, speaking on radio, called ...") and a relative clause
    ("Mike Pence, who called him ...") speak for the noun they modify; an inverted attribution
    ("...," recalled Mr. Rhodes) is often parsed with the speaker as an object after the verb.
    """
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head  # "who called": the person the clause is about
            return subject
        for child in verb.children:
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            return verb.head
        if (inverted := speaker_after_verb(verb)) is not None:
            return inverted
        if verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def speaker_after_verb(verb: Token) -> Token | None:
    """The speaker of an inverted attribution ("...," said Mr. Rhodes), parsed as an object."""
    if verb.i == 0 or not (verb.doc[verb.i - 1].is_quote or verb.doc[verb.i - 1].text in ("\u201d", "''")):
        return None  # only right after the closing mark: "...," recalled Mr. Rhodes
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "oprd", "appos") and child.pos_ in ("PROPN", "NOUN"):
            return child
    return None


def speaker_from_according_to(cue: Token) -> Token | None:
    """The object of "according to"."""
    for to in cue.children:
        if to.lower_ == "to":
            objects = [c for c in to.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
    return None


def phrase_text(head: Token) -> str:
    """The noun phrase as written, up to a relative clause, an apposition or a comma ("a lawyer in Orlando")."""
    kept = [t for t in head.subtree if not _in_clause(t, head)]
    while kept and not kept[-1].text[0].isalnum():
        kept.pop()
    while kept and not kept[0].text[0].isalnum():
        kept.pop(0)
    if not kept:
        return ""
    end = kept[0].i
    while end + 1 <= kept[-1].i and end + 1 - kept[0].i < 12 and any(t.i == end + 1 for t in kept):
        end += 1  # stop at the first word left out: the phrase stays one stretch of the article
    return head.doc[kept[0].i : end + 1].text


def _in_clause(token: Token, head: Token) -> bool:
    while token.i != head.i:
        if token.dep_ in ("relcl", "acl", "appos", "punct", "advcl", "cc", "conj"):
            return True
        token = token.head
    return False


def proper_name(head: Token) -> str:
    """A proper noun with its compound words, titles left out: "Maryam Violet"."""
    words = [t for t in head.subtree if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < head.i]
    return without_titles(" ".join(t.text for t in [*words, head]), set())


def appositions(head: Token) -> list[Token]:
    """The words set beside a noun that can name the same person: appositions and compounds."""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ in ("appos", "compound"):
            found += [child, *child.subtree]
    return found
