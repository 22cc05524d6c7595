"""Items 4 and 5 of issue 20, the work per article: claim parses in the workers, nothing parsed on the loop's process.

Hand-written fictional articles and the stub model. No assertion depends on speed: the tests
check where parses ran (this process's pipeline is made to refuse), what was sent to be parsed,
and that a parse made in a worker reads as the one this process would make.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer._briefing import schema
from summarizer.claims import checker as checker_module
from summarizer.claims import features as features_module
from summarizer.claims.checker import ClaimChecker
from summarizer.claims.facts import Facts, read_facts
from summarizer.client import Summarizer
from summarizer.grounding import GroundedText
from summarizer.ingest.article import Article
from summarizer.nlp.analysis import analyze
from summarizer.nlp.model import EN_CORE_WEB_SM
from summarizer.nlp.workers import ParsePool
from summarizer.settings import Settings
from summarizer.testing.stub_model import stub_model_server
from tests.conftest import TEST_MODELS

FOLDER = EN_CORE_WEB_SM.folder(TEST_MODELS)
ARTICLE = (
    "Title: Kettering Sound opens a harbour library\n\n"
    "Mayor Ilse Brandvold of Kettering Sound opened the harbour library on Monday. "
    '"It belongs to everyone," she said. The council spent 40 thousand dollars on it, '
    "according to treasurer Omar Feld.\nThe library will lend boats as well as books from June.\n"
)
CLAIMS = [
    "Mayor Ilse Brandvold opened the harbour library on Monday.",
    "The council did not spend 40 thousand dollars on the library.",
    "Treasurer Omar Feld said the library would lend boats in June.",
]


class _NoParsingHere:
    """Stands in for this process's pipeline: a test fails if anything is parsed in the parent."""

    def __call__(self, text: str) -> Any:
        raise AssertionError(f"parsed in this process: {text!r}")


def _refuse_parsing_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ParsePool, "here", property(lambda self: (_NoParsingHere(), self._here)))
    monkeypatch.setattr(ParsePool, "_parse_here", lambda self, *a, **k: _NoParsingHere()(a[0]))


