"""``summarizer check``: whether an article supports each claim of a file, one claim a line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.cli._exits import fail, interrupted

if TYPE_CHECKING:
    from summarizer.claims.verdict import ClaimVerdict


def check(
    file: Annotated[str, typer.Argument(help="Article file (.txt, .md, .html, .json, .jsonl).")],
    claims: Annotated[str, typer.Option("--claims", help="File of claims, one a line, or - for standard input.")],
    formats: Annotated[str, typer.Option("--format", help="json or md.")] = "md",
    model: Annotated[
        str | None,
        typer.Option(help="A model (spec, e.g. local/qwen2.5-coder-1.5b) gives a second opinion on uncertain claims."),
    ] = None,
) -> None:
    """Check claims against an article: supported or not, a score, the evidence and what is unsupported."""
    from summarizer.claims.api import check as check_claims
    from summarizer.errors import InputError, SummarizerError
    from summarizer.settings import Settings

    if formats not in ("md", "json"):
        raise typer.BadParameter("use md or json", param_hint="--format")
    try:
        settings = Settings.from_env()
        lines = _read_claims(claims, settings.max_input_bytes)
        texts = [line.strip() for line in lines if line.strip()]
        if not texts:
            raise InputError(f"{'standard input' if claims == '-' else claims} holds no claim (one claim a line)")
        verdicts = check_claims(Path(file), texts, settings=settings, model=model)
    except SummarizerError as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        interrupted(exc, "nothing was checked")
    typer.echo(_json(verdicts) if formats == "json" else _markdown(verdicts))


def _read_claims(source: str, limit: int) -> list[str]:
    from summarizer.errors import InputError
    from summarizer.ingest.loaders import decode

    try:
        data = sys.stdin.buffer.read(limit + 1) if source == "-" else Path(source).read_bytes()[: limit + 1]
    except OSError as exc:
        raise InputError(f"{source}: cannot read the claims: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError(f"{'standard input' if source == '-' else source}: claims over the {limit:,}-byte limit")
    return decode(data, source).splitlines()


def _json(verdicts: list[ClaimVerdict]) -> str:
    return json.dumps(
        [
            {"claim": v.claim, "supported": v.supported, "score": v.score, "evidence": list(v.evidence),
             "problems": list(v.problems), "model_opinion": v.model_opinion}
            for v in verdicts
        ],
        indent=2, ensure_ascii=False,
    )  # fmt: skip


def _markdown(verdicts: list[ClaimVerdict]) -> str:
    lines = []
    for v in verdicts:
        mark = "supported" if v.supported else "NOT supported"
        cited = ", ".join(f"S{i}" for i in v.evidence) or "no sentence"
        lines.append(f"- **{mark}** ({v.score:.2f}; {cited}): {v.claim}")
        lines.extend(f"  - {problem}" for problem in v.problems)
    return "\n".join(lines)
