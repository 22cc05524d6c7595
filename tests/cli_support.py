"""Wiring for command-line tests: the CLI builds its settings from the environment, so tests steer that."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest

from summarizer.retry import RetryPolicy
from summarizer.settings import Settings


def recorded_retries(monkeypatch: pytest.MonkeyPatch, attempts: int = 4) -> list[float]:
    """Make the CLI's retry policy record its waits instead of sleeping; the list of waits it asked for."""
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=attempts, sleep=sleeps.append)
    from_env = Settings.from_env

    def recorded(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        return dataclasses.replace(from_env(env, **overrides), retry=policy)

    monkeypatch.setattr(Settings, "from_env", recorded)
    return sleeps
