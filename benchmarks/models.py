"""Embedded models and speculative decoding: seconds, tokens/s, draft acceptance and quality per configuration.

Run: ``python -m benchmarks.models [--articles DIR] [--gold DIR] [--configs 0.5b,1.5b+draft]
[--strategy NAME] [--threads N] [--out DIR]`` (needs the ``local`` extra; fetches the models it runs
into the user's cache). Each configuration briefs every article in turn on a fresh server of its
own, through a recording proxy, so its wall time sits beside llama.cpp's own account: prompt and
generation tokens/s, and the tokens that speculation guessed ahead and the model kept. Quality comes
from the shared scorers run on the kept briefings: ``grounding_check.py`` (quote recall, speakers,
people) and ``content_check.py`` (places, organizations, entity precision, key numbers, ROUGE-1 of
the summary against the gold gist, where the gold has them). ``quality`` is the mean of those
figures the model writes (all but quotes and speakers, which come from rules over the text and
barely depend on the model).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from summarizer.local.catalog import Speculation

from ._llama import Spent, articles, brief_each

SHARED = Path("../shared")  # the team's shared seeds, gold and scorers beside the checkout (never copied here)
SMALL, LARGE = "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"
CONFIGS: dict[str, tuple[str, Speculation]] = {
    "0.5b": (SMALL, Speculation()),
    "0.5b+ngram": (SMALL, Speculation(ngram=True)),
    "1.5b": (LARGE, Speculation()),
    "1.5b+ngram": (LARGE, Speculation(ngram=True)),
    "1.5b+draft": (LARGE, Speculation(draft=SMALL)),
    "1.5b+draft+ngram": (LARGE, Speculation(draft=SMALL, ngram=True)),
}
MODEL_WRITTEN = ("people_recall", "place_recall", "org_recall", "ent_precision", "num_recall", "gist_r1")
FIGURE = re.compile(r"(\w+)=(\d+(?:\.\d+)?)(?:/(\d+))?")


@dataclass(frozen=True)
class Run:
    """One configuration's pass over the articles."""

    name: str
    rows: list[tuple[str, float, Spent]]
    quality: dict[str, float]
    load: tuple[float, float]  # 1-minute load average before and after: the machine is shared

    def spent(self) -> Spent:
        """llama.cpp's account summed over the articles."""
        every = [spent for _, _, spent in self.rows]
        fields = Spent.__dataclass_fields__
        return Spent(**{name: sum(getattr(s, name) for s in every) for name in fields})


def figures(lines: list[str]) -> dict[str, float]:
    """Pool ``name=a/b`` figures over lines (hits over totals; none when no total); average ``name=x``."""
    hits: dict[str, list[int]] = {}
    plain: dict[str, list[float]] = {}
    for line in lines:
        for name, value, total in FIGURE.findall(line):
            if total:
                pooled = hits.setdefault(name, [0, 0])
                pooled[0] += int(value)
                pooled[1] += int(total)
            else:
                plain.setdefault(name, []).append(float(value))
    averaged = {name: sum(values) / len(values) for name, values in plain.items()}
    return averaged | {name: got / total for name, (got, total) in hits.items() if total}


def score(briefings: Path, folder: Path, gold: Path, tools: Path) -> dict[str, float]:
    """The shared scorers' figures for the briefings kept in ``briefings`` (empty when no gold is at hand).

    A gold annotation without key numbers or a one-sentence gist (the seeds have neither) leaves
    those figures out, rather than scoring every briefing 0 on them.
    """
    scored = [(folder / f"{b.stem}.txt", b, gold / f"{b.stem}.gold.json") for b in sorted(briefings.glob("*.json"))]
    scored = [(article, b, answer) for article, b, answer in scored if article.is_file() and answer.is_file()]
    if not (tools / "grounding_check.py").is_file() or not scored:
        return {}
    grounding = [_scorer(tools / "grounding_check.py", *paths)[-1] for paths in scored]
    content = [line for line in _scorer(tools / "content_check.py", "--dir", briefings, folder, gold)
               if not line.startswith("TOTAL")]  # fmt: skip
    found = figures(grounding) | figures(content)
    if not any("one_sentence_gist" in json.loads(answer.read_text()) for _, _, answer in scored):
        found.pop("gist_r1", None)
    if written := [found[name] for name in MODEL_WRITTEN if name in found]:
        found["quality"] = sum(written) / len(written)
    return found


def _scorer(script: Path, *args: object) -> list[str]:
    done = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True, check=False)
    return done.stdout.splitlines() or [""]


def run(name: str, paths: list[Path], out: Path, options: argparse.Namespace) -> Run:
    """Brief every article with one configuration and score what it wrote."""
    model, speculation = CONFIGS[name]
    before = os.getloadavg()[0]
    rows = brief_each(paths, options.strategy, model=model, speculation=speculation, threads=options.threads,
                      out=out / name)  # fmt: skip
    after = os.getloadavg()[0]
    return Run(name, rows, score(out / name, paths[0].parent, options.gold, options.tools), (before, after))


HEADER = (
    "| configuration | s/article (max) | prompt tok/s | generated (tok/s) | drafted / kept (rate) | quote recall | "
    "speaker | people | places | orgs | entity precision | numbers | gist R1 | quality | quality/min | load |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def row(one: Run) -> str:
    """One configuration's line of the table."""
    spent, seconds = one.spent(), [wall for _, wall, _ in one.rows]
    mean = sum(seconds) / len(seconds)
    rate = f"{spent.drafted:,} / {spent.accepted:,} ({spent.accepted / spent.drafted:.2f})" if spent.drafted else "-"
    q = one.quality
    shown = [f"{q[k]:.2f}" if k in q else "-" for k in ("quote_recall", "speaker_ok", *MODEL_WRITTEN, "quality")]
    per_minute = f"{60 * q['quality'] / mean:.2f}" if "quality" in q else "-"
    generated = f"{spent.completion_tokens:,} ({spent.completion_tokens / spent.generation_seconds:.1f})"
    load = f"{one.load[0]:.1f} / {one.load[1]:.1f}"
    return (f"| {one.name} | {mean:.0f} ({max(seconds):.0f}) | {spent.prompt_processed / spent.prompt_seconds:.0f} | "
            f"{generated} | {rate} | {' | '.join(shown)} | {per_minute} | {load} |")  # fmt: skip


def main() -> None:
    """Parse the options, run the chosen configurations one after another, print the table as it fills."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SHARED / "seeds", help="folder of articles")
    parser.add_argument("--gold", type=Path, default=SHARED / "seeds-gold", help="NAME.gold.json per article")
    parser.add_argument("--tools", type=Path, default=SHARED / "tools", help="folder of the shared scorers")
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"comma-separated, of: {', '.join(CONFIGS)}")
    parser.add_argument("--strategy", default="headline", help="the library's strategy (default: headline)")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: the library's, one per core)")
    parser.add_argument("--out", type=Path, help="keep the briefings here, CONFIG/NAME.json (default: a temp folder)")
    options = parser.parse_args()
    chosen = options.configs.split(",")
    if unknown := [name for name in chosen if name not in CONFIGS]:
        parser.error(f"unknown configuration {', '.join(unknown)}; known: {', '.join(CONFIGS)}")
    paths = articles(options.articles)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name in chosen:  # one model in memory at a time; each row printed as soon as it is measured
            print(row(run(name, paths, options.out or Path(scratch), options)), flush=True)


if __name__ == "__main__":
    main()
