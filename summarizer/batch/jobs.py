"""Batch jobs: export a digest's model requests as a batch file, import the results in rounds.

A batch is planned once (what it covers and the settings that shape its requests) and kept in
the result store. Every export or import runs the ordinary digest over the plan with a
:class:`~summarizer.batch.backend.BatchBackend`: answers that have come in are validated and
grounded, finished briefings go to the cache, and what is still missing becomes the next batch
file. The stages follow from the pipeline itself: every article's first requests, then the
re-asks of answers that failed validation, then one synthesis per multi-article story.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from summarizer._briefing.parts import estimated_tokens
from summarizer.backends.base import Backend
from summarizer.backends.registry import create_backend
from summarizer.client import Summarizer
from summarizer.digests.build import Digester
from summarizer.digests.grouping import GroupingOptions
from summarizer.digests.schema import Digest
from summarizer.digests.selection import Window
from summarizer.digests.sources import DigestInput
from summarizer.digests.store import Store
from summarizer.errors import ConfigurationError, InputError
from summarizer.ingest.article import Article
from summarizer.settings import REQUEST_SHAPING, Settings

from .backend import BRIEFING_STAGE, STORY_STAGE, Batchable, BatchBackend
from .files import BatchResult, read_results, request_line

_SHAPING = (*REQUEST_SHAPING, "max_input_bytes")
"""Settings that change the requests themselves: a batch keeps them so every round asks alike."""


class BatchPlan(BaseModel):
    """What a batch covers: inputs, window, grouping and the settings that shape its requests."""

    paths: list[str]
    articles: list[Article]
    date: dt.date | None
    window: tuple[dt.date, dt.date] | None
    threshold: float
    settings: dict[str, Any]

    @property
    def id(self) -> str:
        """A name derived from the plan: exporting the same work twice gives the same request ids."""
        digest = hashlib.sha256(self.model_dump_json(exclude={"date"}).encode()).hexdigest()
        return f"sb{digest[:10]}"


@dataclass(frozen=True)
class Round:
    """One pass over a batch: the digest so far and the requests the next batch file needs."""

    batch: str
    digest: Digest
    stage: str
    requests: list[dict[str, Any]]
    failed: dict[str, str]
    used: frozenset[str]

    @property
    def complete(self) -> bool:
        """Nothing is waiting for an answer: the digest is final (failed requests are listed in it)."""
        return not self.stage


async def export_batch(
    inputs: Iterable[DigestInput],
    store: Store,
    *,
    settings: Settings,
    date: dt.date | None = None,
    window: Window | None = None,
    grouping: GroupingOptions | None = None,
) -> Round:
    """Plan a batch over ``inputs`` and return its first round; finished work comes from the cache.

    Requests that failed in an earlier round of the same batch are exported again.
    """
    paths: list[str] = []
    articles: list[Article] = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, str | Path):
            paths.append(os.path.abspath(item))  # a later import may run from another folder
        else:
            raise InputError("a batch covers paths, globs and Article objects; brief Briefed inputs with digest()")
    plan = BatchPlan(
        paths=paths,
        articles=articles,
        date=date,
        window=(window.first, window.last) if window else None,
        threshold=(grouping or GroupingOptions()).threshold,
        settings={name: getattr(settings, name) for name in _SHAPING},
    )
    first = await _round(plan, store, settings, resend_failed=True)
    if settings.cost_budget is not None:
        _refuse_over_budget(first.requests, create_backend(settings), settings.cost_budget)
    store.put_batch(plan.id, plan.model_copy(update={"date": first.digest.date}).model_dump_json())
    return first


def _refuse_over_budget(requests: list[dict[str, Any]], backend: Backend, budget: float) -> None:
    """Refuse a batch whose requests may cost more than ``budget`` US dollars.

    Input tokens are estimated from each body and output counted at its ``max_tokens``, at the
    provider's standard prices: an upper bound of what the batch engine may bill.
    """
    tokens_in = sum(estimated_tokens(json.dumps(line["body"])) for line in requests)
    tokens_out = sum(int(line["body"].get("max_tokens", 0)) for line in requests)
    cost = backend.info.cost(tokens_in, tokens_out)
    if cost is None:
        raise ConfigurationError(
            f"no price is known for {backend.info.name}, so a cost budget cannot be kept: drop --max-cost"
        )
    if cost > budget:
        raise ConfigurationError(
            f"the batch's {len(requests)} requests may cost up to ${cost:.4f} ({tokens_in:,} input and at most "
            f"{tokens_out:,} output tokens), over the budget of ${budget:.4f}: export fewer articles or raise "
            "--max-cost"
        )


async def import_batch(files: Iterable[Path], store: Store, *, settings: Settings) -> tuple[list[Round], list[str]]:
    """Take in result files (any order, several files, repeated results) and run each batch they answer.

    Returns a round per batch and the problems found in the files (damaged lines, unknown ids).
    """
    problems: list[str] = []
    batches: dict[str, BatchPlan] = {}
    imported: dict[str, set[str]] = {}
    unknown = 0
    for path in files:
        results, damaged = read_results(path)
        problems += [f"{path}: {p}; skipped" for p in damaged]
        for result in results:
            batch = result.custom_id.partition("-")[0]
            if batch not in batches:
                plan = store.batch_plan(batch)
                if plan is None:
                    unknown += 1
                    continue
                batches[batch] = BatchPlan.model_validate_json(plan)
            completion = json.dumps(result.completion) if result.completion is not None else None
            store.put_batch_result(result.custom_id, batch, completion, result.error)
            imported.setdefault(batch, set()).add(result.custom_id)
    if unknown:
        problems.append(
            f"{unknown} result(s) belong to no batch exported with this cache ({store.path}); "
            "import with the SUMMARIZER_CACHE_DB the export used"
        )
    if not batches:
        raise InputError("none of the results belong to a batch exported with this cache: " + "; ".join(problems))
    rounds = [await _round(plan, store, settings, resend_failed=False) for plan in batches.values()]
    for done in rounds:
        if done.stage and not imported[done.batch] & done.used:
            problems.append(
                f"batch {done.batch}: none of these results answer a request it still needs; were the articles, "
                "the prompts or the model changed after the export?"
            )
    return rounds, problems


async def _round(plan: BatchPlan, store: Store, settings: Settings, *, resend_failed: bool) -> Round:
    shaped = dataclasses.replace(settings, **plan.settings)
    inner = create_backend(shaped)
    if not isinstance(inner, Batchable):  # the extractive backend sends no requests
        raise ConfigurationError(f"{shaped.model} cannot be run as a batch job")
    received = {
        cid: BatchResult(cid, json.loads(completion) if completion else None, error)
        for cid, (completion, error) in store.batch_results(plan.id).items()
    }
    backend = BatchBackend(inner, plan.id, received, resend_failed=resend_failed)
    window = Window(*plan.window) if plan.window else None
    async with Summarizer(shaped, backend=backend) as summarizer:
        digester = Digester(summarizer, store, grouping=GroupingOptions(threshold=plan.threshold), fallback=False)
        digest = await digester.build([*plan.paths, *plan.articles], date=plan.date, window=window)
    waiting = {cid: w for cid, w in backend.wanted.items() if cid not in backend.failed}
    briefings = {cid: w for cid, w in waiting.items() if w.stage == BRIEFING_STAGE}
    # Stories wait until every briefing is in: a story asked early would be asked again.
    ask = briefings or waiting
    stage = BRIEFING_STAGE if briefings else STORY_STAGE if waiting else ""
    again = {cid: backend.wanted[cid] for cid in backend.failed}
    requests = [request_line(cid, w.body) for cid, w in {**ask, **again}.items()]
    return Round(plan.id, digest, stage, requests, dict(backend.failed), frozenset(backend.used))
