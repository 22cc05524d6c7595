"""The housekeeping commands: ``models`` (the embedded model's weights), ``cache`` and ``schema``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from summarizer.cli._exits import fail, store
from summarizer.cli._progress import download_progress

models_app = typer.Typer(help="The embedded model's weights.", no_args_is_help=True)
cache_app = typer.Typer(help="The digest's result cache.", no_args_is_help=True)

NLP_MODEL_NAME = "en_core_web_sm"


@cache_app.command("stats")
def cache_stats() -> None:
    """Show what the cache holds and where."""
    with store() as results:
        stats = results.stats()
    typer.echo(f"{stats.path}  {stats.size_bytes / 1e6:.1f} MB")
    for kind, count in stats.counts.items() or {"(empty)": 0}.items():
        typer.echo(f"  {kind}: {count}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached briefing and story, and the state of batch jobs."""
    with store() as results:
        removed = results.clear()
    typer.echo(f"removed {removed} cached results")


def schema(name: Annotated[str, typer.Argument(help="Which schema.")] = "briefing") -> None:
    """Print a JSON Schema (the same as schemas/<name>.schema.json)."""
    from summarizer.digests.schema import EXPORTED_SCHEMAS, json_schema

    if name not in EXPORTED_SCHEMAS:
        raise typer.BadParameter(f"known: {', '.join(EXPORTED_SCHEMAS)}", param_hint="NAME")
    typer.echo(json.dumps(json_schema(name), indent=2))


@models_app.command("list")
def models_list() -> None:
    """Show the known embedded models and the NLP model, and whether each is fetched."""
    from summarizer.errors import SummarizerError
    from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
    from summarizer.local.weights import cached_path, is_cached
    from summarizer.nlp.model import EN_CORE_WEB_SM
    from summarizer.settings import Settings

    try:
        models_dir = Settings.from_env().model_store
    except SummarizerError as exc:
        fail(exc)
    for model in KNOWN_MODELS.values():
        state = f"cached at {cached_path(model, models_dir)}" if is_cached(model, models_dir) else "not cached"
        default = " (default)" if model.name == DEFAULT_LOCAL_MODEL else ""
        typer.echo(
            f"local/{model.name}{default}  {model.size / 1e6:.0f} MB  {model.license}  {model.description}  {state}"
        )
    nlp = EN_CORE_WEB_SM.folder(models_dir)
    state = f"cached at {nlp}" if (nlp / "meta.json").is_file() else "not cached"
    typer.echo(f"{NLP_MODEL_NAME}  13 MB  MIT  spaCy's English pipeline (NER, parser), always used  {state}")


@models_app.command("pull")
def models_pull(
    name: Annotated[
        str | None,
        typer.Argument(help="A catalog name or en_core_web_sm; the default model and the NLP model if omitted."),
    ] = None,
) -> None:
    """Fetch and verify model files into the models folder (the cache's, or SUMMARIZER_MODELS_DIR)."""
    from summarizer.errors import SummarizerError
    from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, KNOWN_MODELS
    from summarizer.local.weights import ensure_weights
    from summarizer.nlp.model import EN_CORE_WEB_SM, ensure_nlp_model
    from summarizer.settings import Settings

    chosen = KNOWN_MODELS.get(name or DEFAULT_LOCAL_MODEL)
    if chosen is None and name != NLP_MODEL_NAME:
        raise typer.BadParameter(f"known: {', '.join([*KNOWN_MODELS, NLP_MODEL_NAME])}", param_hint="NAME")
    try:
        models_dir = Settings.from_env().model_store
        if name in (None, NLP_MODEL_NAME):
            typer.echo(str(ensure_nlp_model(EN_CORE_WEB_SM, models_dir)))
        if chosen is not None:
            typer.echo(str(ensure_weights(chosen, models_dir, progress=download_progress())))
    except SummarizerError as exc:
        fail(exc)
