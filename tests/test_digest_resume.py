"""A digest killed with SIGKILL half way resumes without redoing finished work or damaging the cache."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from summarizer.testing.stub_model import stub_model_server

# Hand-written fictional one-line articles, one per town: distinct enough not to be duplicates.
TOWNS = ["Arden", "Balmore", "Corrin", "Dunmore", "Elstow", "Fenwick", "Garrow", "Halden", "Iverly", "Jessop",
         "Kelby", "Larrow", "Marden", "Norwell", "Oakhurst", "Pellin", "Quarry Hill", "Rosedale"]  # fmt: skip
TOPICS = ["opened a new footbridge", "closed its only cinema", "elected a new mayor", "flooded after heavy rain",
          "won a regional football cup", "began building a school"]  # fmt: skip


def _write_articles(folder: Path) -> None:
    folder.mkdir()
    for index, town in enumerate(TOWNS):
        topic = TOPICS[index % len(TOPICS)]
        body = (
            f"Title: {town} {topic}\n\n{town} {topic} on Tuesday, the {town} Courier reported.\n"
            f"Local officials in {town} said {index + 3} residents attended the event.\n"
        )
        (folder / f"{town.lower().replace(' ', '_')}.txt").write_text(body, encoding="utf-8")


def _stored_labels(db: Path) -> set[str]:
    if not db.exists():
        return set()
    with sqlite3.connect(db, timeout=30) as connection:
        try:
            rows = connection.execute("SELECT label FROM results WHERE kind = 'briefing'").fetchall()
        except sqlite3.OperationalError:
            return set()
    return {Path(label).stem for (label,) in rows}


def _titles(requests: list[dict[str, object]]) -> list[str]:
    found = []
    for request in requests:
        user = next(m["content"] for m in request["messages"] if m["role"] == "user")  # type: ignore[attr-defined]
        found += [line.removeprefix("Title: ") for line in user.splitlines() if line.startswith("Title: ")]
    return found


def test_kill_9_half_way_then_resume(tmp_path: Path, child_env: dict[str, str]) -> None:
    folder = tmp_path / "articles"
    _write_articles(folder)
    db = tmp_path / "results.sqlite3"
    done_first = len(TOWNS) // 3
    # the stub answers a third of the articles, then holds every request: the run stops at a known point
    with stub_model_server(hold_after=done_first) as stub:
        env = {**child_env, "SUMMARIZER_CACHE_DB": str(db), "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
        out = str(tmp_path / "out")
        command = [sys.executable, "-m", "summarizer", "digest", str(folder), "--base-url", stub.url,
                   "--model", "stub", "--concurrency", "2", "--out", out, "--format", "json"]  # fmt: skip
        first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60  # a guard against a hang, not a timing assumption
        while len(_stored_labels(db)) < done_first and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        finished_before = _stored_labels(db)
        assert len(finished_before) == done_first, "the run should have finished exactly what was answered"
        requests_before = len(stub.requests)
        stub.release()

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        asked_again = {t.split()[0].lower() for t in _titles(stub.requests[requests_before:])}

    left = {town.split()[0].lower() for town in TOWNS} - {label.split("_")[0] for label in finished_before}
    assert asked_again == left, "the resumed run should brief exactly what was left, and redo nothing"
    digest = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    assert digest["meta"]["articles"] == len(TOWNS) and digest["not_included"] == []
    assert digest["meta"]["cache_hits"] == len(finished_before)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        labels = [row[0] for row in connection.execute("SELECT label FROM results WHERE kind = 'briefing'")]
    assert len(labels) == len(set(labels)) == len(TOWNS)
