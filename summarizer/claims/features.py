"""The handful of general signs that a claim says more than, or other than, its evidence.

Each sign is measured, and each that fires says why in words a writer can act on (the checker's
``problems``, which also go back to a model that is re-asked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from summarizer.claims.evidence import Weights, coverage
from summarizer.claims.facts import Facts, Relation
from summarizer.claims.relations import SPEECH_VERBS, conflicts

ABSENCES = ("not in the article", "numbers not in the")
"""How the problems open that say the article lacks something (the others say it contradicts the claim)."""
NEAR = 0.2
"""A number the evidence lacks is the claim's still when a sentence stating it holds this share of the claim's words."""


@dataclass(frozen=True)
class Features:
    """What the comparison of a claim with its evidence found (the inputs of the verdict's score)."""

    missing_words: float  # weighted share of the claim's content words that the evidence lacks
    novel_bigrams: float  # share of the claim's word pairs the evidence never writes: how far it rewords
    missing_names: int  # name words the article never uses
    misplaced_names: int  # name words of the article that the evidence lacks
    missing_numbers: int  # values the article never states
    conflicts: int  # relations the evidence contradicts (roles, verb, negation, modality, speaker)
    unknown: int  # UNK tokens
    missing_arcs: float = 0.0  # share of the claim's word-to-word links no sentence of the article makes
    apart_arcs: float = 0.0  # share of its links whose two words no single evidence sentence holds
    single_missing: float = 0.0  # weighted share of its content words the best evidence sentence lacks
    miscounted: float = 0.0  # share of its number links to an evidence word that no evidence sentence makes
    length: float = 0.0  # its content words, in tens: the shares above say less of a short claim
    split_arcs: float = 0.0  # share of its links whose two words the evidence holds, but in no one sentence together
    fragment: float = 0.0  # 1 when no verb with a tense, modal or participle states anything ("Click here for ...")


@dataclass(frozen=True)
class Ground:
    """The article as the comparison needs it: each sentence's facts, word weights, quote speakers."""

    sentences: Sequence[Facts]
    weights: Weights
    words: frozenset[str]  # every lemma, name and lower-cased word of the article
    numbers: frozenset[Decimal]  # every value the article states
    names: frozenset[str]  # every name word of the article
    speakers: dict[int, frozenset[str]]  # sentence index -> the named speakers of its quotes
    arcs: frozenset[tuple[str, str]] = frozenset()  # every (head, dependent) link of the article's sentences


def measure(claim: Facts, evidence: list[int], ground: Ground) -> tuple[Features, list[str]]:
    """Compare ``claim`` with the evidence sentences (indexes into ``ground.sentences``)."""
    facts = [ground.sentences[i] for i in evidence]
    held = frozenset().union(*(f.lemmas | f.names for f in facts)) if facts else frozenset()
    pairs = frozenset().union(*(f.bigrams for f in facts)) if facts else frozenset()
    problems: list[str] = []
    missing_names = sorted(n for n in claim.names if n not in ground.words)
    if missing_names:
        problems.append(f"not in the article: {', '.join(missing_names)}")
    misplaced = sorted(n for n in claim.names if n in ground.words and n not in held)
    stated = {v for f in facts for v in f.numbers}
    numbers = [v for v in claim.numbers if v not in ground.numbers]
    if numbers:
        problems.append(f"numbers not in the article: {', '.join(str(v) for v in numbers)}")
    elsewhere = [v for v in claim.numbers if v in ground.numbers and v not in stated and not _near(claim, v, ground)]
    if elsewhere:
        problems.append(f"numbers not in the evidence: {', '.join(str(v) for v in elsewhere)}")
    found = conflicts(_named(claim.relations, claim.names & ground.names), [r for f in facts for r in f.relations])
    found += _speaker(claim, evidence, ground)
    problems += found
    if claim.unknown:
        problems.append("an UNK token stands for a word the writer did not know")
    novel = [p for p in claim.bigrams if p not in pairs]
    apart = [w | f.referred | _stood_for(claim, f) for w, f in zip(_words(facts), facts, strict=True)]
    apart_arcs = [a for a in claim.arcs if not any(a[0] in w and a[1] in w for w in apart)]
    features = Features(
        missing_words=1.0 - coverage(claim, held, ground.weights),
        novel_bigrams=len(novel) / len(claim.bigrams) if claim.bigrams else 0.0,
        missing_names=len(missing_names),
        misplaced_names=len(misplaced),
        missing_numbers=len(numbers),
        conflicts=len(found),
        unknown=int(claim.unknown),
        missing_arcs=_share([a for a in claim.arcs if a not in ground.arcs], claim.arcs),
        apart_arcs=_share(apart_arcs, claim.arcs),
        single_missing=1.0 - coverage(claim, _words(facts[:1])[0], ground.weights) if facts else 1.0,
        miscounted=_share(
            [c for c in claim.counted if c[0] in held and not any(c in f.counted for f in facts)], claim.counted
        ),
        length=len(claim.lemmas | claim.names) / 10,
        split_arcs=_share([a for a in apart_arcs if a[0] in held and a[1] in held], claim.arcs),
        fragment=float(not claim.predicate),
    )
    return features, problems


def _near(claim: Facts, value: Decimal, ground: Ground) -> bool:
    """Whether a sentence outside the evidence states ``value`` with enough of the claim's words to be about it.

    The evidence is a few sentences; a summary line may take its number from one further down
    ("Villa face Liverpool on April 19" from the fixtures paragraph).
    """
    own = {word for word, number in claim.counted if number == str(value)}  # "April" of "April 19" tells nothing more
    stating = (s for s in ground.sentences if value in s.numbers)
    return any(coverage(claim, (s.lemmas | s.names) - own, ground.weights) >= NEAR for s in stating)


def _stood_for(claim: Facts, sentence: Facts) -> frozenset[str]:
    """The claim's named subjects of verbs whose subject in ``sentence`` is unnamed ("the 39-year-old", "he")."""
    unnamed = {r.verb for r in sentence.relations if r.agent and not r.named_agent}
    return frozenset(w for r in claim.relations if r.named_agent and r.verb in unnamed for w in r.agents)


def _named(relations: Sequence[Relation], names: frozenset[str]) -> list[Relation]:
    """The claim's relations, each agent that is a name of the claim and the article counted as named.

    The tagger may read a surname as a noun ("McCoy trains ..."): the "wrong subject" check must see a name.
    """
    return [replace(r, named_agent=True) if not r.named_agent and r.agent in names else r for r in relations]


def _share(part: Sequence[object], whole: Iterable[object]) -> float:
    total = len(list(whole))
    return len(part) / total if total else 0.0


def _words(facts: Sequence[Facts]) -> list[frozenset[str]]:
    return [f.lemmas | f.names for f in facts]


def _speaker(claim: Facts, evidence: list[int], ground: Ground) -> list[str]:
    """A claim that names who said something, where the best evidence's quotes are all someone else's.

    Only the best-matching sentence counts: the others may hold another speaker's quotes. A
    speaker that sentence names is its own ("..., Makrus Åsberg told the Post"), whoever the
    NLP stage took the quote's speaker to be.
    """
    speakers = sorted(ground.speakers.get(evidence[0], frozenset()) if evidence else frozenset())
    if not speakers or not claim.quoting:
        return []
    words = {w.lower() for name in speakers for w in name.split()} | ground.sentences[evidence[0]].names
    for rel in claim.relations:
        named = rel.named_agent or rel.agent in ground.names  # the tagger may read a surname as a noun
        if rel.verb in SPEECH_VERBS and named and rel.agent in ground.words and rel.agent not in words:
            return [f"wrong speaker: the article gives these words to {' / '.join(speakers)}, not {rel.agent.title()}"]
    return []
