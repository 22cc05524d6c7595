"""The result cache: one SQLite file (WAL) of finished briefings and story syntheses.

It also keeps what the web fetcher read (:mod:`summarizer.web`): each feed's body with its
``ETag`` and ``Last-Modified``, so the next request is conditional and an unchanged feed costs a
``304``, and each page's extracted article, so a page is never fetched twice.

It also keeps batch jobs (:mod:`summarizer.batch`): what each exported batch covers and the
results imported for it, so a batch can be imported in several rounds.

The file is marked as the library's own (SQLite's ``application_id``) and any other database is
refused before anything is written to it: ``SUMMARIZER_CACHE_DB`` may name a file of another
program by mistake, and ``cache clear`` must never empty it.

A row is written in its own transaction the moment its work is done, so a run killed at any
point (Ctrl-C, ``kill -9``) keeps everything finished before it and the next run picks up from
there. WAL with ``synchronous=NORMAL`` cannot be corrupted by a killed process; at worst a power
cut loses the last few rows, which are then simply redone. Keys hash everything the result
depends on: the input's content, the model, the prompt templates and the schema version.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from summarizer.errors import ConfigurationError

APPLICATION_ID = 0x53554D5A
"""``PRAGMA application_id`` of the library's stores ("SUMZ")."""
_TABLES = {"results", "batches", "batch_results", "web"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    plan TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_results (
    custom_id TEXT PRIMARY KEY,
    batch TEXT NOT NULL,
    completion TEXT,
    error TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS web (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body BLOB NOT NULL,
    created REAL NOT NULL
);
"""


def cache_key(kind: str, *parts: str) -> str:
    """A stable key for a result of ``kind`` that depends on ``parts`` and nothing else."""
    digest = hashlib.sha256(kind.encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class WebRecord:
    """What was read from a URL: a ``feed`` body with its validators, or a ``page``'s article as JSON."""

    kind: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class StoreStats:
    """What the store holds."""

    path: Path
    counts: dict[str, int]
    size_bytes: int


class Store:
    """Finished results by key; safe to share between processes (SQLite's own locking)."""

    def __init__(self, path: Path, *, busy_seconds: float = 30) -> None:
        self.path = path
        self._busy_seconds = busy_seconds
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=busy_seconds, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(self._problem(exc)) from exc
        try:
            self._claim()
        except ConfigurationError:
            self._db.close()
            raise

    def _claim(self) -> None:
        """Check the file is a store of ours (or empty) before writing to it, then set it up.

        The write lock is taken here, once, so a store another process keeps locked is reported
        before any model work rather than when the first result is ready to be kept.
        """
        try:
            found = self._db.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            # Stores written before the marker existed hold our tables and nothing else.
            if found != APPLICATION_ID and (found != 0 or not tables <= _TABLES or not self._our_results(tables)):
                raise ConfigurationError(
                    f"{self.path} is not a summarizer cache (another program's database?); it was left untouched. "
                    "Point SUMMARIZER_CACHE_DB at a new file or at a summarizer cache"
                )
            self._db.executescript(f"BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID}; {_SCHEMA} COMMIT;")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise ConfigurationError(self._problem(exc)) from exc

    def _problem(self, exc: OSError | sqlite3.Error) -> str:
        if "locked" in str(exc):
            return (
                f"the cache at {self.path} is locked by another process (waited {self._busy_seconds:g} s): "
                "let that run finish, or use --no-cache or another SUMMARIZER_CACHE_DB"
            )
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            return f"{self.path} is not a summarizer cache (not an SQLite file); point SUMMARIZER_CACHE_DB elsewhere"
        return f"cannot use the cache at {self.path}: {exc} (set SUMMARIZER_CACHE_DB)"

    def _write(self, sql: str, parameters: tuple[object, ...] = ()) -> sqlite3.Cursor:
        """One statement in its own transaction; a lock held past the wait becomes a clear error."""
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.OperationalError as exc:
            raise ConfigurationError(self._problem(exc)) from exc

    def _our_results(self, tables: set[str]) -> bool:
        if "results" not in tables:
            return True
        columns = [row[1] for row in self._db.execute("PRAGMA table_info(results)")]
        return columns == ["key", "kind", "label", "value", "created"]

    def get(self, key: str) -> str | None:
        """The stored value, or None."""
        row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, kind: str, label: str, value: str) -> None:
        """Store one result, durably, in its own transaction."""
        self._write(
            "INSERT OR REPLACE INTO results (key, kind, label, value, created) VALUES (?, ?, ?, ?, ?)",
            (key, kind, label, value, time.time()),
        )

    def put_batch(self, batch: str, plan: str) -> None:
        """Remember what a batch job covers, so its results can be imported later."""
        self._write("INSERT OR IGNORE INTO batches (id, plan, created) VALUES (?, ?, ?)", (batch, plan, time.time()))

    def batch_plan(self, batch: str) -> str | None:
        """The plan of an exported batch, or None when this store never exported it."""
        row = self._db.execute("SELECT plan FROM batches WHERE id = ?", (batch,)).fetchone()
        return None if row is None else str(row[0])

    def put_batch_result(self, custom_id: str, batch: str, completion: str | None, error: str | None) -> None:
        """Keep one batch result; a failure never replaces an answer already received for the same request."""
        self._write(
            "INSERT INTO batch_results (custom_id, batch, completion, error, created) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (custom_id) DO UPDATE SET completion = excluded.completion, error = excluded.error, "
            "created = excluded.created WHERE batch_results.completion IS NULL OR excluded.completion IS NOT NULL",
            (custom_id, batch, completion, error, time.time()),
        )

    def batch_results(self, batch: str) -> dict[str, tuple[str | None, str | None]]:
        """Every result received for ``batch``: custom id to (completion JSON, error)."""
        rows = self._db.execute("SELECT custom_id, completion, error FROM batch_results WHERE batch = ?", (batch,))
        return {str(cid): (completion, error) for cid, completion, error in rows.fetchall()}

    def web_get(self, url: str) -> WebRecord | None:
        """What was kept from ``url``, or None."""
        row = self._db.execute("SELECT kind, body, etag, last_modified FROM web WHERE url = ?", (url,)).fetchone()
        return None if row is None else WebRecord(str(row[0]), bytes(row[1]), row[2], row[3])

    def web_put(self, url: str, record: WebRecord) -> None:
        """Keep what was read from ``url``, durably (a killed run resumes with it)."""
        self._write(
            "INSERT OR REPLACE INTO web (url, kind, etag, last_modified, body, created) VALUES (?, ?, ?, ?, ?, ?)",
            (url, record.kind, record.etag, record.last_modified, record.body, time.time()),
        )

    def stats(self) -> StoreStats:
        """Rows by kind and the size on disk (WAL included)."""
        counts = dict(self._db.execute("SELECT kind, COUNT(*) FROM results GROUP BY kind ORDER BY kind").fetchall())
        for table, name in (
            ("batches", "batch jobs"),
            ("batch_results", "batch results"),
            ("web", "web pages and feeds"),
        ):
            if found := self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]:  # noqa: S608 (fixed names)
                counts[name] = found
        files = [self.path, self.path.with_name(self.path.name + "-wal")]
        return StoreStats(self.path, counts, sum(f.stat().st_size for f in files if f.exists()))

    def clear(self) -> int:
        """Delete every row and give the space back; returns how many rows went."""
        removed = sum(self._write(f"DELETE FROM {t}").rowcount for t in ("results", "batches", "batch_results", "web"))
        self._write("VACUUM")
        return int(removed)

    def integrity(self) -> str:
        """SQLite's own ``PRAGMA integrity_check``: ``ok`` when the file is sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()
