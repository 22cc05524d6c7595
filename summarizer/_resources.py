"""Locate the data folders that ship with the package.

In a wheel, ``prompts/`` and ``schemas/`` are installed inside the ``summarizer`` package (the
build maps the repository's top-level folders there). In a source checkout or editable install
they are still at the top of the repository, beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``prompts``, ``schemas`` or ``templates``), installed or in the source tree."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"summarizer's {name}/ folder is missing from this installation")
