"""The attribute ruler's matches found by lookup: the same matches, a tenth of the time.

spaCy's English pipeline sets parts of speech, morphology and some lemmas with an
``attribute_ruler``: 179 patterns of one or two tokens ("a token tagged ``NN`` whose lower case
is ``nothing``"), run through a general :class:`~spacy.matcher.Matcher`. On the short texts a
digest parses (an article's sentences, the model's claims: about 10 tokens each) that matcher
took 0.33 ms of a 2.5 ms parse, 32 µs a token, nearly all of it matching. :class:`TagRules`
finds the same matches by looking each token's tag and lower case up in the patterns, and the
ruler applies them as before (``AttributeRuler.set_annotations``), so every attribute it sets
is the one the matcher's matches set.

Only what these patterns use is supported (token attributes ``TAG``, ``LOWER``, ``DEP`` and
``IS_SPACE``; a value, ``IN``, ``NOT_IN`` or ``REGEX``; no operators): a ruler with anything
else keeps its matcher (:func:`install`).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}  # a token's row: (tag_, lower_, dep_, is_space)
Row = tuple[str, str, str, bool]
Check = Callable[[Row], bool]
Pattern = tuple[int, list[list[Check]]]  # the ruler's key, and per token of the pattern the checks it must pass
Match = tuple[int, int, int, int]  # as AttributeRuler.match gives them: (pattern key, match id, start, end)
_ROWS = 1 << 16  # distinct token rows whose patterns are kept: a few MB


class Unsupported(ValueError):
    """A pattern uses what :class:`TagRules` does not look up: the ruler keeps its matcher."""


class TagRules:
    """``AttributeRuler.match`` for ``ruler``'s patterns, by lookup (see the module).

    Which patterns a token can start depends only on its row (tag, lower case, dependency,
    whether it is a space), and rows repeat: each row's patterns are found once and kept (up to
    ``_ROWS`` rows, the most recent), trying only the patterns whose first token asks for the
    row's tag or lower case, or for neither.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self._by_tag: dict[str, list[Pattern]] = defaultdict(list)
        self._by_lower: dict[str, list[Pattern]] = defaultdict(list)
        self._others: list[Pattern] = []
        self._ids: list[int] = []
        for key, entry in enumerate(ruler.patterns):
            self._ids.append(ruler.vocab.strings[str(key)])  # the match id the ruler gave this key
            for tokens in cast(list[list[dict[str, Any]]], entry["patterns"]):
                pattern = (key, [[_check(attr, value) for attr, value in token.items()] for token in tokens])
                self._index(pattern, tokens[0])
        self._starting = functools.lru_cache(maxsize=_ROWS)(self._started_by)

    def __call__(self, doc: Doc) -> list[Match]:
        """Every (key, match id, start, end) the ruler's matcher finds in ``doc``, sorted as the ruler sorts them."""
        rows: list[Row] = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        found = set()
        for i, row in enumerate(rows):
            for key, later in self._starting(row):
                end = i + 1 + len(later)
                if end <= len(rows) and all(map(_holds, later, rows[i + 1 : end])):
                    found.add((key, self._ids[key], i, end))
        return sorted(found)

    def _index(self, pattern: Pattern, first: dict[str, Any]) -> None:
        """File ``pattern`` under each tag, else each lower case, its first token may have."""
        for attr, index in (("TAG", self._by_tag), ("LOWER", self._by_lower)):
            value = first.get(attr)
            values = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
            if values is not None:
                for one in values:
                    index[one].append(pattern)
                return
        self._others.append(pattern)

    def _started_by(self, row: Row) -> tuple[Pattern, ...]:
        """The patterns whose first token ``row`` matches, each with the checks of its later tokens."""
        tried = chain(self._by_tag.get(row[0], ()), self._by_lower.get(row[1], ()), self._others)
        return tuple((key, tokens[1:]) for key, tokens in tried if _holds(tokens[0], row))


def install(ruler: object) -> bool:
    """Make an attribute ruler match by lookup; False (nothing changed) for anything else.

    A ruler whose patterns use what the lookup does not support keeps its matcher.
    """
    from spacy.pipeline import AttributeRuler

    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        rules = TagRules(ruler)
    except Unsupported:
        return False
    vars(ruler)["match"] = rules  # the instance's own: AttributeRuler.__call__ calls self.match(doc)
    return True


def _holds(checks: list[Check], row: Row) -> bool:
    return all(check(row) for check in checks)


def _check(attr: str, value: Any) -> Check:
    """One condition of a pattern's token on a token's row."""
    if attr not in _ATTRS:
        raise Unsupported(attr)
    index, kind = _ATTRS[attr], bool if attr == "IS_SPACE" else str
    if isinstance(value, kind):
        return lambda row: row[index] == value
    if not (isinstance(value, dict) and len(value) == 1):
        raise Unsupported(f"{attr}: {value!r}")
    ((operator, operand),) = value.items()
    if operator in ("IN", "NOT_IN") and isinstance(operand, list) and all(isinstance(v, kind) for v in operand):
        among, wanted = frozenset(operand), operator == "IN"
        return lambda row: (row[index] in among) == wanted
    if operator == "REGEX" and isinstance(operand, str) and kind is str:
        search = re.compile(operand).search
        return lambda row: bool(search(str(row[index])))
    raise Unsupported(f"{attr}: {value!r}")
