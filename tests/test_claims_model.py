"""A model's second opinion on claims (``check(..., model=...)``), with a scripted backend: no server, no network.

The article is the fictional storm article of ``tests/articles`` (hand-written, no real events).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

import summarizer
from summarizer._briefing.asking import ReaskBounds
from summarizer._briefing.prompting import default_prompts
from summarizer.claims.api import checker_for
from summarizer.claims.checker import ClaimChecker
from summarizer.claims.second_opinion import Opinion, second_opinion
from summarizer.cli import app
from summarizer.testing.fake_backend import FakeBackend

STORM = Path(__file__).parent / "articles" / "storm_coast.txt"
DENIED = "The firm denied the allegations."  # the checker supports it, from sentences 7 and 6
ELSEWHERE = "Astronauts landed on the far side of the moon."
ASKING = ReaskBounds(default_prompts(), max_reasks=1, token_budget=None)
EVERY_SCORE = (0.0, 1.0)


@pytest.fixture(scope="module")
def checker(nlp: Language) -> ClaimChecker:
    return checker_for(summarizer.Article.from_path(STORM), nlp)


def test_the_model_saying_unsupported_flags_the_claim_with_its_reason(checker: ClaimChecker) -> None:
    verdicts = checker.check([DENIED])
    assert verdicts[0].supported and verdicts[0].model_opinion is None
    backend = FakeBackend([Opinion(reason="the sentences say the mayor denied it", supported=False)])
    (judged,) = second_opinion(checker.article, verdicts, backend, ASKING, band=EVERY_SCORE)
    assert not judged.supported and judged.model_opinion is False
    assert judged.problems == ("the model: the sentences say the mayor denied it",)
    assert (judged.score, judged.evidence) == (verdicts[0].score, verdicts[0].evidence)  # the checker's ranking stays


def test_the_model_agreeing_leaves_the_verdict_and_records_its_opinion(checker: ClaimChecker) -> None:
    verdicts = checker.check([DENIED])
    backend = FakeBackend([Opinion(reason="", supported=True)])
    (judged,) = second_opinion(checker.article, verdicts, backend, ASKING, band=EVERY_SCORE)
    assert judged.supported and judged.model_opinion is True and judged.problems == ()


def test_the_model_sees_the_claim_and_its_evidence_only(checker: ClaimChecker) -> None:
    denied, elsewhere = checker.check([DENIED, ELSEWHERE])
    verdicts = [denied, dataclasses.replace(elsewhere, evidence=())]  # the checker found no sentence to show
    backend = FakeBackend([Opinion(reason="", supported=True)])
    judged = second_opinion(checker.article, verdicts, backend, ASKING, band=EVERY_SCORE)
    assert len(backend.requests) == 1 and judged[1] == verdicts[1]  # no evidence to show: not asked
    (request,) = backend.requests
    assert request.response_model is Opinion
    prompt = request.messages[-1]["content"]
    assert DENIED in prompt
    shown = {f"[S{s.id}]" for s in checker.article.sentences if f"[S{s.id}]" in prompt}
    assert shown == {f"[S{i}]" for i in verdicts[0].evidence}


def test_only_claims_scored_in_the_band_are_asked(checker: ClaimChecker) -> None:
    verdicts = checker.check([DENIED, "The firm admitted the allegations."])
    assert verdicts[1].score < 0.2 < verdicts[0].score
    backend = FakeBackend([Opinion(reason="", supported=True)])
    judged = second_opinion(checker.article, verdicts, backend, ASKING, band=(0.2, 1.0))
    assert len(backend.requests) == 1 and DENIED in backend.requests[0].messages[-1]["content"]
    assert judged[1] == verdicts[1]


def test_an_answer_still_invalid_after_the_reask_leaves_the_checker_verdict(checker: ClaimChecker) -> None:
    verdicts = checker.check([DENIED])
    backend = FakeBackend(['{"supported": "no"}', '{"supported": "no"} '])
    assert second_opinion(checker.article, verdicts, backend, ASKING, band=EVERY_SCORE) == verdicts
    assert len(backend.requests) == 2  # asked, then re-asked once with the problems


def test_no_model_means_no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a backend was built without --model")

    monkeypatch.setattr("summarizer.client.create_backend", refuse)
    (verdict,) = summarizer.check(STORM, [DENIED])
    assert verdict.supported and verdict.model_opinion is None
    result = CliRunner().invoke(app, ["check", str(STORM), "--claims", "-", "--format", "json"], input=DENIED)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["model_opinion"] is None


def test_the_cli_asks_the_model_named_by_model(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = FakeBackend([Opinion(reason="the sentences never say so", supported=False)])
    models: list[str] = []

    def built(settings: summarizer.Settings, **kwargs: object) -> FakeBackend:
        models.append(settings.model)
        return backend

    monkeypatch.setattr("summarizer.client.create_backend", built)
    args = ["check", str(STORM), "--claims", "-", "--format", "json", "--model", "openai/gpt-test"]
    result = CliRunner().invoke(app, args, input=DENIED)
    assert result.exit_code == 0, result.output
    (verdict,) = json.loads(result.stdout)
    assert models == ["openai/gpt-test"] and len(backend.requests) == 1
    assert verdict["model_opinion"] is False and verdict["supported"] is False
    assert verdict["problems"] == ["the model: the sentences never say so"]
