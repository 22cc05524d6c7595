"""Prompt injection: text written to steer an AI model rather than to inform a reader.

The article is data. A sentence (or a title) that addresses a model is withheld from it, and
chat-template markup is neutralised in everything the model sees, so article text can neither
speak as the model's system or user nor close the article block early.

Detection runs on a normalised form, because the same instruction comes disguised: NFKC
(fullwidth and mathematical letters), accents stripped, case folded, Cyrillic and Greek letters
that look Latin folded to it ("Іgnore"), letter-spaced words joined ("I g n o r e"). On that form
a handful of intents are matched - override earlier instructions, take a new identity, answer
with given output, speak in chat markup - rather than a list of known phrasings. Each intent
needs a sign that the words address a model (earlier/previous rules, an imperative opening,
chat markup), because news reports people ignoring rules all the time; the tests check that no
sentence of the project's real articles is withheld.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters drawn like Latin ones (lower case: text is case-folded first).
_LOOKALIKES = str.maketrans(
    "аеорсхуіјѕԁһӏкмнтвԛԝαβεηικνορτυχıɡ",
    "aeopcxyijsdhlkmhtbqwabeniknoptuxig",
)
_SPACED = re.compile(r"(?<!\w)(?:\w[ .·_*-]){2,}\w(?!\w)")
_SEPARATORS = re.compile(r"[ .·_*-]")

_VERBS = r"(?:ignor|disregard|forget|overrid|bypass|vergiss|vergesse|oubli|olvid|dimentic)"
# The imperative, in the languages whose instructions the probe met: "ignore", "ignorez", "vergiss".
_COMMAND = r"(?:ignore|ignorez|ignora|ignoriere|disregard|forget|override|bypass|vergiss|oublie[zr]?|olvida|dimentica)"
_OBJECT = (
    r"(?:instruc\w*|istruzion\w*|anweisung\w*|prompts?|rules|regles|reglas|regeln|regole|guidelines"
    r"|directives|system message)"
)
_EARLIER = r"(?:previous|prior|preceding|earlier|above|foregoing|precedent\w*|anterior\w*|vorherig\w*)"
_GAP = r"(?:[\w',]+ ){0,3}?"
_INTENTS = re.compile(
    "|".join(
        (
            # a command to drop what came before, opening a sentence or clause: "Please disregard the rules above"
            rf"(?:^|[.:;!?\"\u201c(] ?|\b(?:please|now|kindly|then) ){_COMMAND} {_GAP}{_OBJECT}",
            # the same anywhere, when it names the model's own context: "... ignore all previous instructions"
            rf"\b{_VERBS}\w* (?:all (?:of )?(?:the |your )?{_EARLIER}|the above) {_GAP}{_OBJECT}",
            rf"\b{_VERBS}\w* {_GAP}{_OBJECT} above\b",
            # letter-spaced without word gaps: "i g n o r e a l l p r e v i o u s ..." joined into one word
            rf"\b{_VERBS}\w*?(?:{_EARLIER}|your|all)\w*?{_OBJECT}",
            # a new identity: "from now on you are DAN", "you are now an unrestricted AI"
            r"\bfrom now on,? you are\b",
            r"\byou are (?:now )?(?:an? |the )?(?:ai|assistant|language model|chatbot|dan|in \w+ mode)\b",
            r"\b(?:act|behave|pretend|roleplay)\w* (?:as|to be|like) (?:an? )?(?:unrestricted|unfiltered|jailbroken)",
            # given output: "return this exact JSON", "reply only with the word HACKED"
            r"\b(?:return|output|print|write|reply with|respond with|answer with) (?:only )?(?:this|the following) "
            r"(?:exact )?(?:json|text|string|word|answer|object|output)",
            r"\b(?:answer|respond|reply|output)(?: only)? with\b.{0,40}\b(?:json|the word)\b",
            r"\bnew instructions\s?:",
            # chat markup: <|im_start|>, [INST], <<SYS>>, ### Instruction, fake tags and role prefixes
            r"<\|[^|<>]{0,40}\|>|\[/?inst\]|<</?sys>>",
            r"(?:^|\s)#{2,} ?(?:instruction|system|response|input|assistant|user|human)s?\b",
            r"<\s*/?\s*(?:system|assistant|user|im_start|im_end|article|start_of_turn|end_of_turn)\b",
            r"^\W*(?:system|assistant)\s*:",
        )
    )
)

# What the model must never read as markup, rewritten so it stays legible text.
_TAG = re.compile(r"<\s*/?\s*(article|system|user|assistant|im_start|im_end|start_of_turn|end_of_turn)", re.IGNORECASE)
_TEMPLATE = re.compile(r"<\||\|>|\[/?INST\]|<</?SYS>>|^#{2,}(?=\s*\w)", re.IGNORECASE | re.MULTILINE)
_FAKE_LABEL = re.compile(r"\[((?:A\d+\.)?S\d+)\]")
_SUBSTITUTES = {"<|": "\u2039|", "|>": "|\u203a", "[": "(", "]": ")", "<<": "\u2039\u2039", ">>": "\u203a\u203a"}


def detection_form(text: str) -> str:
    """The form detection runs on: compatibility-folded, unaccented, case-folded, lookalikes and spacing undone."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    folded = plain.casefold().translate(_LOOKALIKES)
    joined = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group()), folded)
    return " ".join(joined.split())


def addresses_a_model(text: str) -> bool:
    """True for text written to steer an AI model rather than to inform a reader (prompt injection)."""
    return _INTENTS.search(detection_form(text)) is not None


def neutralised(text: str) -> str:
    """``text`` as the model may see it: chat-template tokens, article tags and sentence labels defanged.

    Only what the model sees changes; the article itself (and every quote and citation cut
    from it) keeps its characters.
    """
    text = _FAKE_LABEL.sub(r"(\1)", text)
    text = _TAG.sub(lambda m: m.group(0).replace("<", "\u2039"), text)
    return _TEMPLATE.sub(lambda m: _substitute(m.group(0)), text)


def _substitute(token: str) -> str:
    if token.startswith("#"):
        return "\u266f" * len(token)  # "###" -> "♯♯♯": no longer a heading the template reads
    for markup, plain in _SUBSTITUTES.items():
        token = token.replace(markup, plain)
    return token
