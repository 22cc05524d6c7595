"""``summarizer batch export`` and ``import``: a digest's model requests run by a batch engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.cli import _options as options
from summarizer.cli._exits import exit_if_incomplete, fail, interrupted, store, writable

if TYPE_CHECKING:
    from summarizer.batch.jobs import Round

batch_app = typer.Typer(
    help="Scale out: export a digest's requests for a batch engine, import its results.", no_args_is_help=True
)


@batch_app.command("export")
def batch_export(
    inputs: options.Inputs,
    requests: Annotated[Path, typer.Option("--requests", help="The batch input file to write (JSONL).")],
    date: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD), as for digest.")] = None,
    since: Annotated[str | None, typer.Option(help="A span such as 24h or 3d, as for digest.")] = None,
    model: Annotated[
        str | None, typer.Option(help="The model the batch engine serves, e.g. openai/gpt-4o-mini.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="With a plain model name: the requests are for that server.")
    ] = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="Grouping threshold, as for digest.")] = 0.3,
    out: options.BatchOut = Path("digests"),
    formats: options.Formats = "md,html,json",
    max_cost: options.MaxCost = None,
) -> None:
    """Write the model requests of a digest run as an OpenAI Batch file (OpenAI Batch API, vLLM run_batch)."""
    import asyncio

    from summarizer.batch.jobs import export_batch
    from summarizer.digests.grouping import GroupingOptions
    from summarizer.digests.selection import Window
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    chosen = options.formats(formats)
    day, span = options.when(date, since)
    window = Window.chosen(day, span)
    writable(requests)
    with store() as results:
        try:
            settings = Settings.from_env(model=model, base_url=base_url, cost_budget=max_cost)
            first = asyncio.run(export_batch(inputs, results, settings=settings, date=day, window=window,
                                             grouping=GroupingOptions(threshold=threshold)))  # fmt: skip
        except SummarizerError as exc:
            fail(exc)
        except KeyboardInterrupt as exc:
            interrupted(exc, "nothing was written")
    _next_round(first, requests, out, chosen)


@batch_app.command("import")
def batch_import(
    results: Annotated[list[Path], typer.Argument(help="Batch output files (and error files), in any order.")],
    requests: Annotated[
        Path | None, typer.Option("--requests", help="Where to write the next round's requests.")
    ] = None,
    out: options.BatchOut = Path("digests"),
    formats: options.Formats = "md,html,json",
) -> None:
    """Validate and ground a batch's results: briefings into the cache, then the next round or the digest."""
    import asyncio

    from summarizer.batch.jobs import import_batch
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    chosen = options.formats(formats)
    target = requests or results[0].with_name(f"{results[0].stem}.next.jsonl")
    writable(target)
    with store() as kept:
        try:
            rounds, problems = asyncio.run(import_batch(results, kept, settings=Settings.from_env()))
        except SummarizerError as exc:
            fail(exc)
        except KeyboardInterrupt as exc:
            interrupted(exc, "run the same command again to go on")
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)
    for index, done in enumerate(rounds):
        _next_round(done, target if len(rounds) == 1 else target.with_suffix(f".{index + 1}.jsonl"), out, chosen,
                    final=index == len(rounds) - 1)  # fmt: skip


def _next_round(done: Round, requests: Path, out: Path, formats: tuple[str, ...], *, final: bool = True) -> None:
    """Write what the round needs next: the requests still to send, and the digest once none is waiting."""
    from summarizer.batch.files import write_lines
    from summarizer.digests.render import claimed, write
    from summarizer.errors import SummarizerError

    meta = done.digest.meta
    typer.echo(f"batch {done.batch}: {meta.articles} articles briefed, {len(done.used)} answers used", err=True)
    for custom_id, reason in done.failed.items():
        typer.echo(f"failed: {custom_id}: {reason}", err=True)
    if done.requests:
        count = write_lines(requests, done.requests)
        kind = done.stage or "failed requests to send again"
        typer.echo(
            f"{count} requests ({kind}) written; run them as a batch job, then: summarizer batch import", err=True
        )
        typer.echo(str(requests))
    if not done.complete:
        return
    try:
        with claimed(out):
            paths = write(done.digest, out, formats)
    except SummarizerError as exc:
        fail(exc)
    for path in paths:
        typer.echo(str(path))
    if final:
        exit_if_incomplete(done.digest)
