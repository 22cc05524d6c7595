"""Shared fixtures: fictional articles, a clean environment, and cassette wiring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CASSETTES = HERE.parent / "cassettes"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's keys, model choice or cache."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture
def harbor_text() -> str:
    return (HERE / "articles" / "harbor_bridge.txt").read_text(encoding="utf-8")


@pytest.fixture
def vcr_config() -> dict[str, object]:
    return {}
