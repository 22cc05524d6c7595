"""The punctuation a deletion takes with it: the marks that set a phrase off, and quotations kept whole.

Deleting a phrase along the parse leaves its commas, dashes and brackets behind unless they go
with it; one of them may also close the aside before it, and then it stays. A quotation is the
speaker's words: a deletion keeps it whole or leaves it out whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SET_OFF = ("appos", "relcl", "acl", "advcl", "npadvmod", "nummod", "prep", "advmod", "parataxis")  # asides


def with_delimiters(doc: Doc, chunk: set[int]) -> set[int]:
    """The chunk and the commas, dashes or brackets that set it off, so none is left dangling.

    A middle conjunct takes its "and" with it: "joined the gym and [began training] and says" kept two.
    A comma that also closes an aside around or before the chunk stays: "Holt, the pilot at the
    docks[, who trained nine captains], said" keeps the comma after "docks", "Voss, 41[, pictured
    left], steers" the one after "41".
    """
    first, last = min(chunk), max(chunk)
    around = {first - 1, last + 1} & {t.i for t in doc if t.is_punct and t.text not in ".!?"}
    top = next(doc[i] for i in chunk if doc[i].head.i not in chunk)
    joints = [doc[i] for i in (first - 1, last + 1) if 0 <= i < len(doc) and doc[i].dep_ == "cc"]
    if top.dep_ == "conj" and len(joints) == 2 and joints[1].head == top.head:
        return chunk | {first - 1}
    if len(around) == 2 and doc[first - 1].text == doc[last + 1].text == ",":
        if _closes_aside(doc, doc[first - 2], first - 2):
            around.discard(first - 1)
        elif _closes_aside(doc, top.head, last):
            around.discard(last + 1)
    return chunk | around


def _closes_aside(doc: Doc, token: Token, end: int) -> bool:
    """An aside of ``token`` or an ancestor ends at ``end``, opened by a comma: the comma after ``end`` closes it.

    An aside is a phrase set off from its head (an apposition, a relative clause, an adverbial), not
    a subject or an object a comma happens to precede ("..., Cory James of Flint[, Michigan], said").
    """
    for phrase in (token, *token.ancestors):
        if phrase.right_edge.i != end:
            return False
        opened = phrase.left_edge.i > 0 and doc[phrase.left_edge.i - 1].text == ","
        if opened and phrase.dep_ in _SET_OFF:
            return True
    return False


def whole_quotations(doc: Doc, dropped: set[int], quoted: Sequence[tuple[int, int]]) -> set[int]:
    """``dropped`` with each quotation kept whole or left out whole, as most of its words are: they are the speaker's.

    A quotation whose introduction went (the clause up to "yelled over the intercom:"), or the word
    it hangs on ("a singer who claims the actress 'stole her chicken'"), goes too: it would read as
    the words of whatever precedes it.
    """
    for start, end in quoted:
        words = {t.i for t in doc if start <= t.idx < end}
        before = min(words, default=0) - 1
        hung = {doc[i].head.i for i in words if not doc[i].is_punct} - words
        if before >= 0 and before in dropped and doc[before].text == ":" or hung & dropped:
            dropped = dropped | words
        elif dropped & words and not words <= dropped:
            dropped = dropped | words if 2 * len(dropped & words) > len(words) else dropped - words
    return dropped
