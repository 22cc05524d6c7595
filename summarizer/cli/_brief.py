"""``summarizer brief``: one article to standard output or a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli._exits import fail, interrupted
from summarizer.cli._options import AllowPrivate, Timeout
from summarizer.cli._progress import download_progress


def brief(
    file: Annotated[
        str,
        typer.Argument(
            help="Article file (.txt, .md, .html, .json, .jsonl), an http(s) address of an article page, "
            "or - for standard input."
        ),
    ],
    model: Annotated[
        str | None, typer.Option(help="Model spec: local/<name>, openai/<model>, or a name with --base-url.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="An OpenAI-compatible server, e.g. http://localhost:11434/v1.")
    ] = None,
    formats: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    strict: Annotated[bool, typer.Option(help="Fail (exit 6) instead of dropping ungrounded items.")] = False,
    timeout: Timeout = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
    allow_private_addresses: AllowPrivate = False,
) -> None:
    """Brief one article."""
    from summarizer.atomic import atomic_text, ensure_writable
    from summarizer.client import Summarizer
    from summarizer.errors import InputError, SummarizerError
    from summarizer.ingest.article import Article
    from summarizer.ingest.loaders import decode
    from summarizer.settings import Settings

    if formats not in ("md", "json"):
        raise typer.BadParameter("use md or json", param_hint="--format")
    try:
        if output is not None:
            ensure_writable(output)
        settings = Settings.from_env(model=model, base_url=base_url, strict=strict, timeout=timeout,
                                     allow_private_addresses=allow_private_addresses or None)  # fmt: skip
        with Summarizer(settings, progress=download_progress()) as summarizer:
            if file.lower().startswith(("http://", "https://")):
                from summarizer.web.fetch import FetchOptions
                from summarizer.web.reader import article_at

                options = FetchOptions(allow_private_addresses=settings.allow_private_addresses, delay=0)
                briefing = summarizer.brief(article_at(file, options))
            elif file == "-":
                data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
                if not data.strip():
                    raise InputError("standard input is empty")
                if len(data) > settings.max_input_bytes:
                    raise InputError(f"standard input is over the {settings.max_input_bytes:,}-byte limit")
                source = Article.from_text(decode(data, "<stdin>"), max_bytes=settings.max_input_bytes)
                briefing = summarizer.brief(source)
            else:
                briefing = summarizer.brief(Path(file))
    except SummarizerError as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        interrupted(exc, "nothing was written")
    text = briefing.model_dump_json(indent=2) if formats == "json" else briefing.to_markdown()
    if output is None:
        typer.echo(text)
    else:
        with atomic_text(output) as stream:
            stream.write(text + "\n")
