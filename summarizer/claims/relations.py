"""Whether the evidence states a claim's relations as the claim does: same roles, polarity and modality.

A relation of the claim is compared with the evidence's relations of the same verb (or of a
verb the curated table says means the opposite). Only what the evidence contradicts is a
problem: a relation the evidence does not state at all is left to the word and name checks,
because summaries paraphrase ("met" for "held talks with").
"""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.claims.facts import Relation

# Verbs a summary may put for their opposite or for a stronger act (the two cases); both directions.
# Longer lists were not measured to help on faithfulness-dev: FRANK's relation errors there are rarely antonyms.
_OPPOSITES = {frozenset(pair) for pair in (("threaten", "impose"), ("deny", "admit"))}
SPEECH_VERBS = frozenset({"say", "tell", "claim", "add", "insist", "state", "warn", "write", "announce", "explain"})


def opposite(a: str, b: str) -> bool:
    """Whether verb lemmas ``a`` and ``b`` mean opposite or different acts (:data:`_OPPOSITES`)."""
    return frozenset((a, b)) in _OPPOSITES


def _agrees(claim: str, found: str) -> bool:
    return not claim or not found or claim == found


def conflicts(claim: Iterable[Relation], evidence: Iterable[Relation]) -> list[str]:
    """What the evidence contradicts in the claim's relations, one reason per relation."""
    stated = list(evidence)
    problems: list[str] = []
    for rel in claim:
        if not (rel.agent or rel.patient):
            continue
        same = [e for e in stated if e.verb == rel.verb]
        exact = [e for e in same if _agrees(rel.agent, e.agent) and _agrees(rel.patient, e.patient)]
        problem = _flip(rel, exact) if exact else _misread(rel, same, stated)
        if problem:
            problems.append(problem)
    return problems


def _shares_a_role(a: Relation, b: Relation) -> bool:
    """Whether two relations have the same subject or the same object (an empty role is no match)."""
    return bool(a.agent and a.agent == b.agent) or bool(a.patient and a.patient == b.patient)


def _flip(rel: Relation, exact: list[Relation]) -> str | None:
    """A negation or a modality the evidence does not share (only when no matching relation shares it).

    A relation under a negated verb ("not planning on seeing it") affirms nothing, so it is no
    side of a flipped negation; nor is one that agrees with the claim's only through an empty role
    (a bare "be" of someone else).
    """
    asserted = [e for e in exact if not e.hedged and _shares_a_role(rel, e)]
    if not rel.hedged and asserted and not any(e.negated == rel.negated for e in asserted):
        return f"negation flipped: the article {'affirms' if rel.negated else 'negates'} '{rel.verb}'"
    moods = {e.modality for e in exact if e.negated == rel.negated}
    if rel.modality == "certain" and moods == {"possible"}:
        return f"modality changed: the article says '{rel.verb}' only may happen"
    return None


def _misread(rel: Relation, same: list[Relation], stated: list[Relation]) -> str | None:
    """Roles swapped, another name in the subject's or the object's place, or a different act of these roles.

    A named object counts as misplaced only when no evidence relation of the verb has it, and
    one of the same subject has another name there ("promoted Preston" for "promoted Derby").
    """
    for e in same:
        if rel.agent and rel.patient and e.agent == rel.patient and e.patient == rel.agent:
            return f"roles swapped: the article has {e.agent} {rel.verb} {e.patient}, not the reverse"
    if rel.named_agent and rel.patient and not any(rel.agent in e.agents for e in same):
        for e in same:
            if e.patient == rel.patient and e.named_agent and not e.agents & rel.agents:
                return f"wrong subject: the article has {e.agent}, not {rel.agent}, {rel.verb} {rel.patient}"
    if rel.named_patient and not any(e.patient == rel.patient for e in same):
        for e in same:
            if e.named_patient and e.patient != rel.patient and _agrees(rel.agent, e.agent):
                return f"wrong object: the article has {rel.verb} {e.patient}, not {rel.patient}"
    for e in stated:
        roles_match = (rel.agent and e.agent == rel.agent) or (rel.patient and e.patient == rel.patient)
        if roles_match and opposite(rel.verb, e.verb):
            return f"wrong relation: the article says '{e.verb}', not '{rel.verb}'"
    return None
