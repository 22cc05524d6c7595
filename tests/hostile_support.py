"""Fictional articles the hostile-user tests share (``test_hostile_*.py``)."""

from __future__ import annotations

from pathlib import Path

ARTICLE = "Title: Ferry service resumes in Skerra\n\nThe ferry to Skerra resumed on Monday after a week of storms.\n"
OTHER = "Title: Bakery in Dunmore wins a prize\n\nA bakery in Dunmore won the national bread prize on Sunday.\n"


def two_articles(folder: Path) -> Path:
    """``folder``, made, holding the two articles above."""
    folder.mkdir()
    (folder / "ferry.txt").write_text(ARTICLE)
    (folder / "bakery.txt").write_text(OTHER)
    return folder
