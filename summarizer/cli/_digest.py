"""``summarizer digest``: many articles grouped into stories, written as the day's digest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli import _options as options
from summarizer.cli._exits import exit_if_incomplete, fail, interrupted
from summarizer.cli._progress import digest_display


def digest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, globs, JSONL feeds, or http(s) addresses of feeds and article pages."),
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="The day (YYYY-MM-DD): articles published on other days are left out.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published within this span, e.g. 24h or 3d.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for DATE.md/.html/.json/.atom, feed.atom.")] = Path(
        "digests"
    ),
    model: Annotated[str | None, typer.Option(help="Model spec, as for brief.")] = None,
    base_url: Annotated[str | None, typer.Option(help="An OpenAI-compatible server.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Model requests in flight at once.")] = 4,
    formats: options.Formats = "md,html,json,atom",
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Grouping score above which articles are one story.")
    ] = 0.3,
    cache: Annotated[bool, typer.Option(help="Reuse and keep finished work in the cache.")] = True,
    timeout: options.Timeout = None,
    max_cost: options.MaxCost = None,
    feeds: Annotated[
        Path | None,
        typer.Option(help="A subscription list: OPML (from a feed reader) or TOML; a section per category."),
    ] = None,
    allow_private_addresses: options.AllowPrivate = False,
) -> None:
    """Brief many articles, group them into stories and write the day's digest."""
    from summarizer.digests.api import digest as build_digest
    from summarizer.digests.grouping import GroupingOptions
    from summarizer.digests.render import claimed, write
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings
    from summarizer.web.subscriptions import Feed, read_subscriptions

    if not inputs and feeds is None:
        raise typer.BadParameter("name articles, folders or feed addresses, or give --feeds FILE", param_hint="INPUTS")
    chosen = options.formats(formats)
    day, span = options.when(date, since)
    display = digest_display()
    try:
        settings = Settings.from_env(model=model, base_url=base_url, timeout=timeout, cost_budget=max_cost,
                                     allow_private_addresses=allow_private_addresses or None)  # fmt: skip
        sources: list[str | Feed] = [*(inputs or []), *(read_subscriptions(feeds) if feeds is not None else [])]
        with claimed(out), display:
            result = build_digest(sources, date=day, since=span, settings=settings, concurrency=concurrency,
                                  grouping=GroupingOptions(threshold=threshold), cache=cache,
                                  on_progress=display.update)  # fmt: skip
            paths = write(result, out, chosen)
    except SummarizerError as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        interrupted(exc, "finished briefings are cached; run the same command to resume")
    for path in paths:
        typer.echo(str(path))
    meta = result.meta
    typer.echo(
        f"{len(result.stories)} stories from {meta.articles} articles; {len(result.not_included)} not included; "
        f"{meta.model_calls} model calls, {meta.input_tokens + meta.output_tokens:,} tokens "
        f"({_dollars(meta.cost_usd)}), {meta.cache_hits} briefings from cache, {meta.seconds:.1f} s",
        err=True,
    )
    exit_if_incomplete(result)


def _dollars(cost: float | None) -> str:
    return "cost unknown" if cost is None else f"${cost:.4f}"
