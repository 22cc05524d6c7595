"""The backend seam: light to import, blind to briefings, and enough to brief with a fake behind it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from summarizer.backends.base import ModelInfo
from summarizer.client import Summarizer
from summarizer.settings import Settings, Strategy
from summarizer.testing.fake_backend import FakeBackend


def _loaded_by(statement: str) -> set[str]:
    """The summarizer modules a fresh interpreter has loaded after ``statement``."""
    code = f"import sys; {statement}; print('\\n'.join(m for m in sys.modules if m.startswith('summarizer')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_the_seam_loads_no_nlp_and_no_briefing_module() -> None:
    loaded = _loaded_by("import summarizer.backends.base")
    assert loaded <= {"summarizer", "summarizer.backends", "summarizer.backends.base", "summarizer.cost"}, loaded


def test_the_fake_backend_loads_no_nlp_module_either() -> None:
    loaded = _loaded_by("import summarizer.testing.fake_backend")
    assert not {
        m
        for m in loaded
        if m.startswith(("summarizer.nlp", "summarizer._briefing.drafts", "summarizer._briefing.schema"))
    }


def _settings(tmp_path: Path, strategy: Strategy) -> Settings:
    return Settings(model="fake", strategy=strategy, cache_dir=tmp_path, max_reasks=0)


def test_a_briefing_from_the_fake_records_its_model_and_its_price(harbor_text: str, tmp_path: Path) -> None:
    backend = FakeBackend([{"headline": "Port Alder council backs bridge repairs"}], ModelInfo("fake-1", "headline"))
    with Summarizer(_settings(tmp_path, "headline"), backend=backend) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert briefing.headline == "Port Alder council backs bridge repairs"
    assert briefing.meta.model == "fake-1" and briefing.meta.cost_usd is None  # no price known for fake-1
    [request] = backend.requests
    assert request.response_model.__name__ == "HeadlineDraft" and request.max_tokens == 60


def test_assembly_drops_a_position_whose_actor_the_article_never_names(harbor_text: str, tmp_path: Path) -> None:
    answer = {
        "headline": "Port Alder council backs bridge repairs",
        "summary": "The council voted 7-2 to spend $48 million repairing the Harbor Bridge.",
        "key_points": [{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [1]}],
        "positions": [
            {"actor": "Tomas Reyes", "stance": "doubts the budget", "sentences": [3]},
            {"actor": "Zebulon Quartermaine", "stance": "backs the repairs", "sentences": [2]},
        ],
    }
    backend = FakeBackend([json.dumps(answer)])
    with Summarizer(_settings(tmp_path, "write"), backend=backend) as summarizer:
        briefing = summarizer.brief(harbor_text)
    assert [p.actor for p in briefing.positions] == ["Tomas Reyes"]
    assert any("Zebulon Quartermaine" in w.message for w in briefing.meta.warnings if w.code == "dropped_ungrounded")
