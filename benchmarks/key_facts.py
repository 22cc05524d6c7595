"""Key facts: how many of the journalists' highlights a folder of briefings states, at what length.

Run: ``python -m benchmarks.key_facts BRIEFINGS_DIR ARTICLES_DIR [--parse]``. Each briefing
``NAME.json`` is scored against ``ARTICLES_DIR/NAME.gold.json`` (its ``reference_summary``: the
highlights) and ``NAME.txt`` (the article). A briefing's facts are its summary and key points.

- coverage: highlights stated (one fact holds at least half of a highlight's content words);
  beside it the same with each key point replaced by its whole cited sentence, and the article's
  own first N sentences, N the briefing's number of facts (position alone, same number of facts);
- kp_hit: key points holding at least 40% of some highlight's content words;
- words per key point, per cited sentence, the longest key point;
- fragments: key points that open with a pronoun or verb, lack a finite verb before an "-ing"
  or "being", or leave a quotation open; with ``--parse``, also those the parser finds no
  sentence of fact (:func:`summarizer.nlp.readable.sentence_problem`), listed with the reason.

Content words are lower-cased, stemmed with rouge-score's Porter stemmer when it is installed
(else a crude suffix strip), stopwords dropped. The project's own implementation of the
figures of issue 18, so they are part of the project and not only of an outside scorer.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_STOP = set(
    "a an the and or but if of to in on at by for with from as into onto over under about after before than then "
    "that this these those there here it its is are was were be been being has have had do does did will would "
    "shall should can could may might must not no nor so too very just also only said says say he she they we you "
    "i his her their our your my him them us me who whom whose which what when where why how all any both each few "
    "more most other some such own same up down out off again further once".split()
)
_OPENERS = set("he she it they this these those his her its their him them we there was were is are has have had "
               "said says being been".split())  # fmt: skip
_FINITE = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|may|might|must|shall|should|do|does|"
                     r"did|\w+ed|\w+s)\b", re.IGNORECASE)  # fmt: skip
_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018A-Z0-9])")


def _stemmer() -> Callable[[str], str]:
    try:
        from nltk.stem import porter  # rouge-score depends on nltk (typed as missing: see pyproject)
    except ImportError:  # pragma: no cover - without rouge-score, a crude suffix strip
        return lambda w: re.sub(r"(ing|ed|es|s)$", "", w) if len(w) > 5 else w
    stem: Callable[[str], str] = porter.PorterStemmer().stem
    return stem


_STEM = _stemmer()


def content(text: str) -> set[str]:
    """The stemmed content words of ``text``."""
    return {_STEM(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}


def sentences(text: str) -> list[str]:
    """``text`` split at sentence ends (the scorer's own, the same for every briefing)."""
    return [s.strip() for s in _SPLIT.split(text.strip()) if s.strip()]


def fragment(text: str) -> str | None:
    """Why a key point reads as a fragment by its surface, or None."""
    words = text.split()
    if not words:
        return "empty"
    if words[0].strip("\"\u201c\u2018'").lower() in _OPENERS:
        return f"opens with {words[0]!r}"
    if text.count('"') % 2 or text.count("\u201c") != text.count("\u201d"):
        return "unbalanced quotation marks"
    ing = re.search(r"\b(being|having)\b", text)
    if ing and not _FINITE.search(text[: ing.start()]):
        return f"no finite verb before {ing.group(0)!r}"
    return None


def stated(facts: Sequence[str], highlights: Sequence[str]) -> float:
    """Share of highlights one of ``facts`` states (half of the highlight's content words)."""
    wanted = [h for h in map(content, highlights) if h]
    have = [content(f) for f in facts]
    return sum(any(len(h & f) >= 0.5 * len(h) for f in have) for h in wanted) / max(1, len(wanted))


def hits(points: Sequence[str], highlights: Sequence[str]) -> float | None:
    """Share of ``points`` that state some highlight (40% of its content words); None without points."""
    wanted = [h for h in map(content, highlights) if h]
    if not points:
        return None
    return sum(any(len(h & content(p)) >= 0.4 * len(h) for h in wanted) for p in points) / len(points)


@dataclass
class Totals:
    """Per-article figures, averaged at the end."""

    figures: dict[str, list[float]] = field(default_factory=dict)
    point_words: list[int] = field(default_factory=list)
    cited_words: list[int] = field(default_factory=list)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    points: int = 0

    def add(self, name: str, value: float | None) -> None:
        if value is not None:
            self.figures.setdefault(name, []).append(value)

    def mean(self, name: str) -> float:
        values = self.figures.get(name, [])
        return sum(values) / len(values) if values else float("nan")


def score(briefing: dict[str, object], article: str, highlights: list[str], totals: Totals) -> None:
    """Add one briefing's figures to ``totals``."""
    raw = briefing.get("key_points") or []
    points = [p for p in raw if isinstance(p, dict) and p.get("text")] if isinstance(raw, list) else []
    texts = [str(p["text"]) for p in points]
    cited = [" ".join(str(e.get("text", "")) for e in p.get("evidence", [])) for p in points]
    summary = sentences(str(briefing.get("summary") or ""))
    facts = summary + texts
    lead = sentences(article)
    totals.add("coverage", stated(facts, highlights))
    totals.add("coverage_cited", stated(summary + cited, highlights))
    totals.add("leadN", stated(lead[: len(facts)], highlights))
    totals.add("lead3", stated(lead[:3], highlights))
    totals.add("kp_hit", hits(texts, highlights))
    totals.add("kp_hit_cited", hits(cited, highlights))
    totals.point_words += [len(t.split()) for t in texts]
    totals.cited_words += [len(c.split()) for c in cited]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures of issue 18 for a folder of briefings."""
    args = list(sys.argv[1:] if argv is None else argv)
    parse = "--parse" in args
    args = [a for a in args if a != "--parse"]
    if len(args) != 2:
        print(__doc__)
        return 2
    briefings, articles = Path(args[0]), Path(args[1])
    check = _parser_check() if parse else None
    totals = Totals()
    for path in sorted(briefings.glob("*.json")):
        gold, text = articles / f"{path.stem}.gold.json", articles / f"{path.stem}.txt"
        if not text.is_file():
            continue
        briefing = json.loads(path.read_text(encoding="utf-8"))
        highlights = json.loads(gold.read_text(encoding="utf-8")).get("reference_summary", []) if gold.is_file() else []
        body = text.read_text(encoding="utf-8")
        if highlights:
            title = json.loads(gold.read_text(encoding="utf-8")).get("title")
            score(briefing, "\n".join(body.splitlines()[1:]) if title else body, highlights, totals)
        for point in briefing.get("key_points") or []:
            totals.points += 1
            why = fragment(point["text"]) or (check(point["text"]) if check else None)
            if why:
                totals.fragments.append((path.stem, point["text"], why))
    _report(totals)
    return 0


def _parser_check() -> Callable[[str], str | None]:
    """The parser-based check of a key point, with the NLP model the library uses."""
    from summarizer.nlp.model import EN_CORE_WEB_SM, ensure_nlp_model, load_pipeline
    from summarizer.nlp.readable import sentence_problem
    from summarizer.settings import Settings

    nlp = load_pipeline(ensure_nlp_model(EN_CORE_WEB_SM, Settings.from_env().model_store))
    return lambda text: sentence_problem(nlp(text))


def _report(totals: Totals) -> None:
    for name, text, why in totals.fragments:
        print(f"fragment in {name} ({why}): {text}")
    words, cited = totals.point_words, totals.cited_words
    print("| figure | value |\n|---|---:|")
    print(f"| articles scored | {len(totals.figures.get('coverage', []))} |")
    print(f"| highlights stated by the brief (summary + key points) | {totals.mean('coverage'):.2f} |")
    print(f"| the same with each key point replaced by its cited sentence | {totals.mean('coverage_cited'):.2f} |")
    print(f"| the article's first N sentences (N = the brief's facts) | {totals.mean('leadN'):.2f} |")
    print(f"| Lead-3 | {totals.mean('lead3'):.2f} |")
    print(f"| key points that state a highlight (cited sentences) | {totals.mean('kp_hit'):.2f} "
          f"({totals.mean('kp_hit_cited'):.2f}) |")  # fmt: skip
    per_point, per_cited = sum(words) / max(1, len(words)), sum(cited) / max(1, len(cited))
    print(f"| words per key point / per cited sentence / longest key point | "
          f"{per_point:.1f} / {per_cited:.1f} / {max(words, default=0)} |")  # fmt: skip
    print(f"| key points that read as fragments | {len(totals.fragments)} of {totals.points} |")


if __name__ == "__main__":
    sys.exit(main())
