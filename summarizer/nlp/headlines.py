"""A headline in the lead's own words: its main clause, at a headline's length.

A lead cut at its last comma or dash within a headline's length reads well when what comes
before the cut is the main clause ("Gary Locke will be confirmed as Kilmarnock's manager on
Friday - exactly eight weeks after ..."), and as a fragment when it is a phrase set before it
("With the new film released this week, ..."; "The last time Jordan spoke with his son, ...").
The parse tells them apart: the cut must keep the main verb, its subject and what completes the
verb. Where no cut does, the lead's gist within a headline's length is the headline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from summarizer.nlp.deletions import past_dateline, spaced_dash
from summarizer.nlp.readable import FINITE_TAGS, SUBJECTS, marks_balanced

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

HEADLINE_WORDS = 16  # a headline's length, the lead's or a model's
_MIN_WORDS = 5  # a shorter cut says too little to be a headline
_CUTS = (",", ";", ":")  # and a spaced dash, not the hyphen of "ear-to-ear"
_COMPLETING = ("dobj", "attr", "acomp", "oprd", "xcomp", "ccomp", "dative")  # a verb without these states nothing


def headline(doc: Doc, gist_within: Callable[[int], str]) -> str:
    """The sentence if short, else up to its last cut that keeps the main clause whole, else its gist, or "".

    All within ``HEADLINE_WORDS`` (a longer headline is a lead, and the caller has the lead);
    ``gist_within(words)`` is the sentence's gist within so many words.
    """
    filed, root = past_dateline(doc)
    if root is None:
        return ""
    start = max(filed, default=-1) + 1
    whole = doc[start:].text
    if len(whole.split()) <= HEADLINE_WORDS:
        return whole  # a short lead is its own headline
    needed = [c for c in root.children if c.dep_ in (*SUBJECTS, *_COMPLETING)]
    end = max((c.right_edge.i for c in needed), default=root.i)
    within = doc[end + 1 : start + 3 * HEADLINE_WORDS]  # a cut further on leaves more words than a headline has
    cuts = [t for t in within if t.text in _CUTS or spaced_dash(t)]
    for cut in reversed(cuts):
        text = doc[start : cut.i].text
        fits = _MIN_WORDS <= len(text.split()) <= HEADLINE_WORDS and marks_balanced(text)
        if fits and not _subjectless_clause(doc[cut.i + 1 :]):
            return text + "."
    short = gist_within(HEADLINE_WORDS)
    return short if len(short.split()) <= HEADLINE_WORDS else ""


def _subjectless_clause(rest: Span) -> bool:
    """What follows the cut has a tensed verb of no subject: the main clause's, its subject misread.

    The parse took the subject for part of the phrase before the cut ("The last time Lind spoke
    with his sister, Anna Lind was sailing ...": "Anna Lind" as the sister's apposition).
    """
    return any(
        t.tag_ in FINITE_TAGS and not any(c.dep_ in SUBJECTS for c in (t.head if t.dep_ == "aux" else t).children)
        for t in rest
    )
