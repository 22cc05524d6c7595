"""Tokens per article: our prompts against a bare one-shot instructor call filling the same fields.

Run: ``python -m benchmarks.tokens [FOLDER]`` (default: the repository's fictional articles; needs
the ``local`` extra). Every count is the embedded model's own (llama.cpp's tokenizer, its usage
and timings). The baseline asks for the whole briefing in one answer, copying evidence sentences
and quotes as text; ours asks for short answers that cite sentence ids, and takes quotes from
the text without the model. "read" is what llama.cpp processed after its prompt cache: the
second step of an article shares the first step's prefix (the article) and reads only its task.
A second table sets the embedded model's ``headline`` default beside the whole-article ``write`` strategy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, Field

from summarizer.ingest.article import Article

from ._llama import Spent, articles, brief_each, count_tokens, embedded_server, recording_proxy

FICTIONAL = Path(__file__).parent.parent / "tests" / "articles" / "digest"


class _Point(BaseModel):
    text: str
    evidence: list[str] = Field(description="the article sentences that state it, copied word for word")


class _Person(BaseModel):
    name: str
    role: str | None


class _Quote(BaseModel):
    text: str = Field(description="copied word for word from the article")
    speaker: str


class _Position(BaseModel):
    actor: str
    stance: str
    evidence: list[str] = Field(description="the article sentences that report it, copied word for word")


class OneShotBriefing(BaseModel):
    """The baseline's schema: the briefing's fields, with evidence and quotes as copied text."""

    headline: str
    summary: str
    key_points: list[_Point]
    positions: list[_Position]
    people: list[_Person]
    organizations: list[str]
    places: list[str]
    quotes: list[_Quote]


def _baseline(url: str, model: str, text: str) -> dict[str, Any]:
    client = instructor.from_openai(openai.OpenAI(base_url=url, api_key="none", max_retries=0),
                                    mode=instructor.Mode.JSON_SCHEMA)  # fmt: skip
    messages: list[Any] = [
        {"role": "system", "content": "Brief the news article in JSON matching the schema."},
        {"role": "user", "content": text},
    ]
    try:
        _, completion = client.chat.completions.create_with_completion(
            model=model, messages=messages, response_model=OneShotBriefing, max_retries=0, max_tokens=3000,
            temperature=0,
        )  # fmt: skip
    except (InstructorRetryException, IncompleteOutputException) as exc:  # a bad answer still spent its tokens
        completion = exc.last_completion
    answer: dict[str, Any] = completion.model_dump()
    return answer


def main() -> None:
    """Brief each article our way (both strategies) and the baseline's, and print two tables."""
    paths = articles(Path(sys.argv[1]) if len(sys.argv) > 1 else FICTIONAL)
    strategies = {}
    for name in ("headline", "write"):
        briefed = brief_each(paths, name)
        strategies[name] = ([spent for _, _, spent in briefed], sum(seconds for _, seconds, _ in briefed))
    with embedded_server() as (url, weights):
        texts = [Article.from_path(path, max_bytes=2_000_000).text for path in paths]
        sizes = [count_tokens(url, text) for text in texts]
        with recording_proxy(url) as proxy:
            baselines = []
            for text in texts:
                before = len(proxy.forwarded)
                _baseline(proxy.url, weights.stem, text)
                baselines.append(Spent.of(proxy.forwarded[before:]))
    rows = list(zip([p.name for p in paths], sizes, strategies["headline"][0], baselines, strict=True))
    print("| article | article tokens | ours: prompt sent / read | ours: completion | one-shot: prompt | "
          "one-shot: completion | prompt read / article | completion ours / one-shot |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, size, ours, base in rows:
        shares = f"{ours.prompt_processed / size:.2f} | {ours.completion_tokens / base.completion_tokens:.2f}"
        print(f"| {name[:28]} | {size:,} | {ours.prompt_tokens:,} / {ours.prompt_processed:,} | "
              f"{ours.completion_tokens:,} | {base.prompt_tokens:,} | {base.completion_tokens:,} | "
              f"{shares} |")  # fmt: skip
    size, theirs = sum(sizes), sum(b.completion_tokens for b in baselines)
    default = strategies["headline"][0]
    sent, read = sum(s.prompt_tokens for s in default), sum(s.prompt_processed for s in default)
    mine, their_prompt = sum(s.completion_tokens for s in default), sum(b.prompt_tokens for b in baselines)
    print(f"| **all {len(rows)}** | {size:,} | {sent:,} / {read:,} | {mine:,} | {their_prompt:,} "
          f"| {theirs:,} | {read / size:.2f} (sent {sent / size:.2f}) | {mine / theirs:.2f} |")  # fmt: skip
    print()
    print("| strategy | prompt sent | prompt read | read / article | completion | completion / one-shot | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (spent, seconds) in strategies.items():
        sent, read = sum(s.prompt_tokens for s in spent), sum(s.prompt_processed for s in spent)
        made = sum(s.completion_tokens for s in spent)
        print(f"| {name} | {sent:,} | {read:,} | {read / size:.2f} | {made:,} | {made / theirs:.2f} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
