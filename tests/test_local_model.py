"""The real embedded model, end to end (slow: run with ``pytest -m local_model``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer._briefing.schema import Briefing
from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.backends.registry import create_backend
from summarizer.batch.files import write_lines
from summarizer.batch.jobs import export_batch, import_batch
from summarizer.batch.runner import run_batch
from summarizer.cli import app
from summarizer.client import Summarizer
from summarizer.digests.store import Store
from summarizer.grounding import GroundedText
from summarizer.settings import Settings

from .digest_support import DIGEST_ARTICLES, STRIKE

pytestmark = pytest.mark.local_model
ARTICLE = Path(__file__).parent / "articles" / "harbor_bridge.txt"
CACHE = Settings().cache_dir  # the user's real cache: weights are fetched once, never per test


def test_embedded_model_briefs_and_grounds_a_fictional_article() -> None:
    with Summarizer(Settings(cache_dir=CACHE)) as summarizer:
        briefing = summarizer.brief(ARTICLE)
        again = summarizer.brief(ARTICLE)  # the server is reused, not restarted
    article = summarizer.read(ARTICLE)
    Briefing.model_validate(briefing.model_dump(), context={"article": GroundedText(article.text)})
    assert briefing.meta.model == "local/qwen2.5-coder-0.5b"
    assert briefing.key_points and briefing.headline
    assert {"Elena Varga", "Tomas Reyes"} <= {e.name for e in briefing.entities}
    assert again.headline == briefing.headline  # temperature 0: the same article gives the same briefing


def test_cli_prints_schema_valid_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(CACHE))
    result = CliRunner().invoke(app, ["brief", str(ARTICLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    Briefing.model_validate(json.loads(result.output))


def test_a_batch_file_runs_on_the_embedded_server_and_imports_into_a_digest(tmp_path: Path) -> None:
    settings = Settings(cache_dir=CACHE, cache_db=tmp_path / "results.sqlite3")
    backend = create_backend(settings)
    assert isinstance(backend, OpenAICompatBackend)
    strike = [DIGEST_ARTICLES / name for name in sorted(STRIKE)]
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    try:
        url = backend.connection.base_url()
        assert url is not None
        with Store(settings.store_path) as store:
            done = asyncio.run(export_batch(strike, store, settings=settings))
            stages = [done.stage]
            while not done.complete and len(stages) < 8:  # each stage is at most 1 + 2 re-ask rounds
                write_lines(requests, done.requests)
                assert run_batch(requests, results, url, shuffle=len(stages)) == 0
                rounds, problems = asyncio.run(import_batch([results], store, settings=settings))
                assert not problems
                (done,) = rounds
                stages.append(done.stage)
    finally:
        backend.close()
    order = ["briefings", "stories", ""]
    assert stages[0] == "briefings" and stages[-1] == "" and stages == sorted(stages, key=order.index)
    digest = done.digest  # validated against the articles' text when it was built
    assert len(digest.stories) == 1 and {Path(s.input).name for s in digest.stories[0].sources} == STRIKE
    assert digest.stories[0].written_by == "model" and not digest.not_included
