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

from summarizer.nlp.deletions import bracketed, glued_conjuncts, list_number, optional, past_dateline, strands
from summarizer.nlp.delimiters import whole_quotations, with_delimiters
from summarizer.nlp.readable import SUBJECTS, clause_problem, marks_balanced, without_unpaired_marks
from summarizer.nlp.speech import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from summarizer.nlp.subjects import Named

GIST_WORDS = 24  # what a key point aims at: phrases go, least informative first, until it fits
MAX_WORDS = 25  # a key point's ceiling: a sentence that no deletion brings under it gives no gist
MIN_WORDS = 6  # fewer words keep no fact worth a key point ("Locke had been working.")
_OPENING_MARKS = ("\u201c", '"', "\u2018")
_PHRASES = ("prep", "advmod", "npadvmod", "agent", "dative")  # what a gist may take back once it fits
_CONTENT = ("NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM")


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
    filed, root = past_dateline(doc)
    if root is None:
        return ""
    dropped: set[int] = set() if quote_from is None else {t.i for t in doc if t.idx >= quote_from - 1}
    speech = {t.i for t in doc for start, end in quoted if start <= t.idx < end}
    root = _reported(root, dropped, speech, {i for n in named for i in range(n.first, n.last + 1)})
    if root.i in dropped:
        return ""
    dropped |= bracketed(doc) | filed | {t.i for t in doc if t.i < root.left_edge.i or t.i > root.right_edge.i}
    taken: list[set[int]] = []
    ranked = optional(doc, root, dropped)
    for index, (rank, chunk) in enumerate(ranked):
        if rank >= 0 and _words(doc, dropped, named) <= max_words:
            break
        left = _words(doc, dropped | chunk, named)
        if left < MIN_WORDS or rank >= 0 and strands(doc, dropped, chunk):
            continue  # a phrase that is most of the fact, or all a verb's complement: smaller ones go instead
        # a set-off aside and a phrase framing the clause go first, always; a trailing phrase when nothing less will do
        if rank >= 2 and min(chunk) > root.i and left <= max_words:
            chunk = _least_loss(doc, dropped, [chunk, *(c for r, c in ranked[index + 1 :] if r >= 0)], max_words, named)
        gone = with_delimiters(doc, chunk) - dropped
        dropped |= gone
        taken += [gone] if rank >= 0 else []
    dropped = _refilled(doc, dropped, taken, max_words, named)
    dropped = whole_quotations(doc, dropped, quoted)
    # a conjunct left glued goes, and a quotation it was part of with it ("sprang into action '?'")
    dropped = whole_quotations(doc, dropped | glued_conjuncts(doc, dropped), quoted)
    if any(doc[i].dep_ == "neg" and doc[i].head.i not in dropped for i in dropped):
        return ""  # a quotation left out took a kept verb's "not" with it: "he was on supporting Ryan"
    kept = _trimmed([t for t in doc if t.i not in dropped])
    substitutes = _said_by_name(doc, root, named, dropped)
    if len(kept) < MIN_WORDS or clause_problem(doc, root, kept, substitutes.keys()) or _unsaid(root, kept, quote_from):
        return ""
    text = _joined(kept, substitutes)
    if not marks_balanced(text) or len(text.split()) > MAX_WORDS:
        return ""
    ended = text.rstrip("'\"\u2019\u201d").endswith((".", "!", "?"))  # "... on the train?'" needs no full stop
    return text[:1].upper() + text[1:] + ("" if ended else ".")


def _least_loss(
    doc: Doc, dropped: set[int], chunks: list[set[int]], max_words: int, named: Sequence[Named]
) -> set[int]:
    """Of the phrases that would each bring the sentence within ``max_words``, the one whose loss is least.

    The deletion order says what is detail, but the phrase that finally makes a sentence fit may
    be a whole clause when a two-word phrase after it would do ("... when he slipped and fell 12ft
    into the pit on Saturday": "on Saturday" goes, not the fall). Loss counts the words a reader
    would miss: names and numbers twice, content words once, function words a little.
    """
    sufficient = [
        c for c in chunks
        if MIN_WORDS <= _words(doc, dropped | c, named) <= max_words and not strands(doc, dropped, c)
        and not c & dropped
    ]  # fmt: skip
    return min(sufficient, key=lambda c: (_loss(doc, c - dropped), -min(c))) if sufficient else chunks[0]


