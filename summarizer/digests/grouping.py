"""Which articles are the same text, and which tell the same story: deterministic and explained.

Duplicates are found on the article text itself (word 5-gram overlap), before any model call,
so a wire story republished ten times is briefed once. Stories are formed from the briefings:
two articles are linked when they share enough *rare* names and words of the batch (people,
organizations, places, and the content words of title, lead and key points), weighted by
inverse document frequency so that "China" in every article of a China digest links nothing.
A group only grows while its average link stays above the threshold, so one loosely related
article cannot chain two stories together. Every link that joined a story is kept, with the
names and words it rests on, for the digest JSON to show.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from summarizer._briefing.schema import Briefing, EntityType
from summarizer.grounding import STOPWORDS, match_form
from summarizer.ingest.article import Article
from summarizer.ingest.dates import mentioned_dates

_SHINGLE = 5
_SAMPLE = 4  # one shingle in four (by hash) finds candidate duplicate pairs without comparing all
_SCORE_ALL_BELOW = 60
_PRIOR_DOCUMENTS = 10  # smoothing: a batch of two articles must not call every shared word rare
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class GroupingOptions:
    """The knobs of grouping; the defaults suit a day of news from several outlets.

    ``threshold``: the score (0-1) above which two articles are one story. ``duplicate``: the
    share of 5-word sequences two texts must have in common to be one text republished.
    ``max_days_apart``: articles whose published dates are further apart are never one story.
    """

    threshold: float = 0.3
    duplicate: float = 0.7
    max_days_apart: int = 2


def _shingles(text: str) -> set[int]:
    """Stable hashes (the same in every process) of the text's 5-word sequences."""
    words = [w.lower() for w in _WORD.findall(match_form(text))]
    return {zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode()) for i in range(max(len(words) - _SHINGLE + 1, 1))}


def find_duplicates(texts: Sequence[str], threshold: float) -> dict[int, int]:
    """Map each duplicate's index to the index of the first text it repeats."""
    shingles = [_shingles(text) for text in texts]
    index: dict[int, list[int]] = {}
    for i, found in enumerate(shingles):
        for shingle in found:
            if shingle % _SAMPLE == 0:
                index.setdefault(shingle, []).append(i)
    candidates = {(a, b) for holders in index.values() for a, b in combinations(holders, 2)}
    duplicate_of: dict[int, int] = {}
    for a, b in sorted(candidates):
        first = duplicate_of.get(a, a)
        if b in duplicate_of:
            continue
        overlap = len(shingles[a] & shingles[b]) / max(len(shingles[a] | shingles[b]), 1)
        if overlap >= threshold:
            duplicate_of[b] = first
    return duplicate_of


@dataclass(frozen=True)
class Profile:
    """What grouping looks at for one article: who, what and when."""

    names: dict[str, str]  # normalized key -> name as written
    terms: dict[str, float]  # word -> weight in the text (proper nouns count double)
    days: frozenset[dt.date]
    published: dt.date | None = None

    @classmethod
    def of(cls, article: Article, briefing: Briefing, reference: dt.date) -> Profile:
        """The profile of a briefed article; ``reference`` resolves "on Friday" when it has no date."""
        # The NLP stage's entities, as the briefing holds them (people under their fullest name).
        named = [(e.name, e.type is EntityType.PERSON) for e in briefing.entities]
        names: dict[str, str] = {}
        for name, person in named:
            words = match_form(name).lower().split()
            if words:  # people by surname ("Blinken" and "Antony Blinken" are one); other names whole
                names.setdefault(words[-1] if person else " ".join(words), name)
        counts: Counter[str] = Counter()
        for match in _WORD.finditer(match_form(article.text)):
            word = match.group(0)
            if len(word) >= 3 and word.lower() not in STOPWORDS:
                counts[word.lower()] += 2 if word[0].isupper() else 1
        terms = {word: 1 + math.log(count) for word, count in counts.items()}
        days = frozenset(mentioned_dates(article.text, article.published or reference))
        return cls(names, terms, days, article.published)


@dataclass(frozen=True)
class Scored:
    """A pair's score and the shared names, words and days it rests on, rarest first."""

    score: float
    shared_names: list[str]
    shared_terms: list[str]
    shared_days: list[dt.date]


