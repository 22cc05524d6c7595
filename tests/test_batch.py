"""Scale-out through the OpenAI Batch format, on the stub model server and the small batch runner.

Requests are exported, answered by ``summarizer.batch.runner`` (in a shuffled order, as
OpenAI may return them), and imported round by round until the digest is written. The result
lines written by hand below (vLLM and OpenAI error rows, damaged lines) are fixtures of the
formats, not model output.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch.files import read_results, write_lines
from summarizer.batch.jobs import Round, export_batch, import_batch
from summarizer.batch.runner import run_batch
from summarizer.cli import app
from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.digests.store import Store
from summarizer.errors import ConfigurationError, InputError
from summarizer.settings import Settings
from summarizer.testing.stub_model import FaultPlan, StubModel, stub_model_server

from .digest_support import DIGEST_ARTICLES, STRIKE, stub_settings


@pytest.fixture
def stub() -> Iterator[StubModel]:
    with stub_model_server() as model:
        yield model


def _run(requests: list[dict[str, object]], url: str, folder: Path, name: str, *, shuffle: int = 0) -> Path:
    """Send a round's requests through the small batch runner; the results file it wrote."""
    sent, results = folder / f"{name}.requests.jsonl", folder / f"{name}.results.jsonl"
    write_lines(sent, requests)
    run_batch(sent, results, url, shuffle=shuffle)
    return results


def _import(results: Path, settings: Settings) -> Round:
    with Store(settings.store_path) as store:
        rounds, problems = asyncio.run(import_batch([results], store, settings=settings))
    assert not problems and len(rounds) == 1
    return rounds[0]


def _export(settings: Settings, inputs: list[str | Path]) -> Round:
    with Store(settings.store_path) as store:
        return asyncio.run(export_batch(inputs, store, settings=settings))


def test_exported_requests_are_exactly_what_the_live_client_sends(stub: StubModel, tmp_path: Path) -> None:
    article = DIGEST_ARTICLES / "millbrook_library.txt"
    settings = stub_settings(stub.url, tmp_path)
    with Summarizer(settings) as summarizer:
        summarizer.brief(article)
    exported = _export(settings, [article])
    assert exported.stage == "briefings"
    assert [line["body"] for line in exported.requests] == stub.requests
    line = exported.requests[0]
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
    assert "stream" not in line["body"]  # vLLM's run_batch does not stream


def test_rounds_of_batch_results_give_the_digest_a_live_run_gives(stub: StubModel, tmp_path: Path) -> None:
    settings = stub_settings(stub.url, tmp_path / "batch")
    first = _export(settings, [DIGEST_ARTICLES])
    assert first.stage == "briefings" and len(first.requests) == 5  # 6 files, one a republished copy
    assert len({line["custom_id"] for line in first.requests}) == 5
    assert not stub.requests  # exporting asks the model nothing

    second = _import(_run(first.requests, stub.url, tmp_path, "one", shuffle=3), settings)
    assert second.stage == "stories" and not second.complete
    assert len(second.requests) == 1 and second.digest.meta.articles == 5  # the strike story's synthesis
    final = _import(_run(second.requests, stub.url, tmp_path, "two"), settings)
    assert final.complete and not final.requests and not final.failed

    live = digest([DIGEST_ARTICLES], settings=stub_settings(stub.url, tmp_path / "live"))
    assert [s.headline for s in final.digest.stories] == [s.headline for s in live.stories]
    assert [[Path(source.input).name for source in s.sources] for s in final.digest.stories] == [
        [Path(source.input).name for source in s.sources] for s in live.stories
    ]
    assert {Path(s.input).name for s in final.digest.stories[0].sources} == STRIKE
    # the imported briefings and story are in the cache: a live digest over it asks the model nothing
    asked = len(stub.requests)
    again = digest([DIGEST_ARTICLES], settings=settings)
    assert len(stub.requests) == asked and again.meta.model_calls == 0 and again.meta.cache_hits == 5


def test_every_part_of_a_long_article_goes_in_the_first_round(stub: StubModel, tmp_path: Path) -> None:
    settings = dataclasses.replace(stub_settings(stub.url, tmp_path), strategy="write", part_tokens=90)
    first = _export(settings, [DIGEST_ARTICLES / "millbrook_library.txt"])
    schemas = [line["body"]["response_format"]["json_schema"]["name"] for line in first.requests]
    assert len(schemas) > 1 and set(schemas) == {"WriteDraft"}  # the parts do not wait for each other's answers
    final = _import(_run(first.requests, stub.url, tmp_path, "one"), settings)
    assert final.complete and final.digest.meta.articles == 1 and final.digest.meta.model_calls == len(schemas)


def test_answers_that_fail_validation_are_reasked_in_the_next_round(tmp_path: Path) -> None:
    with stub_model_server(faults=FaultPlan(script=["schema"])) as stub:
        settings = stub_settings(stub.url, tmp_path)
        first = _export(settings, [DIGEST_ARTICLES / "millbrook_library.txt"])
        second = _import(_run(first.requests, stub.url, tmp_path, "one"), settings)
        assert second.stage == "briefings" and second.digest.meta.articles == 0
        (reask,) = second.requests
        messages = reask["body"]["messages"]
        assert messages[: len(first.requests[0]["body"]["messages"])] == first.requests[0]["body"]["messages"]
        assert messages[-2]["role"] == "assistant" and '"headline": 42' in messages[-2]["content"]
        final = _import(_run(second.requests, stub.url, tmp_path, "two"), settings)
    assert final.complete and final.digest.meta.articles == 1
    briefing_meta = final.digest.meta
    assert briefing_meta.model_calls == 2  # the rejected answer and the re-asked one


