"""No import circle between the library's modules: what a module imports never imports it back.

Imports are read as ``tests/import_graph.py`` reads them at run time: lazy imports count, those
under ``if TYPE_CHECKING:`` do not, so a model's method may call a renderer that only names the
model's type.
"""

from __future__ import annotations

from .import_graph import module_names, runtime_dependencies


def _graph() -> dict[str, set[str]]:
    """Each module and the library modules it imports at run time."""
    names = set(module_names())
    # the package's __init__ re-exports lazily by name; it is the surface, not a dependency of its modules
    return {name: runtime_dependencies(name, names) - {name, "summarizer"} for name in names}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        circles.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return circles


def test_no_two_modules_import_each_other() -> None:
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle_and_reads_lazy_imports() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    graph = _graph()
    assert "summarizer.digests.api" in graph["summarizer.cli._digest"]  # imported inside the command
    assert "summarizer.digests.render" in graph["summarizer.digests.schema"]  # Digest.write imports it lazily
    assert "summarizer.digests.schema" not in graph["summarizer.digests.render"]  # under TYPE_CHECKING only
