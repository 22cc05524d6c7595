"""The library's imports read off its source with :mod:`ast`, for the tests of the house's rules.

Imports inside functions count (the CLI imports lazily: a lazy import is still a dependency).
``runtime=True`` leaves out what sits under ``if TYPE_CHECKING:``: an annotation names a type
without running its module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"


def module_file(name: str) -> Path:
    """The file of the dotted module ``name`` (a package's ``__init__.py``)."""
    path = PACKAGE.parent / (name.replace(".", "/") + ".py")
    return path if path.is_file() else path.with_suffix("") / "__init__.py"


def module_names() -> list[str]:
    """Every module of the library, dotted."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _nodes(tree: ast.AST, *, runtime: bool) -> list[ast.AST]:
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if runtime and _is_type_checking(child):
                stack.extend(child.orelse)  # type: ignore[attr-defined]
            else:
                stack.append(child)
    return found


def imports(name: str, *, runtime: bool = False) -> set[str]:
    """Every module ``name`` imports, relative imports resolved (``from m import x`` gives m and m.x)."""
    return {module for pair in _import_pairs(name, runtime=runtime) for module in pair}


def runtime_dependencies(name: str, known: set[str]) -> set[str]:
    """The library modules ``name`` needs at run time: ``from pkg import sub`` needs ``pkg.sub``, not ``pkg``.

    (Python runs ``pkg/__init__.py`` first, but a package importing its own submodules is its job,
    not a circle.)
    """
    return {named if named in known else module for module, named in _import_pairs(name, runtime=True)} & known


def _import_pairs(name: str, *, runtime: bool) -> set[tuple[str, str]]:
    """(module, module.name) for each name imported from a module; (module, module) for ``import module``."""
    package = name if module_file(name).name == "__init__.py" else name.rpartition(".")[0]
    found: set[tuple[str, str]] = set()
    for node in _nodes(ast.parse(module_file(name).read_text(encoding="utf-8")), runtime=runtime):
        if isinstance(node, ast.Import):
            found.update((alias.name, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.update((module, f"{module}.{alias.name}") for alias in node.names)
    return found
