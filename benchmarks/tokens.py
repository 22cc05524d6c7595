"""Tokens per article: our prompts against a bare one-shot instructor call filling the same fields.

Run: ``python -m benchmarks.tokens [FOLDER]`` (default: the repository's fictional articles; needs
the ``local`` extra). Every count is the embedded model's own (llama.cpp's tokenizer, its usage
and timings). The baseline asks for the whole briefing in one answer, copying evidence sentences
and quotes as text; ours asks for short answers that cite sentence ids, and takes quotes from
the text without the model. "read" is what llama.cpp processed after its prompt cache: the
second step of an article shares the first step's prefix (the article) and reads only its task.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, Field

from summarizer.client import Summarizer
from summarizer.ingest.loaders import load_article

from ._llama import Spent, articles, count_tokens, embedded_server, library_settings, recording_proxy

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
    """Brief each article both ways and print one table."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else FICTIONAL
    rows: list[tuple[str, int, Spent, Spent]] = []
    with embedded_server() as (url, weights), recording_proxy(url) as proxy, tempfile.TemporaryDirectory() as cache:
        with Summarizer(library_settings(proxy, weights, Path(cache))) as summarizer:
            for path in articles(folder):
                article = load_article(path, max_bytes=2_000_000)
                before = len(proxy.forwarded)
                summarizer.brief(article)
                ours = Spent.of(proxy.forwarded[before:])
                before = len(proxy.forwarded)
                _baseline(proxy.url, weights.stem, article.text)
                baseline = Spent.of(proxy.forwarded[before:])
                rows.append((path.name, count_tokens(url, article.text), ours, baseline))
    print("| article | article tokens | ours: prompt sent / read | ours: completion | one-shot: prompt | "
          "one-shot: completion | prompt read / article | completion ours / one-shot |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, size, ours, base in rows:
        shares = f"{ours.prompt_processed / size:.2f} | {ours.completion_tokens / base.completion_tokens:.2f}"
        print(f"| {name[:28]} | {size:,} | {ours.prompt_tokens:,} / {ours.prompt_processed:,} | "
              f"{ours.completion_tokens:,} | {base.prompt_tokens:,} | {base.completion_tokens:,} | "
              f"{shares} |")  # fmt: skip
    size = sum(r[1] for r in rows)
    sent, read = sum(r[2].prompt_tokens for r in rows), sum(r[2].prompt_processed for r in rows)
    mine, theirs = sum(r[2].completion_tokens for r in rows), sum(r[3].completion_tokens for r in rows)
    their_prompt = sum(r[3].prompt_tokens for r in rows)
    print(f"| **all {len(rows)}** | {size:,} | {sent:,} / {read:,} | {mine:,} | {their_prompt:,} "
          f"| {theirs:,} | {read / size:.2f} (sent {sent / size:.2f}) | {mine / theirs:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
