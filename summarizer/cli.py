"""The command line: ``summarizer brief``, ``digest``, ``batch``, ``cache``, ``schema`` and ``models``.

Exit codes: 0 success, 2 usage, 3 unreadable input, 4 configuration, 5 model backend failure,
6 strict-mode grounding failure, 7 model weights could not be fetched, 8 digest written but some
inputs could not be included (they are listed in it).
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from summarizer.batch.jobs import Round
    from summarizer.digests.build import Progress as DigestProgress
    from summarizer.digests.schema import Digest
    from summarizer.digests.store import Store
    from summarizer.errors import SummarizerError

app = typer.Typer(help="Grounded briefings of news articles.", no_args_is_help=True, add_completion=False)
models_app = typer.Typer(help="The embedded model's weights.", no_args_is_help=True)
app.add_typer(models_app, name="models")
cache_app = typer.Typer(help="The digest's result cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
batch_app = typer.Typer(
    help="Scale out: export a digest's requests for a batch engine, import its results.", no_args_is_help=True
)
app.add_typer(batch_app, name="batch")

_Formats = Annotated[str, typer.Option("--format", help="Comma-separated: md, html, json.")]
_MaxCost = Annotated[
    float | None,
    typer.Option(
        min=0.0, help="US dollars: stop model requests (digest) or refuse the export once the estimate reaches it."
    ),
]
_Timeout = Annotated[
    float | None,
    typer.Option(min=0.001, help="Seconds one model request may take, first byte to last (default 120)."),
]
_BatchOut = Annotated[Path, typer.Option("--out", help="Folder for the digest, once no request is left.")]

SOME_NOT_INCLUDED = 8


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
    formats: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    strict: Annotated[bool, typer.Option(help="Fail (exit 6) instead of dropping ungrounded items.")] = False,
    timeout: _Timeout = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Brief one article."""
    from summarizer.atomic import atomic_text, ensure_writable
    from summarizer.client import Summarizer
    from summarizer.errors import InputError, SummarizerError
    from summarizer.ingest.loaders import article_from_text, decode
    from summarizer.settings import Settings

    if formats not in ("md", "json"):
        raise typer.BadParameter("use md or json", param_hint="--format")
    try:
        if output is not None:
            ensure_writable(output)
        settings = Settings.from_env(model=model, base_url=base_url, strict=strict, timeout=timeout)
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
    except KeyboardInterrupt as exc:
        _interrupted(exc, "nothing was written")
    text = briefing.model_dump_json(indent=2) if formats == "json" else briefing.to_markdown()
    if output is None:
        typer.echo(text)
    else:
        with atomic_text(output) as stream:
            stream.write(text + "\n")


@app.command()
def digest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or JSONL feeds of articles.")],
    date: Annotated[
        str | None, typer.Option(help="The day (YYYY-MM-DD): articles published on other days are left out.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published within this span, e.g. 24h or 3d.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for DATE.md, DATE.html and DATE.json.")] = Path("digests"),
    model: Annotated[str | None, typer.Option(help="Model spec, as for brief.")] = None,
    base_url: Annotated[str | None, typer.Option(help="An OpenAI-compatible server.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Model requests in flight at once.")] = 4,
    formats: _Formats = "md,html,json",
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Grouping score above which articles are one story.")
    ] = 0.3,
    cache: Annotated[bool, typer.Option(help="Reuse and keep finished work in the cache.")] = True,
    timeout: _Timeout = None,
    max_cost: _MaxCost = None,
) -> None:
    """Brief many articles, group them into stories and write the day's digest."""
    from summarizer.digests.api import digest as build_digest
    from summarizer.digests.grouping import GroupingOptions
    from summarizer.digests.render import claimed, write
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    chosen = _formats(formats)
    day, span = _when(date, since)
    display = _digest_display()
    try:
        settings = Settings.from_env(model=model, base_url=base_url, timeout=timeout, cost_budget=max_cost)
        with claimed(out), display:
            result = build_digest(inputs, date=day, since=span, settings=settings, concurrency=concurrency,
                                  grouping=GroupingOptions(threshold=threshold), cache=cache,
                                  on_progress=display.update)  # fmt: skip
            paths = write(result, out, chosen)
    except SummarizerError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:
        _interrupted(exc, "finished briefings are cached; run the same command to resume")
    for path in paths:
        typer.echo(str(path))
    meta = result.meta
    typer.echo(
        f"{len(result.stories)} stories from {meta.articles} articles; {len(result.not_included)} not included; "
        f"{meta.model_calls} model calls, {meta.input_tokens + meta.output_tokens:,} tokens "
        f"({_dollars(meta.cost_usd)}), {meta.cache_hits} briefings from cache, {meta.seconds:.1f} s",
        err=True,
    )
    _exit_if_incomplete(result)


