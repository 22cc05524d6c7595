"""Locate the data folders that ship with the package, through the import system.

In a wheel, ``prompts/``, ``schemas/`` and ``templates/`` are installed inside the ``summarizer``
package (the build maps the repository's top-level folders there). In a source checkout or
editable install they are still at the top of the repository, beside the package. Either way
:func:`importlib.resources.files` says where the package is, whatever installed it. The folders
are handed to Jinja as paths, so a package that is not on the file system (a zip) has none.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(name: str) -> Path:
    """The folder ``name`` (``prompts``, ``schemas`` or ``templates``), installed or in the source tree."""
    package = files("summarizer")
    candidates = (package / name, package.parent / name) if isinstance(package, Path) else ()
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"summarizer's {name}/ folder is missing from this installation")
