"""The article's own words, chosen without a model: key sentences, and text shortened at a clause.

News puts what matters first, so the lead is always kept; the other key sentences are chosen
for their position, their centrality (how many of the article's recurring words they hold),
their named entities and their numbers, skipping any that repeats one already chosen and any
that is mostly a quotation (a key point states a fact; the quotes have their own section).
The choice is deterministic: the same article always gives the same sentences. Small models
compress these sentences into key points; the extractive mode (no model at all) and the
fallback for a compression that fails its checks use them as they stand, shortened at a clause
boundary when they are long, never cut mid-word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarizer.grounding import GroundedText, content_words, numbers_in
from summarizer.ingest.sentences import Sentence
from summarizer.nlp.analysis import Analysis
from summarizer.nlp.copying import copies
from summarizer.nlp.headlines import HEADLINE_WORDS
from summarizer.nlp.lead import eligible, lead

KEY_POINTS = 3  # beside the lead; measured on reference summaries, a fourth added length, not facts
_TITLE = 1.0  # weight of the share of the title's content words a sentence holds
COPIES = 0.4  # share of a briefing's key points that may (nearly) copy their sentence
_REDUNDANT = 0.5  # share of content words two key sentences may have in common
SUMMARY_WORDS = 75  # a summary's length, the opening's or a model's
_OPENING = 3  # sentences at most in a summary taken from the article
_TRAILING = " ;,:\u2013\u2014-"  # separators some sites leave at the end of a title line
_CLAUSE = re.compile(r"(?:,|;|:|\s[-\u2013\u2014]\s)\s*")


def key_sentences(article: GroundedText, analysis: Analysis, count: int, title: str | None = None) -> list[Sentence]:
    """The opening (the summary's sentences) and the ``count - 1`` most informative other sentences, in order.

    Past the lead, a key sentence needs a main clause (a gist): a caption or fragment would give
    no key point, and the article would be left with fewer than it deserves. The title's content
    words, when there is a title, are what the story is about: a sentence holding them ranks up.
    A sentence whose gist is nearly all of it and that no tight gist shortens is a copy: at most
    ``COPIES`` of the key points may be one (the share :func:`summarizer._briefing.draft_checks.fewer_copies`
    keeps whole), so past it the next sentence is taken instead.
    """
    usable = [s for s in article.sentences if s.id not in article.withheld]
    if not usable:
        return []
    words = article.sentence_words  # each usable sentence's content words, computed once per article
    frequency = Counter(word for s in usable for word in words[s.id])
    summary = opening(article, analysis)
    topic = content_words(title or "") or words[summary[0].id]  # no title: the lead says what the story is about
    position = {s.id: i for i, s in enumerate(usable)}  # not usable.index(s): that made the ranking quadratic
    scored = sorted(
        (s for s in usable if s not in summary and eligible(s, analysis) and analysis.gists.get(s.id)),
        key=lambda s: (
            -_score(s, words[s.id], position[s.id], frequency, analysis) - _TITLE * _overlap(topic, words[s.id])
        ),
    )
    chosen = list(summary)
    points = {s.id: content_words(analysis.gists.get(s.id, "")) for s in usable}  # each key point's words
    tight = {s.id: content_words(analysis.tight_gists.get(s.id) or analysis.gists.get(s.id, "")) for s in usable}

    def repeats(sentence: Sentence) -> bool:
        """Says what a chosen sentence says, or its key point, in full or tighter, what a chosen one does."""
        said = (_overlap(words[sentence.id], words[c.id]) for c in chosen)
        pointed = (_overlap(points[sentence.id], points[c.id]) for c in chosen if c not in summary)
        tighter = (_overlap(tight[sentence.id], tight[c.id]) for c in chosen if c not in summary)
        return max([*said, *pointed, *tighter], default=0.0) > _REDUNDANT

    whole = int(COPIES * (count - 1))  # key points that may copy a sentence no tight gist shortens
    spare: list[Sentence] = []  # copies past that share: taken only when the article has nothing else
    for sentence in scored:
        if len(chosen) >= count + len(summary) - 1:
            break
        if repeats(sentence):
            continue
        if not analysis.tight_gists.get(sentence.id) and copies(analysis.gists[sentence.id], sentence.text):
            if whole <= 0:
                spare.append(sentence)
                continue
            whole -= 1
        chosen.append(sentence)
    for sentence in spare:  # a copy beats a missing key point
        if len(chosen) < count + len(summary) - 1 and not repeats(sentence):
            chosen.append(sentence)
    return sorted(chosen, key=lambda s: s.id)


def _score(sentence: Sentence, words: set[str], position: int, frequency: Counter[str], analysis: Analysis) -> float:
    centrality = sum(frequency[w] for w in words) / (1 + len(words))
    entities = analysis.entity_count(sentence.start, sentence.end)
    figures = 1.0 if numbers_in(sentence.text) else 0.0
    return 3.0 / (1 + 0.25 * position) + 0.15 * centrality + 0.1 * entities + 0.2 * figures


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def shortened(text: str, max_words: int) -> str | None:
    """``text`` cut at the last clause boundary within ``max_words`` words, ending in a full stop.

    None when no clause boundary leaves at least five words: a shorter text would be a fragment.
    The text is never cut inside a clause, so nothing ends mid-word or mid-phrase.
    """
    words = text.split()
    if len(words) <= max_words:
        return text
    best: int | None = None
    for match in _CLAUSE.finditer(text):
        if len(text[: match.start()].split()) > max_words:
            break
        if len(text[: match.start()].split()) >= 5:
            best = match.start()
    if best is None:
        return None
    return text[:best].rstrip(" ,;:") + "."


def opening(article: GroundedText, analysis: Analysis) -> list[Sentence]:
    """The bottom line in the article's own words: its lead and the next informative sentences.

    The lead is :func:`summarizer.nlp.lead.lead` (datelines, captions and sentences that are
    mostly quotation are skipped), the sentence the NLP stage found a headline for; a following sentence
    needs a main clause (a caption of names and a date is no bottom line), and a short article
    keeps its sentences for the key points. The second sentence always joins the lead: on
    summaries-dev it states as many of the journalists' highlights as a key point does (the brief
    stated 0.42 of them against 0.34 with the lead alone). A third joins while the three stay within
    ``SUMMARY_WORDS``, a model summary's length: short opening sentences are the story's core, and a
    key point made of one would lose words to the copy rule (highlights stated 0.47 to 0.50 on
    summaries-dev, 0.44 to 0.48 on the 75 faithfulness-dev articles; ``python -m benchmarks.key_facts``).
    """
    first = lead(article, analysis)
    if first is None:
        return []
    summary = [first]
    following = [
        s for s in article.sentences
        if s.id > first.id and s.id not in article.withheld and eligible(s, analysis) and analysis.gists.get(s.id)
    ]  # fmt: skip
    for taken, sentence in enumerate(following[: _OPENING - 1], start=1):
        longer = sum(len(s.text.split()) for s in [*summary, sentence]) > SUMMARY_WORDS
        if len(following) - taken < KEY_POINTS or taken > 1 and longer:
            break
        summary.append(sentence)
    return summary


def headline_from(title: str | None, sentences: Sequence[Sentence], gist: str = "", found: str = "") -> str:
    """The article's own title, else a headline-length line of its lead, in the lead's own words.

    ``found`` is the headline the parse gave the lead (:func:`summarizer.nlp.headlines.headline`:
    its main clause cut at a comma or its gist, within ``HEADLINE_WORDS``); else the lead's ``gist``
    (its main clause, at most 25 words: a 40-word lead is no headline); else the lead cut at a
    clause within ``HEADLINE_WORDS`` (a cut that may leave only a phrase set before the clause, so
    the last resort before the lead as it stands).
    """
    if title and title.strip(_TRAILING):
        return title.strip().rstrip(_TRAILING)  # "A tortured relationship;" reads as a cut line
    lead = sentences[0].text if sentences else ""
    return found or gist or shortened(lead, HEADLINE_WORDS) or lead
