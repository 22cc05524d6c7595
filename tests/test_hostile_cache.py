"""Hostile users and the result cache: another program's database, a file in its place, a lock held.

Issue 14: what a demanding, slightly hostile user tried, and what happens now. Each test pins one
probe of ``docs/reliability.md``'s "hostile user" table. Fixture articles are hand-written and fictional.
"""

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.digests.store import Store
from summarizer.errors import ConfigurationError


def _foreign_database(path: Path, rows: int = 500) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE results (id INTEGER PRIMARY KEY, score REAL)")
        db.executemany("INSERT INTO results (score) VALUES (?)", [(i / 10,) for i in range(rows)])


def test_cache_clear_refuses_another_program_s_database_and_leaves_it_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "app.sqlite3"
    _foreign_database(foreign)
    before = foreign.read_bytes()
    env = {"SUMMARIZER_CACHE_DB": str(foreign)}
    for command in (["cache", "clear"], ["cache", "stats"]):
        result = CliRunner().invoke(app, command, env=env)
        assert result.exit_code == 4, result.output
        assert "not a summarizer cache" in result.output and "untouched" in result.output
    assert foreign.read_bytes() == before
    assert not foreign.with_name("app.sqlite3-wal").exists()


def test_a_text_file_named_as_the_cache_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n" * 100)
    with pytest.raises(ConfigurationError, match="not a summarizer cache"):
        Store(notes)
    assert notes.read_text() == "shopping list\n" * 100


def test_a_store_made_before_the_marker_existed_is_still_ours(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the tables as earlier releases created them, without application_id
        db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL, "
                   "value TEXT NOT NULL, created REAL NOT NULL)")  # fmt: skip
        db.execute("INSERT INTO results VALUES ('k', 'briefing', 'a.txt', '{}', 0)")
    with Store(path) as store:
        assert store.get("k") == "{}"
    with Store(path) as store:  # marked now
        assert store.stats().counts == {"briefing": 1}


def test_a_cache_locked_by_another_process_is_reported_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite3"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ConfigurationError, match=r"locked by another process .*--no-cache"):
            Store(path, busy_seconds=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    Store(path, busy_seconds=0.2).close()  # free again
