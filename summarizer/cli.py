"""The command line: ``summarizer brief``, ``summarizer schema``, ``summarizer models``.

Exit codes: 0 success, 2 usage, 3 unreadable input, 4 configuration, 5 model backend failure,
6 strict-mode grounding failure, 7 model weights could not be fetched.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(help="Grounded briefings of news articles.", no_args_is_help=True, add_completion=False)
models_app = typer.Typer(help="The embedded model's weights.", no_args_is_help=True)
app.add_typer(models_app, name="models")

EXIT_CODES = {"InputError": 3, "ConfigurationError": 4, "BackendError": 5, "GroundingError": 6, "ModelFetchError": 7}


@app.command()
def brief(
    file: Annotated[
        str, typer.Argument(help="Article file (.txt, .md, .html, .json, .jsonl), or - for standard input.")
    ],
    model: Annotated[
        str | None, typer.Option(help="Model spec: local/<name>, openai/<model>, or a name with --base-url.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="An OpenAI-compatible server, e.g. http://localhost:11434/v1.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    strict: Annotated[bool, typer.Option(help="Fail (exit 6) instead of dropping ungrounded items.")] = False,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write here instead of standard output.")] = None,
) -> None:
    """Brief one article."""
    from summarizer.client import Summarizer
    from summarizer.errors import InputError, SummarizerError
    from summarizer.ingest.loaders import article_from_text, decode
    from summarizer.settings import Settings

    if output_format not in ("md", "json"):
        raise typer.BadParameter("use md or json", param_hint="--format")
    try:
        settings = Settings.from_env(model=model, base_url=base_url, strict=strict)
        with Summarizer(settings, progress=_download_progress()) as summarizer:
            if file == "-":
                data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
                if not data.strip():
                    raise InputError("standard input is empty")
                if len(data) > settings.max_input_bytes:
                    raise InputError(f"standard input is over the {settings.max_input_bytes:,}-byte limit")
                source = article_from_text(decode(data, "<stdin>"))
                briefing = summarizer.brief(source)
            else:
                briefing = summarizer.brief(Path(file))
    except SummarizerError as exc:
        _fail(exc)
    text = briefing.model_dump_json(indent=2) if output_format == "json" else briefing.to_markdown()
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")


@app.command()
def schema(name: Annotated[str, typer.Argument(help="Which schema.")] = "briefing") -> None:
    """Print a JSON Schema (the same as schemas/<name>.schema.json)."""
    from summarizer.schema import EXPORTED_MODELS, json_schema

    if name not in EXPORTED_MODELS:
        raise typer.BadParameter(f"known: {', '.join(EXPORTED_MODELS)}", param_hint="NAME")
    typer.echo(json.dumps(json_schema(name), indent=2))


@models_app.command("list")
def models_list() -> None:
    """Show the known embedded models and whether each is cached."""
    from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
    from summarizer.local.weights import cached_path, is_cached
    from summarizer.settings import Settings

    cache = Settings.from_env().cache_dir
    for model in KNOWN_MODELS.values():
        state = f"cached at {cached_path(model, cache)}" if is_cached(model, cache) else "not cached"
        default = " (default)" if model.name == DEFAULT_LOCAL_MODEL else ""
        typer.echo(
            f"local/{model.name}{default}  {model.size / 1e6:.0f} MB  {model.license}  {model.description}  {state}"
        )


@models_app.command("pull")
def models_pull(
    name: Annotated[str | None, typer.Argument(help="Catalog name; the default model if omitted.")] = None,
) -> None:
    """Fetch and verify an embedded model's weights into the cache."""
    from summarizer.errors import SummarizerError
    from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
    from summarizer.local.weights import ensure_weights
    from summarizer.settings import Settings

    chosen = KNOWN_MODELS.get(name or DEFAULT_LOCAL_MODEL)
    if chosen is None:
        raise typer.BadParameter(f"known: {', '.join(KNOWN_MODELS)}", param_hint="NAME")
    try:
        path = ensure_weights(chosen, Settings.from_env().cache_dir, progress=_download_progress())
    except SummarizerError as exc:
        _fail(exc)
    typer.echo(str(path))


def _download_progress() -> Callable[[int, int], None]:
    """A rich progress bar on standard error, created on the first byte so cached runs print nothing."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TimeRemainingColumn

    bars: list[tuple[Progress, TaskID]] = []

    def update(done: int, total: int) -> None:
        if not bars:
            columns = ("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
            bar = Progress(*columns, transient=True, console=Console(stderr=True))
            bar.start()
            bars.append((bar, bar.add_task("assembling model weights", total=total)))
        bar, task = bars[0]
        bar.update(task, completed=done)
        if done >= total:
            bar.stop()

    return update


def _fail(exc: Exception) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_CODES.get(type(exc).__name__, 1))


def main() -> None:
    """Console-script entry point."""
    # instructor logs each rejected answer at ERROR; the briefing reports them in meta.warnings.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    app()
