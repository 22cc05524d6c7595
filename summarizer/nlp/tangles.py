"""Where a parse is tangled: an arc reaching over words that do not depend on its head.

The small parser sometimes gives a clause or phrase to a word across others that belong
elsewhere. Deleting what lies between would then glue the far word to the near one, so the
deletions (:mod:`summarizer.nlp.deletions`) leave such stretches alone; a verb given away from
the noun it follows stays with that noun, and goes with it when the phrase holding the noun was
a clause the parser read as a phrase ("after a report found that ...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBORDINATORS = ("before", "after", "since", "until", "till")  # prepositions that also open a clause


def tangled(doc: Doc) -> list[tuple[set[int], set[int]]]:
    """Where the parse is tangled: the words between a head and a dependent it reached across them, and the two ends.

    An arc over words that do not depend on its head ("taken officers [on a wild chase back into
    D.C.] that ended", the clause given to "officers"), or a verb with two objects ("urged Villa to
    man up as he labelled their clash QPR the club's 'biggest game'") is a misparse: deleting
    what lies between would glue the far word to the near one ("officers that ended"), so the
    phrases there stay unless the whole arc goes with them.
    """
    tangles: list[tuple[set[int], set[int]]] = []
    sizes = _subtree_sizes(doc)
    for head in doc:
        if sizes[head.i] == head.right_edge.i - head.left_edge.i + 1:
            continue  # its subtree is one stretch of words: none of its arcs crosses another word
        below = {t.i for t in head.subtree}
        for child in head.children:
            low, high = sorted((head.i, child.i))
            crossed = set(range(low + 1, high)) - below
            if crossed:
                tangles.append((crossed, {low, high}))
    for verb in doc:
        objects = [c.i for c in verb.children if c.dep_ == "dobj"]
        if len(objects) > 1:
            tangles.append((set(range(objects[0] + 1, objects[-1])), {objects[0], objects[-1]}))
    for participle in doc:
        if _predicates_noun_before(participle):
            pair = {participle.i - 1, participle.i}
            tangles.append((pair, pair))
    return tangles


def _predicates_noun_before(token: Token) -> bool:
    """A bare verb right after a noun, given to a verb further back: in truth said of that noun.

    "shooting with his eyes closed", "left attendees amused", "before the first ferry arrived":
    the parser hangs the participle or verb on the main verb, but the noun and it are one small
    clause; deleting either alone turns the fact around ("shooting with his eyes") or glues words
    ("finish the pier arrived"). An -ing form after a noun is as often the subject's ("in his yard
    making noise", "through his problems saying: ..."): not this.
    """
    if token.i == 0 or token.dep_ not in ("advcl", "acl") or token.tag_ not in ("VBN", "VBD"):
        return False
    noun = token.doc[token.i - 1]
    opens_itself = token.left_edge.i == token.i  # no marker ("as", "when") and no subject of its own
    return noun.pos_ in ("NOUN", "PROPN") and token.head.i != noun.i and opens_itself


def misread_clause(token: Token) -> set[int]:
    """The verb a preposition's object was the subject of, when the preposition also opens clauses.

    "before the first ferry of the season arrived", "after a report found that ...": the parser
    reads "before" as a preposition and gives the verb to the main clause; the clause goes whole.
    """
    if token.dep_ != "prep" or token.lower_ not in _SUBORDINATORS:
        return set()
    after = token.right_edge.i + 1
    verb = token.doc[after] if after < len(token.doc) else None
    return {t.i for t in verb.subtree} if verb is not None and _predicates_noun_before(verb) else set()


def _subtree_sizes(doc: Doc) -> list[int]:
    """How many words each token's subtree holds, leaves first: linear even in a sentence of thousands of words."""
    heads = [t.head.i for t in doc]
    waiting = [0] * len(doc)  # children not yet added to each token's size
    for i, head in enumerate(heads):
        waiting[head] += head != i
    sizes = [1] * len(doc)
    done = [i for i in range(len(doc)) if not waiting[i]]
    while done:
        i = done.pop()
        head = heads[i]
        if head != i:
            sizes[head] += sizes[i]
            waiting[head] -= 1
            if not waiting[head]:
                done.append(head)
    return sizes
