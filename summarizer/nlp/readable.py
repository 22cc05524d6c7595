"""Whether a key point reads as a sentence: a subject, a finite verb, no dangling pronoun, quotes in pairs.

A compression by deletion can leave what no reader would accept as a statement of fact: a
subjectless fragment ("Was quick to note the scrutiny ..."), a clause with no finite verb ("The
former Hearts boss being given a three-year deal"), a pronoun whose referent stayed behind in
another sentence ("It is not hard to see why."), half a quotation. These checks read the parse
of the words a key point keeps; the compression runs them on its own output and gives up rather
than ship a failure, and the tests and the key-facts benchmark run them on a fresh parse of
every key point.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from summarizer.ingest.quotes import mark_role
from summarizer.nlp.speech import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Verb tags of a finite form (Penn Treebank): past, present, and the modals.
FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
# A straight single mark that opens a quotation: at a word's start after a space, bracket or
# double mark, before a letter ("'90s" and "don't" are no quotation) ...
_OPENS_SINGLE = re.compile(r"(?:^|(?<=[\s(\[\"\u201c]))'(?=[^\W\d_])")
# ... and one that closes it: at a word's end, before a space, punctuation or the end.
_CLOSES_SINGLE = re.compile(r"(?<=[\w.,!?])'(?=[\s.,;:!?)\]\"\u201d]|$)")
_DOUBLE = re.compile("\u201c|\u201d|''")
# Words that refer back to something the key point does not name: a reader of the point alone is lost.
_ANAPHORS = ("he", "she", "it", "they", "him", "her", "his", "hers", "its", "their", "them", "this", "these",
             "those", "that", "there", "we", "i", "you", "us", "our", "my", "your")  # fmt: skip
# "Ramsey pictured on the touchline": a caption, though the tagger reads a past tense; "was pictured
# leaving" (an auxiliary) and "pictured the scene" (an object) state something
_CAPTION_VERBS = ("picture", "photograph")
_CAPTION_NOT = ("aux", "auxpass", "dobj")
_FUNCTION_WORDS = ("DET", "PRON", "ADP", "ADV", "AUX", "SCONJ", "CCONJ")  # no sentence has one capitalised mid-way


def finite(verb: Token, kept: set[int]) -> bool:
    """The verb is finite itself ("voted") or through a kept auxiliary ("will be confirmed")."""
    if verb.tag_ in FINITE_TAGS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS and c.i in kept for c in verb.children)


def clause_problem(doc: Doc, root: Token, kept: Sequence[Token], named: Collection[int] = ()) -> str | None:
    """Why the kept tokens of ``doc`` around ``root`` are no sentence, or None.

    ``named`` holds the indexes of tokens the compression replaces by a name (a resolved
    pronoun or description): they no longer dangle.
    """
    indexes = {t.i for t in kept}
    if not kept or root.i not in indexes:
        return "its main verb is gone"
    if not finite(root, indexes) and not any(c.dep_ == "cop" and c.tag_ in FINITE_TAGS for c in root.children):
        return f"{root.text!r} is not a finite verb"
    subjects = [c for c in root.children if c.dep_ in SUBJECTS and c.i in indexes]
    if not subjects:
        return "it has no subject"
    if root.lemma_ in _CAPTION_VERBS and not any(c.dep_ in _CAPTION_NOT for c in root.children if c.i in indexes):
        return f"it is a photo's caption ({root.text!r} with no auxiliary or object says what a picture shows)"
    if _posed(root, subjects):
        return f"it is a photo's caption (people named together who {root.text!r}, in the present tense)"
    if _run_on(kept):
        return "it runs two sentences together (a caption without its full stop)"
    last = next((t for t in reversed(kept) if not t.is_punct), None)
    if last is not None and (last.tag_ == "PRP$" or last.dep_ == "cc"):  # "... to resolve his.", "... years, and.''"
        return f"it ends on {last.text!r}, which needs the words that followed it"
    first = next((t for t in kept if not t.is_punct), None)
    if first is None or first.i in named:
        return None
    if first.lower_ in _ANAPHORS and first.pos_ in ("PRON", "DET", "ADV"):
        return f"it opens with {first.text!r}, which refers to what it does not say"
    if first.pos_ in ("VERB", "AUX") and not first.ent_type_:
        return f"it opens with the verb {first.text!r}"
    return None


def _posed(root: Token, subjects: Sequence[Token]) -> bool:
    """People named together doing something in the present tense: what a photo shows ("A, B and C attend the launch").

    News tells what happened in the past tense and what people say or think in the present; a
    caption says what the picture shows as it happens. A verb that reports a thought or words
    ("Voss and Lind believe that ...", "say") is news, as is what people are or have.
    """
    action = root.tag_ == "VBP" and root.pos_ == "VERB" and root.lemma_ not in ("be", "have")
    if not action or root.lemma_ in SPEECH_VERBS or any(c.dep_ in ("ccomp", "xcomp") for c in root.children):
        return False
    return any(
        any(t.dep_ == "conj" for t in subject.subtree) and any(t.ent_type_ == "PERSON" for t in subject.subtree)
        for subject in subjects
    )


def _run_on(kept: Sequence[Token]) -> bool:
    """A capitalised function word mid-sentence ("... Arc de Triomphe The Togo international posted ...")."""
    return bool(seams(kept))


def seams(tokens: Sequence[Token]) -> list[int]:
    """Where a sentence run into another starts: the doc index of each capitalised function word mid-text.

    Sites run photo captions into the text without a full stop; the sentence splitter cannot see
    the seam, but a "The", "It" or "Officially" written with a capital after a word that ends
    nothing can (not "No" before a number, nor a word the entity recogniser, where it ran, read as
    the start of a name: "told The Washington Post"; nor an adverb after a capitalised word: a
    title's, "Make America Great Again"; nor a word after a possessive, which needs its noun:
    "Spain's Under 20 side").
    """
    found = []
    for before, token in zip(tokens, tokens[1:], strict=False):
        if token.is_title and token.pos_ in _FUNCTION_WORDS and token.text != "I":
            titled = token.pos_ == "ADV" and before.is_title
            owned = before.tag_ == "POS"  # "Spain's Under 20 side": the possessive needs the words after it
            excused = _numbered(token) or _names(token) or _governed(before, token) or titled or owned
            if before.text[-1:].isalnum() and not excused:
                found.append(token.i)
    return found


def _governed(before: Token, token: Token) -> bool:
    """An article opening a phrase the word before takes as its object ("told The Star-Ledger", "to The Hill").

    A verb or preposition whose object follows ends no sentence; the entity recogniser, which
    :func:`_names` reads, does not know every outlet's name.
    """
    return token.pos_ == "DET" and token.head.head == before and token.head.dep_ in ("dobj", "dative", "pobj")


def _names(token: Token) -> bool:
    """The first word of a name of several words ("The" of "The Washington Post"), by the entity recogniser.

    Read alone, a key point's parse may leave the article out of the name ("The" before the
    entity "Washington Post"): an article before a proper noun the recogniser names is its too.
    """
    following = _following(token)
    if following is None:
        return False
    inside = token.ent_iob_ == "B" and following.ent_iob_ == "I"
    return inside or token.pos_ == "DET" and following.pos_ == "PROPN" and following.ent_iob_ == "B"


def caption_seams(tokens: Sequence[Token]) -> list[int]:
    """:func:`seams`, and where a person's name follows a day, a date or a figure ("... on Sunday Gullit said").

    No name follows a date or a bare figure in a sentence; a caption, or a row of a results table
    ("... Ferrari 1:42.842 Rosberg was grim-faced"), run into the text can end with one. This
    reads the entity recogniser's labels, so only the sentence's own parse (which has them) cuts
    there; a key point's fresh parse (:func:`sentence_problem`) reads entity labels only to excuse
    (a name opening like a verb, the "The" of a name).
    """
    dated = [
        token.i
        for before, token in zip(tokens, tokens[1:], strict=False)
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B" and (
            before.ent_type_ == "DATE"
            and (before.pos_ in ("PROPN", "NUM") or before.pos_ == "NOUN" and _clause_before(before))
            or before.pos_ == "NUM" and any(c.isdigit() for c in before.text)
        )
    ]  # fmt: skip
    return sorted({*seams(tokens), *dated})


def _clause_before(token: Token) -> bool:
    """A verb before ``token``: what ends there is a clause, not an opening phrase.

    "... rides to success later this month O'Neill told" ran a caption on; "Over the past 12
    months Manny has met ..." is a sentence's own start.
    """
    return any(t.pos_ in ("VERB", "AUX") for t in token.doc[: token.i])


def _numbered(token: Token) -> bool:
    """A "No" before a number means "number" ("as No 2 under Johnston"): no sentence's first word."""
    following = _following(token)
    return token.lower_ in ("no", "no.") and following is not None and following.like_num


