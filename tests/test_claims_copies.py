"""Claims that copy an article's words yet say something else: a name for the wrong pronoun or object, a number moved.

The article is fictional and hand-written for these tests.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

import summarizer
from summarizer.claims.api import checker_for
from summarizer.claims.checker import ClaimChecker

STABLE = """Dunmore Stable Prepares for the Spring Cup

Trainer Jon Pell hosted reporters at his stable in Dunmore on Thursday.
He trains Quiet Harbour for the owner Mara Vance, who bought the horse last year.
Rescuers pulled 12 sailors from the cold water off the coast of Dunmore, and 3 boats sank in the gale.
The club promoted Tom Reed to head groom in May.
The 54-year-old sold his second horse, Grey Lantern, to a breeder in Kildare.
"""


@pytest.fixture(scope="module")
def checker(nlp: Language) -> ClaimChecker:
    return checker_for(summarizer.Article.from_text(STABLE), nlp)


def test_a_name_put_where_the_article_has_a_pronoun_for_someone_else_is_a_wrong_subject(
    checker: ClaimChecker,
) -> None:
    (wrong,) = checker.check(["Mara Vance trains Quiet Harbour."])
    assert not wrong.supported
    assert any("wrong subject" in p for p in wrong.problems), wrong.problems
    (right,) = checker.check(["Jon Pell trains Quiet Harbour."])
    assert right.supported, right.problems


def test_a_surname_the_tagger_reads_as_a_noun_still_names_a_wrong_subject(checker: ClaimChecker) -> None:
    (wrong,) = checker.check(["Vance trains Quiet Harbour for the owner Mara Vance."])  # "Vance" is tagged a noun
    assert not wrong.supported
    assert any("wrong subject" in p for p in wrong.problems), wrong.problems


def test_a_name_put_where_the_article_has_another_name_as_the_object_is_a_wrong_object(checker: ClaimChecker) -> None:
    (wrong,) = checker.check(["The club promoted Jon Pell to head groom in May."])
    assert not wrong.supported
    assert any("wrong object" in p for p in wrong.problems), wrong.problems
    (right,) = checker.check(["The club promoted Tom Reed to head groom in May."])
    assert right.supported, right.problems


def test_a_name_put_for_the_articles_description_of_a_subject_is_no_stitch(checker: ClaimChecker) -> None:
    (named,) = checker.check(["Jon Pell sold his second horse, Grey Lantern, to a breeder in Kildare."])
    assert named.supported, named.problems


def test_a_copy_that_puts_a_number_with_another_word_is_not_supported(checker: ClaimChecker) -> None:
    (moved,) = checker.check(["Rescuers pulled 3 sailors from the cold water off the coast of Dunmore."])
    assert not moved.supported
    assert any("number" in p for p in moved.problems), moved.problems
    (kept,) = checker.check(["Rescuers pulled 12 sailors from the cold water off the coast of Dunmore."])
    assert kept.supported, kept.problems
    assert moved.score < kept.score


def test_a_copy_with_one_word_reworded_is_no_stitch_and_no_moved_number(checker: ClaimChecker) -> None:
    (reworded,) = checker.check(["Rescuers pulled 12 seamen from the cold water off the coast of Dunmore."])
    assert reworded.supported, reworded.problems
