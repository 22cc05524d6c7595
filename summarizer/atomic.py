"""Files a reader never sees half-written: written beside the target, synced, then renamed over it.

Temporaries are named ``.<target>.<pid>.<random>.tmp`` and created with mode 0666, so the umask
decides the final mode as for any file a program writes. One left behind by a process that no
longer runs (``kill -9``, a power cut) is removed by the next write beside it.
"""

from __future__ import annotations

import glob
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from summarizer.errors import ConfigurationError


@contextmanager
def atomic_text(target: Path) -> Iterator[TextIO]:
    """A text stream that replaces ``target`` only when the block finishes without an error."""
    with atomic_texts([target]) as (stream,):
        yield stream


@contextmanager
def atomic_texts(targets: Sequence[Path]) -> Iterator[list[TextIO]]:
    """Streams that replace all ``targets`` together when the block finishes; none if it fails or is stopped."""
    temporaries: list[Path] = []
    streams: list[TextIO] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale(target)
            temporary, handle = _temporary(target)
            temporaries.append(temporary)
            streams.append(os.fdopen(handle, "w", encoding="utf-8"))
        yield streams
        for stream in streams:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    except BaseException:
        for stream in streams:
            stream.close()
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def ensure_writable(target: Path, *, folder: bool = False) -> None:
    """Check, before any work, that ``target`` (a file, or a ``folder``) can be written; create its folder.

    Raises :class:`ConfigurationError` naming the path and the reason, so a run never does all
    its model work only to fail at the end.
    """
    if target.is_dir() != folder and target.exists():
        kind = "a folder" if target.is_dir() else "a file, not a folder"
        raise ConfigurationError(f"cannot write {target}: it is {kind}; choose another path")
    try:
        (target if folder else target.parent).mkdir(parents=True, exist_ok=True)
        probe, handle = _temporary(target / "probe" if folder else target)
        os.close(handle)
        probe.unlink()
    except OSError as exc:
        raise ConfigurationError(f"cannot write {target}: {exc.strerror or exc}; choose another path") from exc


def _temporary(target: Path) -> tuple[Path, int]:
    """A new file beside ``target``, named after it and this process, mode 0666 less the umask."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)


def _remove_stale(target: Path) -> None:
    for temporary in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = temporary.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            temporary.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OverflowError:
        return False
    return True
