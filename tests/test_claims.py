"""The claim checker on a fictional article: each kind of problem it names, and paraphrases it accepts."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language

import summarizer
from summarizer.claims.api import checker_for
from summarizer.claims.checker import ClaimChecker
from summarizer.claims.facts import read_facts
from summarizer.claims.features import measure
from summarizer.claims.verdict import ClaimVerdict

STORM = Path(__file__).parent / "articles" / "storm_coast.txt"


@pytest.fixture(scope="module")
def checker(nlp: Language) -> ClaimChecker:
    return checker_for(summarizer.Article.from_path(STORM), nlp)


def _verdict(checker: ClaimChecker, claim: str) -> ClaimVerdict:
    (verdict,) = checker.check([claim])
    return verdict


@pytest.mark.parametrize(
    ("claim", "problem"),
    [
        ("The Castleton Owls beat the Lowmere Rovers.", "roles swapped"),
        ("Lena Marsh imposed sanctions on the Keldan shipping firm.", "wrong relation"),
        ("The firm admitted the allegations.", "wrong relation"),
        ("The town council approved the emergency budget.", "negation flipped"),
        ("The ferry to Gull Island will resume service in November.", "modality changed"),
        ("The storm damaged 400 homes in Lowmere.", "numbers not in the article: 400"),
        ("Mayor Tom Hale praised the rescue crews.", "not in the article: hale, tom"),
        ('Marsh said: "We will rebuild every pier."', "wrong speaker"),
        ("The ferry to Gull Island may resume 40 crossings in November.", "numbers not in the evidence: 40"),
        ("A UNK damaged 40 homes in Lowmere.", "UNK"),
        ("Mayor Ines Okafor on Monday, after the storm in Lowmere.", "fragment"),
    ],
)
def test_each_kind_of_problem_is_named(checker: ClaimChecker, claim: str, problem: str) -> None:
    verdict = _verdict(checker, claim)
    assert not verdict.supported
    assert any(problem in found for found in verdict.problems), verdict.problems


@pytest.mark.parametrize(
    "claim",
    [
        "A storm damaged 40 homes in Lowmere.",
        "5 fishing boats sank in the harbour.",  # "five" is 5
        "Okafor praised the rescue crews for their heroic work.",  # "Okafor" is "Ines Okafor"
        "The rescue crews were praised by the mayor.",  # passive voice keeps the roles
        "The Lowmere Rovers beat the Castleton Owls.",
        "Lena Marsh threatened sanctions on the Keldan shipping firm.",
        "The firm denied the allegations.",
        "The ferry to Gull Island may resume service in November.",
        'Okafor said: "We will rebuild every pier."',
        "Foreign Minister Lena Marsh threatening sanctions on the Keldan shipping firm.",  # a headline's participle
        "Okafor hailed the volunteers as heroes after the storm.",  # rewords two thirds of its words' weight
    ],
)
def test_what_the_article_says_is_supported(checker: ClaimChecker, claim: str) -> None:
    verdict = _verdict(checker, claim)
    assert verdict.supported, verdict.problems
    assert verdict.problems == ()


def test_evidence_names_the_sentences_that_support_the_claim(checker: ClaimChecker) -> None:
    verdict = _verdict(checker, "Okafor praised the rescue crews.")
    assert verdict.evidence[0] == 2
    assert _verdict(checker, "The firm denied the allegations.").evidence[0] == 7


def test_a_claim_the_article_does_not_make_is_not_supported_and_scores_below_one_it_makes(
    checker: ClaimChecker,
) -> None:
    unrelated = _verdict(checker, "Volcanic ash grounded flights across the northern provinces for a week.")
    stated = _verdict(checker, "A storm damaged 40 homes in Lowmere.")
    assert not unrelated.supported
    assert unrelated.problems
    assert unrelated.score < stated.score


def test_the_api_takes_a_path_text_or_article_and_keeps_the_order_of_the_claims() -> None:
    claims = ["The firm admitted the allegations.", "The firm denied the allegations."]
    for source in (STORM, summarizer.Article.from_path(STORM), STORM.read_text(encoding="utf-8")):
        verdicts = summarizer.check(source, claims)
        assert [v.claim for v in verdicts] == claims
        assert [v.supported for v in verdicts] == [False, True]
    (single,) = summarizer.check(STORM, "The firm denied the allegations.")  # a str is one claim
    assert single.supported
    assert summarizer.check(STORM, []) == []


def test_a_verdict_is_frozen(checker: ClaimChecker) -> None:
    verdict = _verdict(checker, "The firm denied the allegations.")
    with pytest.raises(AttributeError):
        verdict.supported = False  # type: ignore[misc]


def test_an_article_with_no_text_is_an_input_error() -> None:
    with pytest.raises(summarizer.InputError):
        summarizer.check(summarizer.Article.from_text("   \n"), ["Anything."])


def test_an_abbreviation_written_without_its_full_stops_is_the_articles(nlp: Language) -> None:
    text = "Harbour Talks\n\nThe U.S. delegation met the Keldan ministers in Lowmere on Monday.\n"  # fictional
    checker = checker_for(summarizer.Article.from_text(text), nlp)
    (verdict,) = checker.check(["The US delegation met the Keldan ministers in Lowmere."])
    assert not any("not in the article" in p for p in verdict.problems), verdict.problems


FINAL = """Rovers Reach the Final