@dataclass
class Grouper:
    """Scores pairs against the batch's own word frequencies and forms the groups."""

    profiles: Sequence[Profile]
    options: GroupingOptions = field(default_factory=GroupingOptions)

    @cached_property
    def _idf(self) -> dict[str, float]:
        frequency: Counter[str] = Counter()
        for profile in self.profiles:
            frequency.update({f"n:{n}" for n in profile.names})
            frequency.update({f"t:{t}" for t in profile.terms})
        total = len(self.profiles) + _PRIOR_DOCUMENTS
        return {feature: math.log(total / (count + 1)) for feature, count in frequency.items()}

    @cached_property
    def _vectors(self) -> list[tuple[dict[str, float], float]]:
        vectors = []
        for profile in self.profiles:
            vector = {t: w * self._idf[f"t:{t}"] for t, w in profile.terms.items()}
            vectors.append((vector, math.sqrt(sum(v * v for v in vector.values())) or 1.0))
        return vectors

    def score(self, i: int, j: int) -> Scored:
        """The mean of three overlaps in 0-1: names (weighted Jaccard), words (tf-idf cosine), days.

        Days count only when both articles mention some and share a name: sharing a day is then
        1, sharing none 0. On its own a day links nothing (every article says "on Monday").
        """
        a, b = self.profiles[i], self.profiles[j]
        if _too_far_apart(a.published, b.published, self.options.max_days_apart):
            return Scored(0.0, [], [], [])
        shared = set(a.names) & set(b.names)
        union = sum(self._idf[f"n:{n}"] for n in set(a.names) | set(b.names))
        names = sum(self._idf[f"n:{n}"] for n in shared) / union if union else 0.0
        (va, na), (vb, nb) = self._vectors[i], self._vectors[j]
        terms = sum(v * vb.get(t, 0.0) for t, v in va.items()) / (na * nb)
        parts = [names, terms]
        days = sorted(a.days & b.days)
        if a.days and b.days and shared:  # a day supports a link between articles naming someone in common
            parts.append(1.0 if days else 0.0)
        words = sorted(set(va) & set(vb), key=lambda t: (-va[t] * vb[t], t))
        return Scored(
            round(sum(parts) / len(parts), 3),
            [a.names[n] for n in sorted(shared, key=lambda n: (-self._idf[f"n:{n}"], n))],
            words[:8],
            days,
        )

    def groups(self) -> list[tuple[list[int], list[tuple[int, int, Scored]]]]:
        """Groups of profile indexes (in input order) and the links that joined each."""
        pairs = [(self.score(i, j), i, j) for i, j in self._candidates()]
        scores = {(i, j): scored.score for scored, i, j in pairs}  # pairs never scored count as 0
        group_of = list(range(len(self.profiles)))
        members: dict[int, list[int]] = {i: [i] for i in range(len(self.profiles))}
        links: dict[int, list[tuple[int, int, Scored]]] = {i: [] for i in range(len(self.profiles))}
        threshold = self.options.threshold
        for scored, i, j in sorted(pairs, key=lambda p: (-p[0].score, p[1], p[2])):
            if scored.score < threshold:
                break
            a, b = group_of[i], group_of[j]
            if a == b:
                continue
            between = [scores.get((min(x, y), max(x, y)), 0.0) for x in members[a] for y in members[b]]
            if sum(between) / len(between) < threshold:
                continue  # joining would make the group loose: keep the stories apart
            keep, gone = min(a, b), max(a, b)
            for index in members[gone]:
                group_of[index] = keep
            members[keep] = sorted(members[keep] + members.pop(gone))
            links[keep] += [*links.pop(gone), (i, j, scored)]
        return [(members[g], links[g]) for g in sorted(members)]

    def _candidates(self) -> list[tuple[int, int]]:
        """The pairs worth scoring: all of them in a small batch, else those sharing a rare name or word.

        A pair with nothing rare in common cannot reach a useful score, and scoring every pair
        of 500 articles (125,000) would cost seconds of CPU for nothing.
        """
        count = len(self.profiles)
        if count <= _SCORE_ALL_BELOW:
            return list(combinations(range(count), 2))
        rare = max(3, count // 20)
        holders: dict[str, list[int]] = {}
        for index, profile in enumerate(self.profiles):
            for feature in [*(f"n:{n}" for n in profile.names), *(f"t:{t}" for t in profile.terms)]:
                holders.setdefault(feature, []).append(index)
        pairs = {pair for found in holders.values() if 1 < len(found) <= rare for pair in combinations(found, 2)}
        return sorted(pairs)


def _too_far_apart(a: dt.date | None, b: dt.date | None, days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) > days
