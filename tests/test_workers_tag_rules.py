"""Item 4 of issue 20, a worker's CPU per article: the attribute ruler matches by lookup, with the same result.

The fixture articles are fictional and hand-written. No assertion depends on speed: the tests
check that the pipeline no longer runs the ruler's matcher and that every token comes out as
the matcher would have made it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.lang.en import English
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from summarizer.grounding import GroundedText
from summarizer.nlp.tag_rules import TagRules, install

ARTICLES = sorted((Path(__file__).parent / "articles").rglob("*.txt"))
EXTRA = [
    "There's nothin' to it, y'all: we're gonna win, said Ana.",  # the two-token and pattern-by-pattern rules
    "Let's go.  He gets what he got, doesn't he?\n\nThose that can, do.",
]


def _texts() -> list[str]:
    sentences = [s.text for path in ARTICLES for s in GroundedText(path.read_text(encoding="utf-8")).sentences]
    return [*sentences, *EXTRA, *(path.read_text(encoding="utf-8") for path in ARTICLES[:5])]


def _tokens(docs: list[Doc]) -> list[list[tuple[str, ...]]]:
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc] for doc in docs]


def test_the_pipeline_s_attribute_ruler_does_not_run_its_matcher(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    ruler = nlp.get_pipe("attribute_ruler")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the matcher ran")

    monkeypatch.setattr(ruler, "matcher", refuse)
    doc = nlp("Mayor Ilse Brandvold said nothing about it.")  # before: 32 µs a token in the matcher
    assert [t.pos_ for t in doc][:4] == ["PROPN", "PROPN", "PROPN", "VERB"] and doc[4].pos_ == "PRON"


def test_every_token_comes_out_as_the_matcher_makes_it(nlp: Language) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler) and "match" in vars(ruler)
    texts = _texts()
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):  # what the ruler sees
        seen = list(nlp.pipe(texts))
    rules = TagRules(ruler)
    assert all(rules(doc) == sorted(set(AttributeRuler.match(ruler, doc))) for doc in seen)
    looked_up = _tokens(list(nlp.pipe(texts)))
    matched = vars(ruler).pop("match")
    try:
        assert _tokens(list(nlp.pipe(texts))) == looked_up
    finally:
        vars(ruler)["match"] = matched


def test_a_ruler_with_patterns_the_lookup_does_not_know_keeps_its_matcher() -> None:
    english = English()
    ruler = english.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "much"})
    assert not install(ruler) and "match" not in vars(ruler)
    assert [t.lemma_ for t in english("very very good")][:2] == ["much", "much"]