The Lowmere Rovers beat the Castleton Owls in the semi-final on Saturday.
The Rovers fans sang through the semi-final.
The final is on April 19 in Keldan.
"""  # fictional


def test_a_number_a_sentence_beyond_the_evidence_states_with_the_claims_words_is_no_problem(nlp: Language) -> None:
    """The evidence is a few sentences: a number it lacks is the claim's where a sentence about the claim has it."""
    checker = checker_for(summarizer.Article.from_text(FINAL), nlp)
    away = read_facts(nlp("The Rovers fans will travel to Keldan for the final on April 19."))
    assert not measure(away, [1], checker.ground)[1]  # evidence: the fans' sentence alone
    moved = read_facts(nlp("The Rovers fans sang on April 19."))  # the final's sentence shares only "April"
    assert measure(moved, [1], checker.ground)[1] == ["numbers not in the evidence: 19"]


def test_a_claims_coverage_is_the_same_whatever_order_the_process_keeps_its_words_in(
    child_env: dict[str, str],
) -> None:
    """Set order changes with the hash seed; a float sum in that order broke ties between sentences per run."""
    code = (
        "from summarizer.claims.evidence import Weights, coverage\n"
        "from summarizer.claims.facts import Facts\n"
        "words = [f'w{i}' for i in range(40)]\n"
        "weights = Weights({w: 0.1 * (i % 7) + 1 / (i + 3) for i, w in enumerate(words)}, 2.0)\n"
        "claim = Facts(frozenset(words), frozenset(), (), (), frozenset(), False)\n"
        "print(repr(coverage(claim, frozenset(words[::3]), weights)))\n"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**child_env, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 6)
    }
    assert len(found) == 1, found


HARBOUR = """Harbour News

The ferry company no longer runs boats to Gull Island.
The mayor has no plans to sell the harbour.
The harbour master has not closed the north pier.
The old pier is not safe, the engineers said.
"""  # fictional


@pytest.mark.parametrize(
    ("claim", "flipped"),
    [
        ("The ferry company runs boats to Gull Island.", True),  # "no longer runs" negates
        ("The mayor has plans to sell the harbour.", True),  # "has no plans" negates
        ("The old pier is safe.", True),
        ("The old pier is ready for boats.", False),  # not what the article says is not so
        ("The harbour master is not planning on closing the north pier.", False),  # affirms no closing
        ("The ferry company no longer runs boats to Gull Island.", False),
    ],
)
def test_a_negation_is_read_in_its_forms_and_only_against_what_the_article_says_of_the_same(
    nlp: Language, claim: str, flipped: bool
) -> None:
    checker = checker_for(summarizer.Article.from_text(HARBOUR), nlp)
    (verdict,) = checker.check([claim])
    assert any("negation flipped" in p for p in verdict.problems) == flipped, verdict.problems


def test_a_speaker_the_quotes_own_sentence_names_is_no_wrong_speaker(checker: ClaimChecker, nlp: Language) -> None:
    """Whoever the NLP stage took a quote's speaker to be, the sentence that names its speaker is right."""
    (pier,) = checker.check(['Okafor said: "We will rebuild every pier."'])
    misread = dataclasses.replace(checker.ground, speakers={pier.evidence[0] - 1: frozenset({"Lena Marsh"})})
    misattributed = ClaimChecker(checker.article, misread, nlp)
    (verdict,) = misattributed.check(['Okafor said: "We will rebuild every pier."'])
    assert verdict.supported, verdict.problems


def test_a_fragment_fails_the_verdict_but_is_no_problem_of_a_models_prose(checker: ClaimChecker) -> None:
    """A summary sentence with no predicate states nothing to check (FRANK's annotators mark such lines as
    errors); a model's headline or key point may be one, so the problems model prose is checked with omit it."""
    fragment = "Mayor Ines Okafor on Monday, after the storm in Lowmere."
    assert not _verdict(checker, fragment).supported
    assert _verdict(checker, fragment).score < _verdict(checker, "Mayor Ines Okafor praised the rescue crews.").score
    assert checker.problems(fragment) == []
