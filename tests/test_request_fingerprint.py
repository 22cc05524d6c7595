"""The cache key covers everything that reaches the model, so changing any of it redoes the work."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pydantic import Field

from summarizer._briefing.drafts import WriteDraft
from summarizer._briefing.pipeline import STRATEGIES, Step
from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.settings import Settings
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings

BASE = Settings(model="m", base_url="http://127.0.0.1:9/v1")


def _fingerprint(settings: Settings = BASE) -> str:
    return Summarizer(settings).request_fingerprint()


@pytest.mark.parametrize(
    "change",
    [
        {"max_reasks": 0},
        {"token_budget": 5000},
        {"part_tokens": 3000},
        {"strategy": "compress"},
        {"model": "other"},
        {"base_url": "http://127.0.0.1:8/v1"},
    ],  # fmt: skip
)
def test_every_request_shaping_setting_changes_the_fingerprint(change: dict[str, object]) -> None:
    assert _fingerprint(dataclasses.replace(BASE, **change)) != _fingerprint()  # type: ignore[arg-type]


def test_what_does_not_reach_the_model_leaves_it_alone(tmp_path: Path) -> None:
    unchanged = dataclasses.replace(BASE, timeout=5, cache_dir=tmp_path, strict=True, max_input_bytes=10)
    assert _fingerprint(unchanged) == _fingerprint()


def test_a_draft_s_field_description_and_output_limit_change_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _fingerprint()

    class Reworded(WriteDraft):
        headline: str = Field(description="A headline of at most eight words.", max_length=60)

    monkeypatch.setitem(STRATEGIES, "write", (Step("write", Reworded, 900),))
    reworded = _fingerprint()
    monkeypatch.setitem(STRATEGIES, "write", (Step("write", WriteDraft, 1000),))
    assert len({before, reworded, _fingerprint()}) == 3


def test_a_digest_rerun_with_other_reask_bounds_is_not_served_from_the_cache(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        settings = stub_settings(stub.url, tmp_path)
        digest([DIGEST_ARTICLES], settings=settings)
        first = len(stub.requests)
        again = digest([DIGEST_ARTICLES], settings=dataclasses.replace(settings, max_reasks=0, token_budget=9000))
    assert again.meta.cache_hits == 0 and len(stub.requests) == 2 * first