@batch_app.command("export")
def batch_export(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or JSONL feeds of articles.")],
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
    out: _BatchOut = Path("digests"),
    formats: _Formats = "md,html,json",
    max_cost: _MaxCost = None,
) -> None:
    """Write the model requests of a digest run as an OpenAI Batch file (OpenAI Batch API, vLLM run_batch)."""
    import asyncio

    from summarizer.batch.jobs import export_batch
    from summarizer.digests.build import Window
    from summarizer.digests.grouping import GroupingOptions
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    chosen = _formats(formats)
    day, span = _when(date, since)
    window = Window.chosen(day, span)
    _writable(requests)
    with _store() as store:
        try:
            settings = Settings.from_env(model=model, base_url=base_url, cost_budget=max_cost)
            first = asyncio.run(export_batch(inputs, store, settings=settings, date=day, window=window,
                                             grouping=GroupingOptions(threshold=threshold)))  # fmt: skip
        except SummarizerError as exc:
            _fail(exc)
        except KeyboardInterrupt as exc:
            _interrupted(exc, "nothing was written")
    _next_round(first, requests, out, chosen)


@batch_app.command("import")
def batch_import(
    results: Annotated[list[Path], typer.Argument(help="Batch output files (and error files), in any order.")],
    requests: Annotated[
        Path | None, typer.Option("--requests", help="Where to write the next round's requests.")
    ] = None,
    out: _BatchOut = Path("digests"),
    formats: _Formats = "md,html,json",
) -> None:
    """Validate and ground a batch's results: briefings into the cache, then the next round or the digest."""
    import asyncio

    from summarizer.batch.jobs import import_batch
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    chosen = _formats(formats)
    target = requests or results[0].with_name(f"{results[0].stem}.next.jsonl")
    _writable(target)
    with _store() as store:
        try:
            rounds, problems = asyncio.run(import_batch(results, store, settings=Settings.from_env()))
        except SummarizerError as exc:
            _fail(exc)
        except KeyboardInterrupt as exc:
            _interrupted(exc, "run the same command again to go on")
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
        _fail(exc)
    for path in paths:
        typer.echo(str(path))
    if final:
        _exit_if_incomplete(done.digest)


def _writable(target: Path) -> None:
    """Exit 4 now, before any model work, when ``target`` cannot be written."""
    from summarizer.atomic import ensure_writable
    from summarizer.errors import SummarizerError

    try:
        ensure_writable(target)
    except SummarizerError as exc:
        _fail(exc)


def _dollars(cost: float | None) -> str:
    return "cost unknown" if cost is None else f"${cost:.4f}"


def _exit_if_incomplete(result: Digest) -> None:
    if any(item.stage != "window" for item in result.not_included):
        raise typer.Exit(SOME_NOT_INCLUDED)


