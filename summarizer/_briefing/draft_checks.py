"""Why a draft's text cannot be shown as written, and the repairs of style that need no re-ask.

A problem (no sentence cited, numbers or words the article does not hold, stray markup) is a
reason to re-ask the model, then to drop the item; a matter of style (a key point that copies
its sentence or runs long) is repaired here, at a clause or sentence boundary, never mid-word.
The draft models of :mod:`summarizer._briefing.drafts` run these checks on validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from summarizer._briefing.key_sentences import COPIES, shortened
from summarizer.grounding import GroundedText, content_words, missing_numbers
from summarizer.ingest.sentences import split_sentences
from summarizer.nlp.copying import copies

if TYPE_CHECKING:
    from summarizer.claims.checker import ClaimChecker

# Lengths are checked after the answer is written, never imposed by the grammar mid-word.
POINT_WORDS, STANCE_WORDS = 25, 20


@dataclass(frozen=True)
class BriefingGround:
    """What a briefing's draft is checked against: the article and what the NLP stage found in it.

    ``offered`` holds the ids of the sentences the model was shown to compress (None when it saw
    the whole article): their key points must then keep to those sentences' own words, bar the
    article's names (a compression may say "Locke" where its sentence said "he"). ``gists`` are
    the sentences' main clauses, what a failed compression falls back to. ``claims`` checks what
    the model writes against the article's parse (None: no such check, as in unit tests of the rest).
    """

    article: GroundedText
    names: frozenset[str] = frozenset()
    offered: tuple[int, ...] | None = None
    gists: dict[int, str] = field(default_factory=dict)
    claims: ClaimChecker | None = None

    @property
    def citable(self) -> dict[int, set[str]]:
        """Content words of each sentence a key point may cite."""
        words = self.article.sentence_words
        return words if self.offered is None else {i: words[i] for i in self.offered if i in words}


def within_limit(text: str, max_words: int, cut: Callable[[str, int], str | None]) -> str:
    """``text`` if it is short enough, else cut by ``cut`` at a clause or sentence boundary, else whole.

    Never cut mid-word or mid-clause: a long text that no boundary shortens is better shown whole.
    """
    if len(text.split()) <= max_words:
        return text
    return cut(text, max_words) or text


def first_sentences(text: str, max_words: int) -> str | None:
    """The leading whole sentences of ``text`` within ``max_words`` words; None if the first is longer."""
    kept: list[str] = []
    for sentence in split_sentences(text):
        if len(" ".join([*kept, sentence.text]).split()) > max_words:
            break
        kept.append(sentence.text)
    return " ".join(kept) or None


def repaired_point(text: str, cited: list[int], ground: BriefingGround) -> str | None:
    """A key point that copies its sentence or runs long, said by the sentence's gist or cut at a clause.

    The gist comes first when it is shorter than the sentence (a gist near the whole sentence
    repairs no copy); then ``text`` cut at a clause boundary; a long ``text`` that no boundary
    shortens takes the gist even so, since a key point past ``POINT_WORDS`` is never shown.
    None when nothing fits: the point is then dropped, not shown whole.
    """
    gist = ground.gists.get(cited[0], "") if cited else ""
    fits = bool(gist) and len(gist.split()) <= POINT_WORDS
    sentence = ground.article.text_of(cited[0]) if cited else text
    if fits and len(gist.split()) <= 0.8 * len(sentence.split()):
        return gist
    return shortened(text, POINT_WORDS) or (gist if fits else None)


def too_long(text: str) -> str:
    """The problem of a key point that :func:`repaired_point` could not bring within ``POINT_WORDS``."""
    return f"is {len(text.split())} words long and cannot be shortened; say one fact in 20 words"


def copied_sentence(text: str, ground: BriefingGround) -> int | None:
    """The sentence ``text`` copies (nine in ten of its content words), if any."""
    words = content_words(text)
    for sentence_id, sentence in ground.article.sentence_words.items():
        if words and len(words & sentence) / len(words) >= 0.9 and len(sentence) <= 1.6 * len(words):
            return sentence_id
    return None


def fewer_copies(
    ids: Sequence[int], gists: Mapping[int, str], tight: Mapping[int, str], article: GroundedText
) -> dict[int, str]:
    """The gists of key sentences ``ids``, those past the share of copies a briefing allows said tighter.

    A short sentence's gist is the sentence itself, and a whole sentence is the best key point
    there is, but a briefing made of copies tells a reader nothing the article's lead does not:
    up to ``COPIES`` of the key points stay whole (first those with no tight gist, which the selection
    admitted within that share, then the earliest), the others take their sentence's tight gist.
    """
    copied = [i for i in ids if copies(gists.get(i, ""), article.text_of(i))]
    whole = [i for i in copied if not tight.get(i)]  # the selection let these in within the share
    whole += [i for i in copied if tight.get(i)][: max(0, int(COPIES * len(ids)) - len(whole))]
    return {i: tight[i] if i in copied and i not in whole else text for i, text in gists.items()}


STRAY = re.compile(r'[{}\[\]<>]|\\"|",\s*"')


def prose_problem(text: str, ground: BriefingGround) -> str | None:
    """Why a prose field cannot be shown: empty (or too long to cut), stray JSON or markup, invented numbers."""
    if not text:
        return "must not be empty"
    if STRAY.search(text):
        return "carries stray JSON or markup; write plain prose"
    absent = missing_numbers(text, ground.article.text)
    if absent:
        return f"has numbers the article does not state: {absent}"
    return claim_problem(text, ground)


def claim_problem(text: str, ground: BriefingGround) -> str | None:
    """What the claim checker finds the article contradicts or lacks in ``text``, or None.

    A title-case headline is read in sentence case first (:func:`sentence_case`).
    """
    if ground.claims is None:
        return None
    found = ground.claims.problems(sentence_case(text, ground.claims.ground.names) if title_case(text) else text)
    return f"is not what the article says: {'; '.join(found)}" if found else None


def title_case(text: str) -> bool:
    """A headline in title case: its parse would read every word as a name."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) > 2 and sum(w[0].isupper() for w in words) > 0.7 * len(words)