def test_claims_are_parsed_in_a_worker_and_read_as_a_parse_here_would(
    nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = ParsePool(FOLDER, processes=1)
    try:
        pool.warm(wait=120)
        _refuse_parsing_here(monkeypatch)  # before: the checker parsed every claim with this process's pipeline
        parser, _ = pool.checking
        sent = _jobs_sent(pool, monkeypatch)
        facts = parser.facts(CLAIMS)
        started = pool.started
    finally:
        pool.close()
    assert started == 1 and sent == [("claim", text) for text in CLAIMS]
    assert facts == [read_facts(nlp(text)) for text in CLAIMS]  # "did not spend": lemmas, negation and all
    assert all(type(found) is Facts for found in facts)  # before: a Doc's dictionary, rebuilt and read here


def _jobs_sent(pool: ParsePool, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The jobs ``pool`` sends to its workers from now on, in order (a live list)."""
    sent: list[object] = []
    original = pool.remote

    def counted(job: Any) -> Any:
        sent.append(job)
        return original(job)

    monkeypatch.setattr(pool, "remote", counted)
    return sent


def test_an_answer_s_prose_is_queued_at_once_and_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ParsePool(FOLDER, processes=1)
    try:
        pool.warm(wait=120)
        parser, _ = pool.checking
        sent = _jobs_sent(pool, monkeypatch)
        answer = {"headline": CLAIMS[0], "key_points": [{"text": CLAIMS[2], "sentences": [4]}], "actor": "Omar Feld"}
        parser.prefetch_answer(json.dumps(answer))
        queued = list(sent)
        parser.facts([CLAIMS[2]])
        parser.prefetch_answer("not JSON {")  # a broken answer is for validation to refuse, not for this
    finally:
        pool.close()
    assert queued == [("claim", CLAIMS[0]), ("claim", CLAIMS[2])]  # prose only: a two-word name is never a claim
    assert sent == queued  # the checker's own call found its parse already made


def test_a_claim_checked_again_in_one_brief_is_parsed_once(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ParsePool(FOLDER, processes=1)
    try:
        pool.warm(wait=120)
        parser, _ = pool.checking
        sent = _jobs_sent(pool, monkeypatch)
        (first,) = parser.facts([CLAIMS[0]])
        again = [*parser.facts([CLAIMS[0]]), *parser.facts([CLAIMS[1], CLAIMS[0]])]  # its problems; a key point
    finally:
        pool.close()
    assert sent == [("claim", CLAIMS[0]), ("claim", CLAIMS[1])]  # before: CLAIMS[0] sent three times
    assert again == [first, read_facts(nlp(CLAIMS[1])), first]


class _Counting:
    """A spaCy pipeline that keeps every text it is asked to parse."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.parsed: list[str] = []

    def pipe(self, texts: Any) -> Any:
        texts = list(texts)
        self.parsed += texts
        return self.nlp.pipe(texts)


def _copied(article: GroundedText) -> str:
    """The article's sentence about the library's opening, word for word: a claim a copying model writes."""
    return next(s.text for s in article.sentences if s.text.startswith("Mayor Ilse Brandvold"))


def test_a_claim_copying_a_sentence_of_the_article_reuses_its_parse(nlp: Any) -> None:
    grounded = GroundedText(ARTICLE)
    copied = _copied(grounded)
    parser = _Counting(nlp)
    checker = ClaimChecker.from_analysis(grounded, analyze(grounded, nlp), parser)
    verdicts, problems = checker.check([copied, CLAIMS[1], copied]), checker.problems(copied)
    parsing = ClaimChecker(checker.article, checker.ground, nlp)  # the same ground, every claim parsed
    assert parser.parsed == [CLAIMS[1]]  # before: the copied sentence parsed three times more
    assert verdicts == parsing.check([copied, CLAIMS[1], copied]) and problems == parsing.problems(copied)


def test_a_claim_s_problems_asked_again_are_not_worked_out_again(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    grounded = GroundedText(ARTICLE)
    checker = ClaimChecker.from_analysis(grounded, analyze(grounded, nlp), nlp)
    measured: list[object] = []
    original = features_module.measure

    def counted(*args: Any) -> Any:
        measured.append(args[0])
        return original(*args)

    monkeypatch.setattr(checker_module, "measure", counted)
    first = checker.problems(CLAIMS[1])
    first.append("changed by its caller")
    again = checker.problems(CLAIMS[1])  # a summary sentence that is a key point too
    assert len(measured) == 1  # before: measured twice, its evidence looked for twice
    assert again == first[:-1] and any("negation" in problem for problem in again)


def test_an_answer_s_copied_sentences_are_not_sent_to_a_worker(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    grounded = GroundedText(ARTICLE)
    copied = _copied(grounded)
    pool = ParsePool(FOLDER, processes=1)
    try:
        pool.warm(wait=120)
        parser, _ = pool.checking
        checker = ClaimChecker.from_analysis(grounded, analyze(grounded, nlp), parser)
        sent = _jobs_sent(pool, monkeypatch)
        parser.prefetch_answer(json.dumps({"headline": CLAIMS[1], "summary": copied}))
        verdicts = checker.check([CLAIMS[1], copied])
    finally:
        pool.close()
    assert sent == [("claim", CLAIMS[1])]  # before: the copied sentence was sent too
    assert [v.supported for v in verdicts] == [False, True]


def test_with_no_worker_up_claims_are_parsed_here_and_nothing_is_queued(nlp: Any) -> None:
    pool = ParsePool(FOLDER, processes=1)
    try:
        parser, _ = pool.checking
        parser.prefetch([CLAIMS[0]])
        facts = parser.facts([CLAIMS[0]])
        started = pool.started
    finally:
        pool.close()
    assert started == 0  # a lone brief starts no process for its checks
    assert facts == [read_facts(nlp(CLAIMS[0]))]


def test_an_analysis_without_claims_leaves_out_only_the_checker_s_facts(nlp: Any) -> None:
    grounded = GroundedText(ARTICLE)
    full, plain = analyze(grounded, nlp), analyze(grounded, nlp, facts=False)
    assert full.facts and full.words  # what the claim checker reads
    assert (plain.facts, plain.words) == ((), frozenset())
    assert (plain.quotes, plain.entities, plain.gists) == (full.quotes, full.entities, full.gists)


def test_an_extractive_brief_asks_for_no_claim_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    original = ParsePool.analyze

    def spy(self: ParsePool, text: str, *, claims: bool = True) -> Any:
        asked.append(claims)
        return original(self, text, claims=claims)

    monkeypatch.setattr(ParsePool, "analyze", spy)
    with Summarizer(Settings(model="extractive", cache_dir=tmp_path), nlp_processes=0) as summarizer:
        briefing = summarizer.brief(Article.from_text(ARTICLE))
    assert briefing.key_points and asked == [False]  # before: every analysis read every sentence's facts


def test_the_async_api_parses_nothing_in_the_loop_s_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def run(url: str) -> tuple[Any, Any]:
        settings = Settings(model="stub", base_url=url, cache_dir=tmp_path)
        async with Summarizer(settings, nlp_processes=1) as summarizer:
            await summarizer.astart()
            up = summarizer._parsers().remote(("claim", CLAIMS[0]))  # astart waited for a worker
            _refuse_parsing_here(monkeypatch)  # before: the first brief parsed here while the workers started
            return up, await summarizer.abrief(Article.from_text(ARTICLE))

    with stub_model_server() as stub:
        up, briefing = asyncio.run(run(stub.url))
    assert up is not None and up.result()
    assert briefing.headline and briefing.key_points


def test_the_final_check_runs_once_on_a_briefing_it_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = schema.briefing_problems

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr("summarizer._briefing.assembly.briefing_problems", counted)
    monkeypatch.setattr("summarizer._briefing.schema.briefing_problems", counted)
    with Summarizer(Settings(model="extractive", cache_dir=tmp_path), nlp_processes=0) as summarizer:
        briefing = summarizer.brief(Article.from_text(ARTICLE))
    assert briefing.quotes and len(calls) == 1  # before: the filter, then the validator again
