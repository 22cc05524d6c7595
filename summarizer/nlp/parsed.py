"""One parsed sentence: the seam between spaCy and the rules that read its parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Parsed:
    """One sentence's parse, where it starts in the article text, and its paragraph."""

    start: int
    doc: Doc
    paragraph: int

    @property
    def end(self) -> int:
        return self.start + len(self.doc.text)