@cache_app.command("stats")
def cache_stats() -> None:
    """Show what the cache holds and where."""
    with _store() as store:
        stats = store.stats()
    typer.echo(f"{stats.path}  {stats.size_bytes / 1e6:.1f} MB")
    for kind, count in stats.counts.items() or {"(empty)": 0}.items():
        typer.echo(f"  {kind}: {count}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached briefing and story, and the state of batch jobs."""
    with _store() as store:
        removed = store.clear()
    typer.echo(f"removed {removed} cached results")


@app.command()
def schema(name: Annotated[str, typer.Argument(help="Which schema.")] = "briefing") -> None:
    """Print a JSON Schema (the same as schemas/<name>.schema.json)."""
    from summarizer.schema import EXPORTED_SCHEMAS, json_schema

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
        store = Settings.from_env().model_store
    except SummarizerError as exc:
        _fail(exc)
    for model in KNOWN_MODELS.values():
        state = f"cached at {cached_path(model, store)}" if is_cached(model, store) else "not cached"
        default = " (default)" if model.name == DEFAULT_LOCAL_MODEL else ""
        typer.echo(
            f"local/{model.name}{default}  {model.size / 1e6:.0f} MB  {model.license}  {model.description}  {state}"
        )
    nlp = EN_CORE_WEB_SM.folder(store)
    state = f"cached at {nlp}" if (nlp / "meta.json").is_file() else "not cached"
    typer.echo(f"{NLP_MODEL_NAME}  13 MB  MIT  spaCy's English pipeline (NER, parser), always used  {state}")


NLP_MODEL_NAME = "en_core_web_sm"


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
        store = Settings.from_env().model_store
        if name in (None, NLP_MODEL_NAME):
            typer.echo(str(ensure_nlp_model(EN_CORE_WEB_SM, store)))
        if chosen is not None:
            typer.echo(str(ensure_weights(chosen, store, progress=_download_progress())))
    except SummarizerError as exc:
        _fail(exc)


def _download_progress() -> Callable[[int, int], None]:
    """A rich progress bar on standard error, created on the first byte so cached runs print nothing."""
    if not sys.stderr.isatty():
        return _plain_download_progress()
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


def _plain_download_progress() -> Callable[[int, int], None]:
    """A line per tenth of the weights, for logs and pipes (no terminal control codes)."""
    shown: list[int] = []

    def update(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth not in shown:
            shown.append(tenth)
            typer.echo(f"assembling model weights: {done / 1e6:,.0f} of {total / 1e6:,.0f} MB", err=True)

    return update


def _store() -> Store:
    """The result store the environment names; exits 4 with the reason when it cannot be opened."""
    from summarizer.digests.store import Store
    from summarizer.errors import SummarizerError
    from summarizer.settings import Settings

    try:
        return Store(Settings.from_env().store_path)
    except SummarizerError as exc:
        _fail(exc)


def _formats(text: str) -> tuple[str, ...]:
    from summarizer.digests.render import FORMATS

    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    if not chosen or not set(chosen) <= set(FORMATS):
        raise typer.BadParameter(f"use a comma-separated list of {', '.join(FORMATS)}", param_hint="--format")
    return chosen


def _when(date: str | None, since: str | None) -> tuple[dt.date | None, timedelta | None]:
    """``--date`` and ``--since``, checked."""
    if date and since:
        raise typer.BadParameter("give --date or --since, not both", param_hint="--date")
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    return day, _span(since) if since else None


def _span(text: str) -> timedelta:
    """``24h``, ``90m``, ``3d`` or ``1w`` as a time span."""
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    number, unit = text[:-1].strip(), text[-1:].lower()
    if unit not in units or not number.replace(".", "", 1).isdigit():
        raise typer.BadParameter("use a number and a unit: 90m, 24h, 3d or 1w", param_hint="--since")
    try:
        return timedelta(**{units[unit]: float(number)})
    except OverflowError:
        raise typer.BadParameter("too long a span; no date is that old", param_hint="--since") from None


def _digest_display() -> _DigestDisplay | _PlainProgress:
    """A live display on a terminal; plain lines where standard error is a log or a pipe."""
    return _DigestDisplay() if sys.stderr.isatty() else _PlainProgress()


class _DigestDisplay:
    """A rich progress display on standard error: done, failed, cached, tokens and time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, Any] = {}

    def update(self, progress: DigestProgress) -> None:
        task = self._tasks.get(progress.stage)
        if task is None:
            task = self._tasks[progress.stage] = self._bar.add_task(progress.stage, total=progress.total, detail="")
        self._bar.update(task, completed=progress.done + progress.failed, detail=_detail(progress))

    def __enter__(self) -> _DigestDisplay:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()


class _PlainProgress:
    """One line per finished article or story on standard error, for logs (no terminal control codes)."""

    def update(self, progress: DigestProgress) -> None:
        finished = progress.done + progress.failed
        if finished or not progress.total:
            typer.echo(f"{progress.stage} {finished}/{progress.total}: {_detail(progress)}", err=True)

    def __enter__(self) -> _PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _detail(progress: DigestProgress) -> str:
    return f"failed {progress.failed} · cached {progress.cached} · {progress.tokens:,} tokens"


def _fail(exc: SummarizerError) -> NoReturn:
    """Report a library error and exit with its class's code (see :mod:`summarizer.errors`)."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands so it stops as on Ctrl-C: temporaries removed, servers stopped."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _interrupted(exc: KeyboardInterrupt, what: str) -> NoReturn:
    """Say what was kept, and exit as the shell expects of a signal: 128 + its number."""
    name, code = ("terminated", 143) if isinstance(exc, _Terminated) else ("interrupted", 130)
    typer.echo(f"{name}: {what}", err=True)
    raise typer.Exit(code) from None


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except SystemExit as exc:
        # typer turns an interrupt outside the commands' own handling (during start-up) into a bare 130
        if exc.code == 130 and _caused_by_sigterm(exc):
            raise SystemExit(143) from None
        raise


def _caused_by_sigterm(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, _Terminated):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