def _following(token: Token) -> Token | None:
    """The token after ``token`` in its doc, None at the doc's end."""
    return token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None


def marks_balanced(text: str) -> bool:
    """Double marks (curly, or '' for one) paired in order, straight ones even, no single quote left open.

    A closing single mark alone may be an apostrophe ("the Joneses' boat"), so only an opening
    mark with no closing one after it is half a quotation.
    """
    doubles = not _unpaired_doubles(text) and text.count('"') % 2 == 0
    return doubles and all(_CLOSES_SINGLE.search(text, m.end()) for m in _OPENS_SINGLE.finditer(text))


def sentence_problem(doc: Doc) -> str | None:
    """Why a parsed key point does not read as one sentence of fact, or None (for tests and benchmarks).

    A fresh parse of the key point's own text: its root must be a finite verb with a subject,
    its first word no pronoun or verb, its quotation marks paired.
    """
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return "it is empty"
    if not marks_balanced(doc.text):
        return "its quotation marks are unbalanced"
    return clause_problem(doc, roots[0], list(doc))


def _unpaired_doubles(text: str) -> set[int]:
    """The characters of the double marks - curly, or two apostrophes written for one - that pair with none.

    They pair by nesting. A curly mark says whether it opens; two apostrophes open or close by
    what stands either side of them (:func:`summarizer.ingest.quotes.mark_role`, the quote
    finder's own rule), and one that could do either opens unless a quotation is open.
    """
    unpaired: set[int] = set()
    opened: list[range] = []
    for match in _DOUBLE.finditer(text):
        at, mark = match.start(), match.group()
        role = "open" if mark == "\u201c" else "close" if mark == "\u201d" else mark_role(text, at, match.end())
        if role == "open" or role == "either" and not opened:
            opened.append(range(at, match.end()))
        elif opened:
            opened.pop()
        else:
            unpaired.update(range(at, match.end()))
    return unpaired.union(*opened)


def without_unpaired_marks(text: str) -> str:
    """Quotation marks whose partner the compression deleted: a key point never opens a quote it does not close.

    Double marks - curly, or two apostrophes written for one ("''", NYT style) - pair by nesting;
    an opening single mark needs a closing one after it (a closing single mark may be an
    apostrophe, "voters\u2019 trust", so it stays); of an odd number of straight double marks,
    the last has lost its partner.
    """
    unpaired = _unpaired_doubles(text)
    unpaired.update(i for i, ch in enumerate(text) if ch == "\u2018" and "\u2019" not in text[i + 1 :])
    straight = [i for i, ch in enumerate(text) if ch == '"']
    if len(straight) % 2:
        unpaired.add(straight[-1])
    return "".join(ch for i, ch in enumerate(text) if i not in unpaired)
