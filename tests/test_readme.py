"""README's Python examples run as written, against the stub model server named by the environment."""

from __future__ import annotations

import ast
import asyncio
import re
import shutil
from pathlib import Path

import pytest

from summarizer.testing.stub_model import stub_model_server

ROOT = Path(__file__).parent.parent
ARTICLES = Path(__file__).parent / "articles"
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_each_readme_example_runs_as_written(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(ARTICLES / "harbor_bridge.txt", tmp_path / "article.txt")
    shutil.copytree(ARTICLES / "digest", tmp_path / "news")
    (tmp_path / "more").mkdir()
    shutil.copy(ARTICLES / "digest" / "millbrook_library.txt", tmp_path / "more")
    monkeypatch.chdir(tmp_path)
    code = compile(block, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    with stub_model_server() as stub:
        monkeypatch.setenv("SUMMARIZER_MODEL", "stub")
        monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
        namespace: dict[str, object] = {}
        done = eval(code, namespace)  # noqa: S307 - the README's own examples
        if asyncio.iscoroutine(done):
            asyncio.run(done)
    if "summarizer.check(" in block:  # the claim checker asks no model
        assert not stub.requests, "checking claims should ask no model"
    else:
        assert stub.requests, "the example should have asked the model"
    assert capsys.readouterr().out.strip()
