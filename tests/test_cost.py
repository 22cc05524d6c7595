"""Estimated cost: priced from genai-prices' bundled table, summed over re-asks, and capped by a budget."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import openai
import pytest
from genai_prices import Usage, calc_price

from summarizer.backends.base import ModelInfo
from summarizer.backends.registry import create_backend
from summarizer.batch.jobs import export_batch
from summarizer.client import Summarizer
from summarizer.digests.build import Digester
from summarizer.digests.store import Store
from summarizer.errors import ConfigurationError
from summarizer.retry import NO_RETRIES
from summarizer.settings import Settings
from summarizer.testing.stub_model import stub_model_server

from .digest_support import DIGEST_ARTICLES, stub_settings
from .scripted_server import scripted_server, tool_call
from .test_faults import _towns

BRIEFING = {
    "headline": "Council approves bridge repairs", "summary": "Port Alder will spend $48 million on the bridge.",
    "key_points": [{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [1]}],
    "positions": [], "people": [], "organizations": [], "places": ["Port Alder"],
}  # fmt: skip


def _dollars(model: str, input_tokens: int, output_tokens: int) -> float:
    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    return float(calc_price(usage, model, provider_id="openai").total_price)


def test_a_hosted_model_s_briefing_reports_its_cost_re_asks_included(harbor_text: str) -> None:
    invented = dict(BRIEFING, key_points=[{"text": "Something invented.", "sentences": [99]}])
    replies = [tool_call("DraftBriefing", json.dumps(invented)), tool_call("DraftBriefing", json.dumps(BRIEFING))]
    with scripted_server(replies) as (url, script):
        sdk = openai.OpenAI(base_url=url, api_key="sk-test")
        with Summarizer(Settings(model="openai/gpt-4o-mini", retry=NO_RETRIES), client=sdk) as client:
            briefing = client.brief(harbor_text)
        sdk.close()
    assert len(script.requests) == 2 and briefing.meta.attempts == 2
    assert briefing.meta.cost_usd == pytest.approx(_dollars("gpt-4o-mini", 200, 40))  # two answers of 100 + 20 tokens


def test_the_embedded_model_is_free_and_an_unknown_server_s_price_is_unknown(tmp_path: Path) -> None:
    weights = tmp_path / "mine.gguf"
    weights.write_bytes(b"GGUF")
    assert create_backend(Settings(model=f"local/{weights}")).info.cost(10_000, 1_000) == 0.0
    assert create_backend(Settings(model="llama3", base_url="http://127.0.0.1:9/v1")).info.cost(10_000, 1_000) is None
    hosted = create_backend(Settings(model="openai/gpt-4o-mini", api_key="sk-test"))
    assert hosted.info.cost(10_000, 1_000) == pytest.approx(_dollars("gpt-4o-mini", 10_000, 1_000))


@dataclasses.dataclass
class _Priced:
    """The stub's backend at a made-up price of one dollar per thousand tokens."""

    inner: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def info(self) -> ModelInfo:
        info: ModelInfo = self.inner.info
        return dataclasses.replace(info, pricing=lambda i, o: (i + o) / 1000)


def test_a_digest_stops_asking_once_its_cost_budget_is_reached(tmp_path: Path) -> None:
    _towns(tmp_path / "towns", 6)
    with stub_model_server() as stub:
        settings = dataclasses.replace(stub_settings(stub.url, tmp_path / "cache"), cost_budget=0.001)

        async def run() -> Any:
            async with Summarizer(settings, backend=_Priced(create_backend(settings))) as summarizer:
                return await Digester(summarizer, None, concurrency=1).build([tmp_path / "towns"])

        result = asyncio.run(run())
    assert len(stub.requests) == 1 and result.meta.articles == 1  # the first answer spent the budget
    assert result.meta.cost_usd == pytest.approx(result.meta.input_tokens / 1000 + result.meta.output_tokens / 1000)
    assert len(result.not_included) == 5
    assert all(item.stage == "model" and "cost budget of $0.0010" in item.reason for item in result.not_included)


def test_a_budget_that_cannot_be_kept_is_refused(tmp_path: Path) -> None:
    from summarizer.digests.api import digest

    with stub_model_server() as stub, pytest.raises(ConfigurationError, match="no price is known for stub"):
        digest([DIGEST_ARTICLES], settings=dataclasses.replace(stub_settings(stub.url, tmp_path), cost_budget=1.0))
    assert stub.requests == []


def test_a_batch_export_estimated_over_its_budget_is_refused(tmp_path: Path) -> None:
    settings = Settings(model="openai/gpt-4o-mini", api_key="sk-test", cache_dir=tmp_path)
    with Store(settings.store_path) as store:
        with pytest.raises(ConfigurationError, match=r"5 requests may cost up to \$0\.0"):
            asyncio.run(
                export_batch([DIGEST_ARTICLES], store, settings=dataclasses.replace(settings, cost_budget=0.0001))
            )
        exported = asyncio.run(
            export_batch([DIGEST_ARTICLES], store, settings=dataclasses.replace(settings, cost_budget=1))
        )
    assert len(exported.requests) == 5