def sentence_case(text: str, names: frozenset[str]) -> str:
    """``text`` with the capitals a title-case writer added lowered: the first word and the article's names keep theirs.

    ``names`` are the name words the NLP stage found in the article (lower case), so "Biden
    Administration Says" reads "Biden administration says" and parses as a sentence.
    """
    words = text.split()
    kept = [w if i == 0 or re.sub(r"'s$|\W", "", w.lower()) in names else w.lower() for i, w in enumerate(words)]
    return " ".join(kept)


def point_style(text: str, cited: list[int], ground: BriefingGround) -> str | None:
    """Why a grounded key point is not yet a good one (too long, a copied sentence, a quotation), or None."""
    words = content_words(text)
    if len(text.split()) > POINT_WORDS:
        return f"is {len(text.split())} words long; say its main fact in at most 20 words"
    copied = copied_sentence(text, ground)
    if copied is not None:
        return f"copies sentence S{copied}; keep only its main fact, in fewer words"
    quoted = {w for q in ground.article.quotes for w in content_words(q.text)
              if any(ground.article.sentence_ids_between(q.start, q.end).count(i) for i in cited)}  # fmt: skip
    if words and len(words & quoted) / len(words) >= 0.6:
        return "repeats a quotation; state the fact it reports instead"
    return None


def point_problem(text: str, ids: list[int], ground: BriefingGround) -> str | None:
    """Why a key point citing ``ids`` is not grounded (bad ids, numbers or words its sentences lack), or None."""
    issue = ids_problem(ids, ground.article)
    if issue:
        return issue
    if ground.offered is not None and not set(ids) <= set(ground.offered):
        return f"cites sentences it was not given: {sorted(set(ids) - set(ground.offered))}"
    evidence = " ".join(ground.article.text_of(i) for i in ids)
    absent = missing_numbers(text, evidence)
    if absent:
        return f"has numbers its sentences do not contain: {absent}"
    if ground.offered is not None:
        foreign = sorted(foreign_words(text, evidence, ground.names))
        if foreign:
            return f"uses words its sentence does not contain: {foreign}; use the sentence's own words"
    return claim_problem(text, ground)


def foreign_words(text: str, source: str, names: frozenset[str]) -> set[str]:
    """Content words of ``text`` that neither ``source`` (by stem) nor the article's names hold."""
    stems = {_stem(w) for w in content_words(source)}
    return {w for w in content_words(text) if _stem(w) not in stems and w not in names}


def _stem(word: str) -> str:
    """A crude stem: "rises", "rising", "rose" do not all meet, but "talks"/"talked"/"talking" do."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stance_problem(stance: str) -> str | None:
    """Why ``stance`` is no position (small models put a title there: "President", "leader"), or None."""
    words = stance.split()
    if len(words) < 3:
        return f"{stance!r} is too short to state a position"
    if all(w[:1].isupper() or w.lower() in {"of", "the", "and", "for", "to"} for w in words):
        return f"{stance!r} reads as a title, not a position"
    return None


def ids_problem(ids: list[int], article: GroundedText) -> str | None:
    """Why ``ids`` cannot be cited: none given, sentences that do not exist or are withheld; else None."""
    if not ids:
        return "cites no sentence"
    missing = [i for i in ids if article.sentence_text(i) is None]
    if missing:
        return f"cites sentences that do not exist: {missing} (valid ids are 1-{len(article.sentences)})"
    withheld = [i for i in ids if i in article.withheld]
    if withheld:
        return f"cites withheld sentences: {withheld}"
    return None
