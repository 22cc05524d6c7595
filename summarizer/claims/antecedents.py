"""Who the article's pronoun subjects stand for, so a claim that names someone else is caught.

Extractive-style summarisers copy "He trains the horse for its owner" and put a name where "he"
stood, often the wrong one (FRANK's entity and coreference errors). Each sentence's facts are
read alone (the NLP stage may read them in parallel workers), so the pronoun's person is
resolved here, over the article in order: a personal pronoun subject stands for the last named
subject before it. That is cruder than the NLP stage's resolution, and it is only used to say
whom the article does *not* mean, and to let a sentence whose "he" stands for a name hold that
name when a claim's links are looked for in one sentence ("Pell trains the horse" is not
stitched from "Jon Pell hosted reporters" and "He trains the horse").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from summarizer.claims.facts import Facts

_PERSONAL = frozenset({"he", "she"})


def resolve(sentences: Sequence[Facts]) -> list[Facts]:
    """The sentences' facts with each "he"/"she" subject named by the last named subject before it.

    A resolved relation's ``agents`` are the name's words, and the sentence's ``referred`` holds them.
    """
    last: frozenset[str] = frozenset()
    resolved: list[Facts] = []
    for facts in sentences:
        relations = []
        named: set[str] = set()
        for rel in facts.relations:
            if rel.named_agent:
                last = rel.agents
            elif rel.pronoun_agent and rel.agent in _PERSONAL and last:
                rel = replace(rel, agents=last, named_agent=True)
                named |= last
            relations.append(rel)
        resolved.append(replace(facts, relations=tuple(relations), referred=frozenset(named)))
    return resolved