def test_failed_requests_are_listed_and_sent_again(tmp_path: Path) -> None:
    with stub_model_server(faults=FaultPlan(script=["500"])) as stub:
        settings = stub_settings(stub.url, tmp_path)
        inputs: list[str | Path] = [DIGEST_ARTICLES / "millbrook_library.txt", DIGEST_ARTICLES / "rivervale_comet.txt"]
        first = _export(settings, inputs)
        second = _import(_run(first.requests, stub.url, tmp_path, "one"), settings)
        (failed_id,) = second.failed
        assert "status 500" in second.failed[failed_id]
        # nothing else is waiting: the digest is final, the failed article listed, its request ready to resend
        assert second.complete and second.digest.meta.articles == 1
        (left_out,) = second.digest.not_included
        assert left_out.stage == "model" and failed_id in left_out.reason
        assert [line["custom_id"] for line in second.requests] == [failed_id]
        final = _import(_run(second.requests, stub.url, tmp_path, "two"), settings)
    assert final.complete and not final.failed and final.digest.meta.articles == 2


def test_results_files_in_both_engines_formats_are_read_and_damaged_lines_reported(tmp_path: Path) -> None:
    completion = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "{}"}}]}
    lines = [
        {"id": "1", "custom_id": "sbx-ok", "response": {"status_code": 200, "request_id": "r", "body": completion},
         "error": None},
        # vLLM: a failure in the same output file, with an error message and a 400 response without a body
        {"id": "2", "custom_id": "sbx-vllm", "response": {"status_code": 400, "request_id": "r"},
         "error": "context length exceeded"},
        # OpenAI's error file: the error inside the response body
        {"id": "3", "custom_id": "sbx-openai", "response": {"status_code": 429, "request_id": "r",
         "body": {"error": {"message": "quota", "type": "tokens"}}}, "error": None},
        # OpenAI, an expired request: no response at all
        {"id": "4", "custom_id": "sbx-expired", "response": None,
         "error": {"code": "batch_expired", "message": "not completed in time"}},
    ]  # fmt: skip
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + '\n{"custom_id": "sbx-cut", "resp\n\n')
    results, damaged = read_results(path)
    by_id = {r.custom_id: r for r in results}
    assert by_id["sbx-ok"].completion == completion and by_id["sbx-ok"].error is None
    assert by_id["sbx-vllm"].error == "status 400: context length exceeded"
    assert by_id["sbx-openai"].error == "status 429: quota"
    assert by_id["sbx-expired"].error == "not completed in time"
    assert len(damaged) == 1 and damaged[0].startswith("line 5:")


def test_results_of_another_cache_are_refused_with_the_reason(stub: StubModel, tmp_path: Path) -> None:
    settings = stub_settings(stub.url, tmp_path / "one")
    first = _export(settings, [DIGEST_ARTICLES / "millbrook_library.txt"])
    results = _run(first.requests, stub.url, tmp_path, "one")
    elsewhere = stub_settings(stub.url, tmp_path / "other")
    with Store(elsewhere.store_path) as store, pytest.raises(InputError, match="SUMMARIZER_CACHE_DB"):
        asyncio.run(import_batch([results], store, settings=elsewhere))


def test_the_cli_runs_a_batch_from_export_to_digest(stub: StubModel, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SUMMARIZER_CACHE_DB": str(tmp_path / "cache.sqlite3")}
    requests, out = tmp_path / "requests.jsonl", tmp_path / "digests"
    export = ["batch", "export", str(DIGEST_ARTICLES), "--requests", str(requests), "--model", "stub"]
    exported = runner.invoke(app, [*export, "--base-url", stub.url], env=env)
    assert exported.exit_code == 0, exported.output
    assert str(requests) in exported.stdout and "5 requests (briefings)" in exported.stderr
    results = tmp_path / "results.jsonl"
    for round_number in range(1, 4):
        run_batch(requests, results, stub.url, shuffle=round_number)
        imported = runner.invoke(
            app, ["batch", "import", str(results), "--requests", str(requests), "--out", str(out)], env=env
        )
        assert imported.exit_code == 0, imported.output
        if "2026-03-13.json" in imported.stdout:
            break
    assert round_number == 2  # briefings, then the one story
    written = json.loads((out / "2026-03-13.json").read_text())
    assert len(written["stories"]) == 3 and written["not_included"] == []
    missing = runner.invoke(app, ["batch", "import", str(tmp_path / "nope.jsonl")], env=env)
    assert missing.exit_code == 3 and "no results file" in missing.stderr


def test_a_backend_that_sends_no_requests_cannot_be_exported_as_a_batch(tmp_path: Path) -> None:
    settings = dataclasses.replace(stub_settings("http://127.0.0.1:1/v1", tmp_path), model="extractive", base_url=None)
    with pytest.raises(ConfigurationError, match="extractive cannot be run as a batch job"):
        _export(settings, [DIGEST_ARTICLES / "millbrook_library.txt"])
