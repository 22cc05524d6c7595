"""The real embedded model, end to end (slow: run with ``pytest -m local_model``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.client import Summarizer
from summarizer.grounding import GroundedText
from summarizer.schema import Briefing
from summarizer.settings import Settings

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
