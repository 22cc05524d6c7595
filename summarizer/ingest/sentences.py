"""Split clean text into numbered sentences with stable ids and character offsets.

Ids are 1-based and follow text order, so the same text always yields the same ids: a model
refers to ``[S3]`` and the library fills in the exact text from the offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen lt col sgt capt cmdr adm gov sen rep rev hon pres supt "
    "jan feb mar apr jun jul aug sep sept oct nov dec vs etc inc corp ltd co dept est fig approx".split()
)
# US states as news agencies abbreviate them: an abbreviation only before a title ("Calif. Gov.
# Reyes"); "in Clarkston, Ga. The town" and "went to Mass. Afterwards" end a sentence.
_STATES = frozenset(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb "
    "Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo".split()
)
# Words that follow "a.m."/"p.m." inside a sentence ("at 5 p.m. Tuesday", "9 a.m. ET"), whole words only.
_AFTER_CLOCK = re.compile(
    r"\s+(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
    r"|Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|[ECMP][SD]?T|GMT|UTC|BST)\b"
)
# A sentence ends at . ! ? (plus closing quotes or brackets) followed by space and a likely start:
# a capital (Latin with accents, Greek, Cyrillic) or digit, maybe behind an opening quote ('' too), « ¿ or ¡,
# or a brand written with a lowercase first letter and a capital inside ("eBay", "iPhone"), or a
# letter of a script without capitals (Arabic and Hebrew, Indic, Thai, CJK, Hangul). Arabic's
# question mark and Urdu's full stop end a sentence too.
# CJK full stops end a sentence with no space after them.
_BOUNDARY = re.compile(
    r"[.!?\u061f\u06d4]+[\"'\u201d\u2019)\]\u00bb]*"
    r"(?=\s+(?:''|[\"'\u201c\u2018(\[\u00ab\u00bf\u00a1])?(?:[A-Z0-9\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]|[a-z]{1,2}[A-Z]"
    r"|[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u9fff\uac00-\ud7af]))"
    r"|[\u3002\uff01\uff1f]+[\u201d\u300d\u300f\uff09]*"
)
# An outlet's credit opening a paragraph, alone ("(CNN)", "(The Hollywood Reporter)") or after the
# place and date it was filed from ("TRENTON, N.J. (AP) \u2014", "LONDON, England (CNN) --"): who
# sent the story, not what it says, so no sentence holds it ("(CNN)They may ..." opened a summary).
_CREDIT = re.compile(
    r"(?:\([A-Z][\w.&' -]{0,40}\)\s*(?:(?:--|[\u2014\u2013-])\s*)?"
    r"|[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.]*(?: [A-Z0-9][\w.]*)*)? \([A-Z][\w.&' -]{0,40}\)\s*"
    r"(?:--|[\u2014\u2013-])\s*)(?=[\"'\u201c\u2018]?[A-Z0-9])"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == article_text[start:end]``."""

    id: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split on sentence punctuation within each line; every line is a paragraph."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(_split_line(line, offset))
        offset += len(line) + 1
    return [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans, start=1)]


def _split_line(line: str, base: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    credit = _CREDIT.match(line)
    start = credit.end() if credit else 0
    for match in _BOUNDARY.finditer(line, start):
        end = match.end()
        if _is_abbreviation(line, match.start(), end):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    out = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((base + s, base + e))
    return out


def _is_abbreviation(line: str, dot: int, end: int) -> bool:
    """Whether the full stop at ``dot`` belongs to an abbreviation rather than ending the sentence."""
    if line[dot] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", line[:dot])
    if word is None:
        return False
    token = word.group(1)
    if token.lower() in ("a.m", "p.m"):  # "at 9 p.m. Police said" ends; "at 5 p.m. Tuesday" does not
        return _AFTER_CLOCK.match(line, end) is not None
    # Initials and dotted abbreviations: "J.", "U.S.", "e.g."
    if len(token) == 1 and token.isupper() or "." in token:
        return True
    if token.lower() == "no":  # "No. 10" but "voted no. Rep. Hale"
        return re.match(r"\s+\d", line[end:]) is not None
    return token.lower() in _ABBREVIATIONS or token in _STATES and _placed_as_a_state(line, end)


def _placed_as_a_state(line: str, end: int) -> bool:
    """Whether a state's abbreviation stands before a title ("Calif. Gov. Reyes").

    Before anything else ("in Clarkston, Ga. The town", "went to Mass. Afterwards") its full stop
    ends the sentence.
    """
    following = re.match(r"\s+([A-Za-z]+)\.", line[end:])
    return following is not None and following.group(1).lower() in _ABBREVIATIONS
