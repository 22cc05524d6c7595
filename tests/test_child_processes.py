"""Child processes carry the kill switch: the CLI run with ``subprocess`` reaches nothing beyond loopback."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _refusals(env: dict[str, str]) -> str:
    log = Path(env["SUMMARIZER_TEST_REFUSALS"])
    found = log.read_text(encoding="utf-8") if log.exists() else ""
    log.unlink(missing_ok=True)  # expected here: the fixture's own check is for accidents
    return found


def test_a_child_cannot_connect_beyond_loopback_and_says_it_tried(child_env: dict[str, str]) -> None:
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=5)"  # TEST-NET-1: never routed
    done = subprocess.run([sys.executable, "-c", code], env=child_env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "kill switch" in done.stderr
    assert "192.0.2.1" in _refusals(child_env)


def test_a_cli_child_that_would_fetch_the_nlp_model_is_stopped(child_env: dict[str, str], tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_text("Title: Ferry resumes\n\nThe Lowmoor ferry resumed service on Monday.\n", encoding="utf-8")
    env = {**child_env, "SUMMARIZER_MODELS_DIR": str(tmp_path / "no-models"), "PIP_RETRIES": "0", "PIP_TIMEOUT": "2"}
    command = [sys.executable, "-m", "summarizer", "brief", str(article), "--model", "stub",
               "--base-url", "http://127.0.0.1:9/v1"]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 7, done.stderr  # ModelFetchError: the model could not be fetched
    assert "resolving" in _refusals(child_env) or "connecting" in _refusals(child_env)


def _starts_python(node: ast.Call) -> bool:
    """A ``subprocess`` call whose command starts this interpreter (``sys.executable``)."""
    function = node.func
    if not (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)):
        return False
    return function.value.id == "subprocess" and "sys.executable" in ast.unparse(node)


def test_every_test_that_starts_python_passes_the_child_environment() -> None:
    unguarded = []
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            starts = [c for c in ast.walk(node) if isinstance(c, ast.Call) and _starts_python(c)]
            commands = {ast.unparse(c) for c in ast.walk(node) if isinstance(c, ast.List)}
            direct = any("sys.executable" in text for text in commands)
            if (starts or direct) and "child_env" not in {a.arg for a in node.args.args}:
                unguarded.append(f"{path.name}::{node.name}")
    assert not unguarded, f"start child processes with the child_env fixture's environment: {unguarded}"
