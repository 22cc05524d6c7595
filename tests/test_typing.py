"""What an application's type checker sees (issue 20, item 9).

Every type in a public signature is importable from ``summarizer``, ``__version__`` comes from
the package's metadata, the model-request engine is not public, and ``mypy --strict`` passes on
an app that uses the installed library (which needs ``py.typed``; the wheel's contents are
checked in ``tests/test_packaging.py``). Offline, in the test's own folder.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import summarizer
from summarizer import Summarizer

ROOT = Path(__file__).parent.parent

APP = '''
"""A small service module, as an application writes it."""
import asyncio
from pathlib import Path

import summarizer
from summarizer import (Briefing, ConfigurationError, DigestInput, Entity, KeyPoint, Meta, ProgressCallback,
                        Quote, Settings, Source, Summarizer)


def first_point(briefing: Briefing) -> KeyPoint | None:
    return briefing.key_points[0] if briefing.key_points else None


def speakers(quotes: list[Quote], people: list[Entity]) -> list[str]:
    return [q.speaker or "?" for q in quotes] + [p.name for p in people]


def cost(meta: Meta) -> float:
    return meta.cost_usd or 0.0


async def handle(client: Summarizer, source: Source) -> Briefing:
    try:
        return await client.abrief(source, timeout=30)
    except ConfigurationError:
        raise


def nightly(inputs: list[DigestInput], told: ProgressCallback) -> str:
    return summarizer.digest(inputs, on_progress=told, settings=Settings(model="extractive")).model_dump_json()


async def main() -> None:
    async with Summarizer(Settings(model="extractive")) as client:
        briefing = await handle(client, Path("article.txt"))
        print(summarizer.__version__, first_point(briefing), speakers(briefing.quotes, briefing.entities),
              cost(briefing.meta))


asyncio.run(main())
'''


def test_version_comes_from_the_package_metadata() -> None:
    assert summarizer.__version__ == importlib.metadata.version("summarizer")
    assert "__version__" in dir(summarizer) and "__version__" not in summarizer.__all__


@pytest.mark.parametrize(
    "name",
    [
        "Source",
        "DigestInput",
        "ProgressCallback",
        "KeyPoint",
        "Quote",
        "Entity",
        "Meta",
        "Strategy",
        "DownloadProgress",
        "RequestSlot",
    ],  # fmt: skip
)
def test_types_of_public_signatures_are_exported(name: str) -> None:
    assert name in summarizer.__all__
    assert getattr(summarizer, name) is not None


def test_the_model_request_engine_is_not_public() -> None:
    public = {name for name, _ in inspect.getmembers(Summarizer) if not name.startswith("_")}
    assert "aask" not in public
    for method in ("brief", "abrief", "read", "close", "aclose"):
        hints = str(inspect.signature(getattr(Summarizer, method)))
        assert "StructuredCall" not in hints and "Answer" not in hints


def test_mypy_strict_passes_on_an_app_using_the_library(tmp_path: Path, child_env: dict[str, str]) -> None:
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    env = {k: v for k, v in child_env.items() if not k.startswith("MYPY")}
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "app.py"],
        cwd=tmp_path, capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
