"""The house's rules, read off the source: modules stay small and dependencies point one way, down.

Imports are read with :mod:`ast`, those inside functions too (the CLI imports lazily), so a
module that reaches up, or around a seam, fails here before a reviewer has to spot it.
"""

from __future__ import annotations

import pytest

from .import_graph import PACKAGE, imports

MAX_LINES = 300


def test_no_module_is_over_300_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"split these along a seam (one job per module): {long}"


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        (
            "summarizer._briefing.schema",
            "summarizer.digests",
        ),  # the digest builds on briefings, not the other way round
        ("summarizer.digests.build", "summarizer._briefing.pipeline"),  # the digest asks through Summarizer
        ("summarizer.digests.build", "summarizer._briefing.asking"),
        ("summarizer.batch.jobs", "summarizer.backends.openai_compat"),  # a batch needs a Batchable backend only
        ("summarizer.batch.backend", "summarizer.backends.openai_compat"),
        # the backend seam knows requests and replies, nothing of briefings: validation is the re-ask engine's
        ("summarizer.backends.base", "summarizer._briefing.drafts"),
        ("summarizer.backends.openai_compat", "summarizer._briefing.drafts"),
        ("summarizer.backends.openai_compat", "summarizer._briefing.draft_checks"),
        ("summarizer.backends.openai_compat", "summarizer.nlp"),
        ("summarizer.batch.backend", "summarizer._briefing.asking"),
    ],
)
def test_dependencies_point_down(module: str, forbidden: str) -> None:
    reached = {name for name in imports(module) if name == forbidden or name.startswith(forbidden + ".")}
    assert not reached, f"{module} imports {sorted(reached)}"


def test_the_import_reader_sees_relative_and_lazyimports() -> None:
    assert "summarizer.digests.store" in imports("summarizer.digests.build")  # from .store import ...
    assert "summarizer.digests.api" in imports("summarizer.cli._digest")  # imported inside the command
