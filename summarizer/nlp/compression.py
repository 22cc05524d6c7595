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

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

GIST_WORDS = 18
_ASIDES = ("relcl", "appos", "acl", "advcl", "parataxis", "npadvmod")
_TRIMMABLE = ("prep", "conj", "advmod", "npadvmod", "advcl", "agent", "dative")
_OPEN = (",", "(", "-", "\u2013", "\u2014", ";")
_OPENING_MARKS = ("\u201c", '"', "\u2018")


def gist(
    doc: Doc, max_words: int = GIST_WORDS, *, quote_from: int | None = None, quoted: Sequence[tuple[int, int]] = ()
) -> str:
    """The main fact of a parsed sentence, in its own words; "" when there is no clause to keep.

    ``quote_from`` is where a quotation opens that runs on past the sentence (a caption run into
    a quote, a quote continued in the next sentence): the gist ends before it, so a key point
    never carries half a quotation. ``quoted`` are the character spans, marks included, of the
    quotations the quote finder found within the sentence: each is kept whole or left out.
    """
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    dropped: set[int] = set() if quote_from is None else {t.i for t in doc if t.idx >= quote_from - 1}
    if root.i in dropped:
        return ""
    subjects = {c.i for c in root.children if c.dep_ in ("nsubj", "nsubjpass")}
    for token in doc:
        if token.i == root.i or token.i in dropped or any(token.is_ancestor(doc[s]) for s in subjects):
            continue
        if _aside(token, root):
            dropped |= _with_delimiters(doc, {t.i for t in token.subtree})
        elif token.text in "()[]":
            dropped.add(token.i)
    for chunk in _trimmable(doc, root, dropped):
        if _words(doc, dropped) <= max_words:
            break
        dropped |= _with_delimiters(doc, chunk)
    for start, end in quoted:  # a quotation is the speaker's words: kept whole or not at all
        words = {t.i for t in doc if start <= t.idx < end}
        if dropped & words and not words <= dropped:
            dropped = dropped | words if 2 * len(dropped & words) > len(words) else dropped - words
    kept = [t for t in doc if t.i not in dropped]
    while kept and (kept[-1].is_punct or kept[-1].dep_ in ("cc", "mark", "prep", "det", "aux")):
        kept.pop()
    while kept and (
        kept[0].is_punct
        and kept[0].text not in _OPENING_MARKS
        or kept[0].dep_ in ("cc", "mark")
        or kept[0].lower_ in ("and", "but", "so")
    ):
        kept.pop(0)
    if len(kept) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in kept):
        return ""
    # a gap left by a dropped phrase is one space, even where the phrase began with a comma
    text = "".join(
        t.text_with_ws if b.i == t.i + 1 else t.text + " " for t, b in zip(kept, [*kept[1:], kept[-1]], strict=True)
    )
    text = _unpaired_marks_dropped(text.strip())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[^\W\d_])", r"\1 ", text)  # "base,\u201dUS" lost its mark, not its space
    text = re.sub(r"([,;:])(\s*[,;:])+", r"\1", text).strip(" ,;:")
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _aside(token: Token, root: Token) -> bool:
    """A phrase news writing sets off as detail: a comma-delimited clause or apposition, a parenthesis."""
    if _leading_subordinate(token, root):
        return True
    if token.dep_ not in _ASIDES:
        return token.dep_ == "punct" and token.text in "()"
    before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
    after = token.doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(token.doc) else None
    set_off = before is not None and before.text in _OPEN
    if token.dep_ in ("relcl", "appos", "acl"):
        return set_off
    leading = token.left_edge.i == 0 and after is not None and after.text == ","  # "Having resolved it, Locke ..."
    return set_off or leading or token.head.i == root.i and token.i > root.i and token.dep_ == "advcl"


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


def _unpaired_marks_dropped(text: str) -> str:
    """Quotation marks whose partner the compression deleted: a key point never opens a quote it does not close.

    Curly double marks pair by nesting; an opening single mark needs a closing one after it (a
    closing single mark may be an apostrophe, "voters\u2019 trust", so it stays); of an odd
    number of straight double marks, the last has lost its partner.
    """
    unpaired: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\u201c":
            opened.append(i)
        elif ch == "\u201d":
            if opened:
                opened.pop()
            else:
                unpaired.add(i)
    unpaired.update(opened)
    unpaired.update(i for i, ch in enumerate(text) if ch == "\u2018" and "\u2019" not in text[i + 1 :])
    straight = [i for i, ch in enumerate(text) if ch == '"']
    if len(straight) % 2:
        unpaired.add(straight[-1])
    return "".join(ch for i, ch in enumerate(text) if i not in unpaired)


def _with_delimiters(doc: Doc, chunk: set[int]) -> set[int]:
    """The chunk and the commas, dashes or brackets that set it off, so none is left dangling."""
    first, last = min(chunk), max(chunk)
    around = {first - 1, last + 1} & {t.i for t in doc if t.is_punct and t.text not in ".!?"}
    return chunk | around


def _trimmable(doc: Doc, root: Token, dropped: set[int]) -> list[set[int]]:
    """Phrases that may go while the sentence is too long: rightmost first, those with names or numbers last."""
    chunks: list[tuple[bool, int, set[int]]] = []
    for token in doc:
        if token.i in dropped or token.dep_ not in _TRIMMABLE or token.i < root.i or token.tag_ == "WRB":
            continue
        if token.head.pos_ not in ("VERB", "AUX") or token.dep_ == "conj" and token.pos_ not in ("VERB", "AUX"):
            continue  # a phrase completing a noun stays ("the futures of nine players"), as does "Paris and Rome"
        subtree = {t.i for t in token.subtree} - dropped
        informative = any(t.like_num or t.ent_type_ for t in doc if t.i in subtree)
        chunks.append((informative, -token.left_edge.i, subtree))
    return [chunk for _, _, chunk in sorted(chunks, key=lambda c: (c[0], c[1]))]


def _words(doc: Doc, dropped: set[int]) -> int:
    """Words as a reader counts them: "five-and-a-half" is one, however the tokenizer split it."""
    return len("".join(t.text_with_ws for t in doc if t.i not in dropped).split())
