"""The test harness itself: no test reaches a real model, the network, or the developer's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.client import Summarizer
from summarizer.retry import NO_RETRIES
from summarizer.settings import Settings

CONFTEST = Path(__file__).parent / "conftest.py"


def test_a_request_to_a_real_host_fails_the_test_at_once() -> None:
    settings = Settings(model="x", base_url="http://model.example/v1", retry=NO_RETRIES)
    with Summarizer(settings) as client, pytest.raises(pytest.fail.Exception, match="kill switch: a model request"):
        client.brief("The council met on Monday. It approved a budget.")


def test_falling_back_to_the_embedded_model_fails_the_test_at_once() -> None:
    with Summarizer(Settings()) as client, pytest.raises(pytest.fail.Exception, match="kill switch: fetching"):
        client.brief("The council met on Monday. It approved a budget.")


def test_the_developer_s_cache_and_settings_never_reach_a_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = tmp_path / "developer"
    for name, value in {"SUMMARIZER_CACHE_DB": real / "results.sqlite3", "SUMMARIZER_MODEL": "openai/gpt-4o",
                        "SUMMARIZER_MAX_INPUT_BYTES": "7", "XDG_CACHE_HOME": real}.items():  # fmt: skip
        monkeypatch.setenv(name, str(value))
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(
        """
        from pathlib import Path
        from summarizer.settings import Settings

        def test_inner(tmp_path: Path) -> None:
            settings = Settings.from_env()
            assert settings.store_path.is_relative_to(tmp_path)
            assert Settings().cache_dir.is_relative_to(tmp_path)
            assert settings.model.startswith("local/") and settings.max_input_bytes == 2_000_000
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert not real.exists()
