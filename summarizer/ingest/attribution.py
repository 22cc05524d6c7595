"""Attribute quotations to speakers from the text itself, without a model.

Journalistic attribution is regular: ``"...," Blinken said``, ``said X``, ``X told VOA``,
``according to X``, ``the official added`` after an earlier ``a senior administration official``,
and a pronoun after a named person. A small model asked to pick speakers gets most of these
wrong, so the library reads them off the text and records how each was found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from summarizer.ingest.quotes import QuoteSpan
from summarizer.ingest.sentences import Sentence

Method = Literal["explicit", "pronoun", "description", "continuation", "unattributed"]

UNATTRIBUTED = "unattributed"

_VERBS = (
    "said|says|say|added|adds|told|tells|noted|notes|stated|states|warned|warns|explained|explains|"
    "argued|argues|wrote|writes|asked|asks|continued|insisted|insists|acknowledged|admitted|replied|"
    "responded|claimed|claims|declared|announced|observed|remarked|suggested|emphasized|emphasised|"
    "stressed|commented|recalled|confirmed|conceded|predicted|urged|cautioned|instructed|contended|"
    "maintained|reiterated|posted|tweeted|testified|agreed|complained|vowed|pledged|boasted|"
    "saying|adding|noting|telling|warning|arguing|stressing|insisting|writing|calling|describing|"
    # Spanish reporting verbs: «...», dijo X
    "dijo|afirmó|declaró|señaló|añadió|explicó|aseguró|indicó|agregó|advirtió"
)
_VERB = re.compile(rf"\b(?:(?:has|have|had|would|will|also|later|then|once|previously)\s+)*(?:{_VERBS})\b")
_SPEAKER_WORD = r"[A-Za-z][\w.’'\-]*"
_AFTER_SUBJECT = re.compile(rf"^\s*[,—-]?\s*(?P<spk>(?:{_SPEAKER_WORD}\s+){{0,9}}?{_SPEAKER_WORD})\s+{_VERB.pattern}")
_AFTER_INVERTED = re.compile(rf"^\s*[,—-]?\s*(?:{_VERBS})\s+(?P<spk>(?:{_SPEAKER_WORD}\s*){{1,10}})")
_ACCORDING = re.compile(r"\baccording to (?P<spk>[^,.;:\"“”]{2,80})")
_PRONOUNS = {"he", "she", "they", "i", "we", "it"}
_DETERMINERS = {"the", "a", "an", "one", "two", "three", "several", "some", "many", "another", "this"}
_BREAKERS = {
    "that", "which", "who", "whom", "and", "but", "because", "while", "when", "if", "as", "is", "are", "was",
    "were", "be", "been", "to", "in", "on", "by", "than", "so", "not", "what",
    "how", "why", "also", "it's", "said", "says", "told", "added",
}  # fmt: skip
_TITLES = {
    "president", "vice", "secretary", "state", "foreign", "defense", "defence", "minister", "prime", "mr", "ms",
    "mrs", "dr", "sen", "rep", "gov", "gen", "chairman", "chairwoman", "chair", "chief", "director", "spokesperson",
    "spokesman", "spokeswoman", "ambassador", "senator", "governor", "general", "judge", "justice", "speaker",
    "treasury", "commerce", "deputy", "assistant", "chancellor", "king", "queen", "pope", "mayor", "premier",
    "house", "department", "ministry", "official", "officials", "us", "u.s.", "cia", "fbi", "correspondent",
    "professor", "prof", "attorney", "lawmaker", "leader", "ceo", "executive", "founder", "analyst",
    "diplomat", "top", "senior", "former", "chinese", "russian", "american", "british", "french", "german",
    "representative", "congressman", "congresswoman", "adviser", "advisor", "national", "security",
    "commissioner", "captain", "colonel", "lieutenant", "sergeant", "admiral", "sir", "lord", "dame",
    "member", "councillor", "councilor", "engineer", "economist", "researcher", "scientist", "lawyer",
}  # fmt: skip
_NOT_PERSON = {
    "university", "department", "ministry", "party", "institute", "council", "committee", "agency", "bank",
    "sea", "house", "office", "union", "association", "times", "post", "news", "the", "a", "an", "this", "that",
    "it", "he", "she", "they", "we", "i", "administration", "government", "court", "company", "group",
}  # fmt: skip
# Capitalized words on one line; a dot is allowed only on initials and titles ("J.", "Mr.").
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'\-]*|[A-Z][a-z]{0,2}\.)(?: +(?:[A-Z][\w’'\-]*|[A-Z][a-z]{0,2}\.))*")


@dataclass(frozen=True)
class Attribution:
    """Who said a quote, as the article names or describes them, and how that was found."""

    speaker: str
    method: Method


@dataclass(frozen=True)
class _Actor:
    position: int
    speaker: str
    is_name: bool


def attribute_quotes(text: str, quotes: list[QuoteSpan], sentences: list[Sentence]) -> list[Attribution]:
    """One attribution per quote, in order; ``unattributed`` where the text does not say."""
    actors = _speech_acts(text, quotes, sentences)
    results: list[Attribution] = []
    previous: tuple[QuoteSpan, Attribution] | None = None
    for quote in quotes:
        found = _attribute_one(text, quote, sentences, actors)
        if found is None and previous is not None and _continues(text, previous[0], quote):
            found = Attribution(previous[1].speaker, "continuation")
        found = found or Attribution(UNATTRIBUTED, "unattributed")
        results.append(found)
        if found.method != "unattributed":
            previous = (quote, found)
    return results


def _attribute_one(text: str, quote: QuoteSpan, sentences: list[Sentence], actors: list[_Actor]) -> Attribution | None:
    first, last = _sentence_at(sentences, quote.start), _sentence_at(sentences, quote.end)
    after_end = min([last.end, *(i for i in (text.find(m, quote.end + 1) for m in '\u201c"\n') if i >= 0)])
    after = text[quote.end + 1 : after_end]
    for pattern in (_AFTER_SUBJECT, _AFTER_INVERTED):
        match = pattern.match(after)
        if match:
            phrase = _speaker_phrase(match["spk"], from_end=pattern is _AFTER_SUBJECT)
            if phrase:
                return _resolve(text, phrase, quote.start, actors)
    nearest = [a for a in actors if first.start <= a.position < last.end]
    if nearest:
        before = [a for a in nearest if a.position <= quote.start]
        actor = before[-1] if before else nearest[0]
        return Attribution(actor.speaker, "explicit")
    return None


def _speech_acts(text: str, quotes: list[QuoteSpan], sentences: list[Sentence]) -> list[_Actor]:
    """Every ``SPEAKER said``-style act outside quotations, resolved in text order."""
    masked = _mask_quotes(text, quotes)
    acts: list[_Actor] = []
    for verb in _VERB.finditer(masked):
        sentence = _sentence_at(sentences, verb.start())
        clause_start = max(sentence.start, *(masked.rfind(ch, 0, verb.start()) + 1 for ch in ",;:\u2014\u0000"))
        clause = masked[clause_start : verb.start()]
        if clause.strip() or masked[clause_start - 1 : clause_start] not in {",", "\u2014"}:
            phrase = _speaker_phrase(clause, from_end=True)
        else:  # "The official, speaking to reporters, noted that ...": the sentence's subject spoke
            phrase = _subject(masked[sentence.start : clause_start])
        if phrase is None:
            continue
        resolved = _resolve(text, phrase, verb.start(), acts)
        acts.append(_Actor(verb.start(), resolved.speaker, _has_name(resolved.speaker)))
    for match in _ACCORDING.finditer(masked):
        phrase = _speaker_phrase(match["spk"], from_end=False)
        if phrase:
            resolved = _resolve(text, phrase, match.start(), acts)
            acts.append(_Actor(match.start(), resolved.speaker, _has_name(resolved.speaker)))
    acts.sort(key=lambda a: a.position)
    return acts


def _subject(sentence_head: str) -> str | None:
    """The subject at the start of a sentence: a name, or a short description."""
    phrase = _speaker_phrase(sentence_head.split(",")[0], from_end=False)
    if phrase is None:
        return None
    if person_name(phrase) is not None or (phrase.split()[0].lower() in _DETERMINERS and len(phrase.split()) <= 5):
        return phrase
    return None


def _speaker_phrase(raw: str, *, from_end: bool) -> str | None:
    words = raw.split()
    if from_end:
        kept: list[str] = []
        for word in reversed(words):
            if word.lower() in _BREAKERS or len(kept) >= 10:
                break
            kept.append(word)
        words = list(reversed(kept))
    else:
        cut = [i for i, w in enumerate(words) if w.lower() in _BREAKERS]
        words = words[: cut[0]] if cut else words
    while words and not (words[0][0].isupper() or words[0].lower() in _DETERMINERS | _PRONOUNS):
        words.pop(0)
    phrase = " ".join(words).strip(" ,.;:")
    return phrase or None


def _resolve(text: str, phrase: str, position: int, actors: list[_Actor]) -> Attribution:
    lowered = phrase.lower()
    if lowered in _PRONOUNS:
        earlier = [a for a in actors if a.position < position]
        named = [a for a in earlier if a.is_name] if lowered in {"he", "she"} else earlier
        if named:
            return Attribution(named[-1].speaker, "pronoun")
        return Attribution(UNATTRIBUTED, "unattributed")
    name = person_name(phrase)
    if name is not None:
        return Attribution(_full_name(text, name, position), "explicit")
    first = lowered.split()[0]
    if first in {"the", "this"}:
        return Attribution(_antecedent(text, phrase, position, actors), "description")
    if first in {"a", "an"}:
        phrase = phrase.split(maxsplit=1)[1] if " " in phrase else phrase
    return Attribution(phrase, "explicit")


def person_name(phrase: str) -> str | None:
    """The personal name inside a speaker phrase, titles and affiliations removed."""
    for segment in re.split(r"\s+(?:of|from|at|for|with)\s+", phrase):
        for run in reversed(_NAME_RUN.findall(segment)):
            words = run.split()
            titles = [i for i, w in enumerate(words) if w.lower().rstrip(".") in _TITLES]
            words = words[titles[-1] + 1 :] if titles else words  # "Finance Minister Ada Kova" -> "Ada Kova"
            if words and not {w.lower() for w in words} & _NOT_PERSON and any(c.islower() for c in words[-1]):
                return " ".join(words)
    return None


def _full_name(text: str, name: str, position: int) -> str:
    """Expand a lone surname ("Blinken", "Mr. Chong", "Wang") to the full name used nearest before it."""
    if len(name.split()) > 1:
        return name
    best: tuple[int, str] | None = None
    for match in _NAME_RUN.finditer(text):
        words = [w for w in match.group(0).split() if w.lower().rstrip(".") not in _TITLES]
        if not 2 <= len(words) <= 3 or name not in (words[0], words[-1]) or {w.lower() for w in words} & _NOT_PERSON:
            continue
        # the latest full mention before the quote wins; otherwise the first one after it
        rank = position - match.start() if match.start() <= position else 10**9 + match.start()
        if best is None or rank < best[0]:
            best = (rank, " ".join(words))
    return best[1] if best else name


def _antecedent(text: str, phrase: str, position: int, actors: list[_Actor]) -> str:
    """Resolve ``the official`` to the indefinite description that introduced them."""
    head = phrase.split()[-1].lower()
    pattern = re.compile(rf"\b(?:an?|one)\s+((?:[\w.\-]+\s+){{0,4}}{re.escape(head)})\b", re.IGNORECASE)
    introductions = [m for m in pattern.finditer(text, 0, position)]
    if introductions:
        return introductions[0].group(1)
    descriptions = [a for a in actors if a.position < position and not a.is_name]
    if descriptions:
        return descriptions[-1].speaker
    return phrase.split(maxsplit=1)[1] if " " in phrase else phrase


def _has_name(speaker: str) -> bool:
    return person_name(speaker) is not None and speaker[:1].isupper()


def _continues(text: str, previous: QuoteSpan, quote: QuoteSpan) -> bool:
    """A quote with no attribution of its own that follows an attributed one closely."""
    gap = text[previous.end : quote.start]
    return gap.count("\n") <= 1 and len(gap) <= 160


def _sentence_at(sentences: list[Sentence], position: int) -> Sentence:
    index = bisect.bisect_right([s.start for s in sentences], position) - 1
    return sentences[max(index, 0)]


def _mask_quotes(text: str, quotes: list[QuoteSpan]) -> str:
    """Replace quoted text with NULs so speech verbs inside quotations are not read as acts."""
    chars = list(text)
    for quote in quotes:
        chars[quote.start : quote.end] = "\u0000" * (quote.end - quote.start)
    return "".join(chars)


# Words that introduce a person ("Minister", "spokesperson"), not the ones that only qualify a title.
_PERSON_TITLES = _TITLES - {
    "state", "foreign", "defense", "defence", "house", "department", "ministry", "us", "u.s.", "cia", "fbi",
    "national", "security", "treasury", "commerce", "top", "senior", "former", "chinese", "russian", "american",
    "british", "french", "german", "official", "officials",
}  # fmt: skip


def find_people(text: str) -> list[str]:
    """Names introduced with a title or role ("President Joe Biden", "top diplomat Wang Yi"), in order."""
    found: dict[str, None] = {}
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).split()
        before = text[max(0, match.start() - 20) : match.start()].split()
        titled = any(w.lower().rstrip(".") in _PERSON_TITLES for w in words[:-1]) or (
            before and before[-1].lower().rstrip(".") in _PERSON_TITLES
        )
        name = person_name(_trim_name(match.group(0))) if titled else None
        if name and (len(name.split()) > 1 or name[:1].isupper()) and len(name.split()) <= 3:
            found.setdefault(_full_name(text, name, match.start()), None)
    return list(found)


_CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
}  # fmt: skip


def _trim_name(run: str) -> str:
    """Drop a possessive and trailing day or month words: "Xi Jinping Friday" -> "Xi Jinping"."""
    words = run.split()
    while len(words) > 1 and words[-1].lower() in _CALENDAR:
        words.pop()
    words[-1] = re.sub(r"[’']s$", "", words[-1])
    return " ".join(words)