def _loss(doc: Doc, chunk: set[int]) -> float:
    """What deleting ``chunk`` takes from a reader: names and numbers count most, function words least."""
    tokens = [doc[i] for i in chunk if not doc[i].is_punct]
    return sum(2.0 if t.like_num or t.ent_type_ else 1.0 if t.pos_ in _CONTENT else 0.3 for t in tokens)


def _refilled(doc: Doc, dropped: set[int], taken: list[set[int]], max_words: int, named: Sequence[Named]) -> set[int]:
    """``dropped`` with phrases the compression took given back, the last taken first, while they fit.

    A phrase goes whole, so the one that brings a sentence within ``max_words`` can take it far
    below; the smaller ones taken before it, each a fact of the sentence, come back while the
    words allow. Only phrases come back, never a clause ("and could leave", an apposition the
    parse hung on the wrong noun), and none whose head stayed dropped: every word keeps its head.
    """
    for chunk in reversed(taken):
        back = dropped - chunk
        tops = [doc[i] for i in chunk if not doc[i].is_punct and doc[i].head.i not in chunk]
        phrases = all(t.dep_ in _PHRASES and t.head.i not in back for t in tops)
        if tops and phrases and _words(doc, back, named) <= max_words:
            dropped = back
    return dropped


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
        nominal = own is not None and own.pos_ not in ("PRON", "DET")
        asked = clause.left_edge.tag_ in ("WP", "WRB", "WDT")  # "It's amazing what make-up can do": no finding
        if clause.dep_ == "ccomp" and clause.i > root.i and nominal and not asked:
            dropped |= {t.i for t in root.doc if not clause.left_edge.i <= t.i <= clause.right_edge.i}
            return clause
    return root


def _unsaid(root: Token, kept: Sequence[Token], quote_from: int | None) -> bool:
    """Who spoke is kept but not what ("As the ferry sank, Mr. Lind said."): it reads as if they said the rest.

    A quotation running on past the sentence (from ``quote_from``) is cut off, and with it what a
    verb of speech reports; so is what it reports when every clause of it went (a long quotation
    left out whole: "In addition, he suggested.").
    """
    if root.lemma_ not in SPEECH_VERBS:
        return False
    indexes = {t.i for t in kept}
    said = [c for c in root.children if c.dep_ in ("ccomp", "dobj", "xcomp", "parataxis", "attr")]
    return (quote_from is not None or bool(said)) and not any(c.i in indexes for c in said)


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
        # "Ruiz and his deputy" stays: the person is named already ("Ruiz and Ruiz's deputy" reads as a stutter);
        # "he was deputy to Saddam" cannot mean Saddam: a pronoun never stands for another name of its own clause
        elsewhere = {t.text for t in doc if t.i not in dropped and t.i not in span}
        if (subject & set(span) or subject & {doc[i].head.i for i in span}) and not elsewhere & set(_bare(name.name)):
            found[name.first] = name
    return found


def _bare(name: str) -> list[str]:
    """The words of a name as the parse has them, a possessive ending left off ("Ruiz’s" -> "Ruiz")."""
    return name.removesuffix("\u2019s").split()


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


def _trimmed(kept: list[Token]) -> list[Token]:
    """Without the connectives and punctuation a deletion left at either end ("And ...", "... with").

    A closing quotation mark stays: it ends a quotation kept whole ("dubbed 'The Matchmaker'.").
    """
    while kept and (
        kept[-1].is_punct
        and not kept[-1].is_quote
        or kept[-1].dep_ in ("cc", "mark", "prep", "det", "aux")
        or list_number(kept[-1])
    ):
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
    text = re.sub(r"[,;:]+(['\"\u2019\u201d]+)$", r"\1", text)  # "'completely useless,'": the comma led to what went
    return re.sub(r"([,;:])(\s*[,;:])+", r"\1", text).strip(" ,;:")


def _words(doc: Doc, dropped: set[int], named: Sequence[Named]) -> int:
    """Words as a reader counts them ("five-and-a-half" is one), with each resolved subject's name."""
    extra = sum(len(n.name.split()) - len(doc[n.first : n.last + 1].text.split()) for n in named[:1])
    return len("".join(t.text_with_ws for t in doc if t.i not in dropped).split()) + extra
