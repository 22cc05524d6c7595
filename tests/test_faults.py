"""Faults injected by the stub server: every kind is survived or reported, nothing is lost or doubled.

No assertion depends on speed: waits go to an injected sleep that only records them, and the
one slow answer waits seconds longer than the client's sub-second timeout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.client import Summarizer
from summarizer.digests.api import digest
from summarizer.retry import RetryPolicy
from summarizer.settings import Settings
from summarizer.testing.stub_model import ANSWER_FAULTS, FAULTS, TRANSPORT_FAULTS, FaultPlan, stub_model_server

ARTICLES = Path(__file__).parent / "articles"
ATTEMPTS = 4
MAX_REASKS = 2


def _settings(url: str, tmp: Path, sleeps: list[float], **overrides: object) -> Settings:
    policy = RetryPolicy(attempts=ATTEMPTS, initial_wait=0.5, max_wait=30, jitter=0.5, sleep=sleeps.append)
    values: dict[str, object] = {"model": "stub", "base_url": url, "cache_dir": tmp, "retry": policy,
                                 "timeout": 30.0, "max_reasks": MAX_REASKS, **overrides}  # fmt: skip
    return Settings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_kind_once_still_yields_a_grounded_briefing(fault: str, tmp_path: Path) -> None:
    sleeps: list[float] = []
    plan = FaultPlan(script=[fault], slow=6.0)  # the slow answer's first byte comes 5 s after the client gave up
    with (
        stub_model_server(faults=plan) as stub,
        Summarizer(_settings(stub.url, tmp_path, sleeps, timeout=1.0)) as client,
    ):
        briefing = client.brief(ARTICLES / "harbor_bridge.txt")
    assert stub.injected == {fault: 1}
    assert len(stub.requests) == 2  # the faulty request and the one that replaced it
    if fault in TRANSPORT_FAULTS:
        assert len(sleeps) == 1 and briefing.meta.attempts == 1  # retried by the policy, not re-asked
    else:
        assert sleeps == [] and briefing.meta.attempts == 2  # re-asked with the problems, not retried
    # the replacement answer was used whole: nothing of it had to be dropped, no step fell back
    not_as_written = {"no_answer", "invalid_answer", "dropped_ungrounded", "fallback_headline"}
    assert not [w.message for w in briefing.meta.warnings if w.code in not_as_written]
    if fault in ANSWER_FAULTS:  # the re-ask: the original messages, the rejected answer, what was wrong with it
        first, second = stub.requests
        assert second["messages"][: len(first["messages"])] == first["messages"]
        assert (
            second["messages"][len(first["messages"])]["role"] == "assistant"
            and len(second["messages"]) == len(first["messages"]) + 2
        )
    else:
        assert stub.requests[0] == stub.requests[1]  # the same request sent again


def test_every_form_of_retry_after_is_honoured(tmp_path: Path) -> None:
    sleeps: list[float] = []
    plan = FaultPlan(script=["429", "429-ms", "429-date"], retry_after=2.0)
    with stub_model_server(faults=plan) as stub, Summarizer(_settings(stub.url, tmp_path, sleeps)) as client:
        client.brief(ARTICLES / "harbor_bridge.txt")
    assert len(stub.requests) == 4
    assert sleeps[:2] == [2.0, 2.0]
    assert 0.0 <= sleeps[2] <= 3.0  # an HTTP-date has whole seconds


def test_a_fault_that_never_stops_ends_in_a_typed_error_after_the_policy_s_attempts(tmp_path: Path) -> None:
    from summarizer.errors import BackendError

    sleeps: list[float] = []
    with stub_model_server(faults=FaultPlan(rate=1.0, kinds=("503",))) as stub:
        with Summarizer(_settings(stub.url, tmp_path, sleeps)) as client, pytest.raises(BackendError) as caught:
            client.brief(ARTICLES / "harbor_bridge.txt")
    assert caught.value.retryable and "503" in str(caught.value)
    assert len(stub.requests) == ATTEMPTS and len(sleeps) == ATTEMPTS - 1  # the SDK added no retries of its own


_FIRST = ["Ana", "Boris", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaia", "Lorenzo"]
_LAST = ["Ruiz", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Silva", "Kowalczyk", "Byrne",
         "Adeyemi", "Castillo", "Petrov"]  # fmt: skip


def _towns(folder: Path, count: int) -> list[Path]:
    """Fictional one-paragraph articles, each about its own town and event."""
    folder.mkdir()
    events = ["opened a footbridge", "closed a cinema", "elected a mayor", "flooded", "won a cup", "built a school",
              "banned cars from the square", "found a Roman coin"]  # fmt: skip
    paths = []
    for i in range(count):
        town = f"Town{chr(65 + i % 26)}{chr(65 + i // 26)}ville"
        event = events[i % len(events)]
        mayor = f"{_FIRST[i % len(_FIRST)]} {_LAST[i % len(_LAST)]}"
        text = (f"Title: {town} {event}\n\n{town} {event} on Monday, the {town} Courier reported.\n"
                f"Mayor {mayor} said {i + 2} residents took part.\n")  # fmt: skip
        path = folder / f"{i:03d}_{town}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_sixty_articles_at_concurrency_16_with_one_request_in_five_failing(tmp_path: Path) -> None:
    sleeps: list[float] = []
    paths = _towns(tmp_path / "articles", 60)
    plan = FaultPlan(rate=0.2, seed=7, kinds=tuple(f for f in FAULTS if f != "slow"))  # slow: tested on its own
    with stub_model_server(faults=plan) as stub:
        result = digest([tmp_path / "articles"], settings=_settings(stub.url, tmp_path / "cache", sleeps),
                        concurrency=16)  # fmt: skip
    placed = [s.input for story in result.stories for s in story.sources]
    placed += [d for story in result.stories for s in story.sources for d in s.duplicates]
    failed = [item.input for item in result.not_included]
    assert sorted(placed + failed) == sorted(str(p) for p in paths), "an article was lost or doubled"
    assert all(item.stage == "model" and item.reason for item in result.not_included)
    transport = sum(stub.injected[f] for f in TRANSPORT_FAULTS)
    answers = sum(stub.injected[f] for f in ANSWER_FAULTS)
    assert transport > 0 and answers > 0, "the plan should have injected both kinds"
    # A call that gave up met ATTEMPTS transport faults in a row; every other transport fault was
    # retried after exactly one wait, so the waits tell how many calls gave up.
    exhausted = len(failed) + sum("could not write the story" in w.message for s in result.stories for w in s.warnings)
    assert len(sleeps) == transport - exhausted
    # Every request is an answer the library counted, a transport fault, or an answer lost with a
    # call that then gave up (at most its re-asks): nothing was sent that the policy did not decide to send.
    unaccounted = len(stub.requests) - result.meta.model_calls - transport
    assert 0 <= unaccounted <= MAX_REASKS * exhausted
    assert sum(wait == 0.25 for wait in sleeps) >= stub.injected["429"] + stub.injected["429-ms"] - len(failed)


def test_an_api_key_is_never_written_anywhere(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from summarizer.errors import BackendError

    from .cassette_support import _recorder

    key = "sk-test-" + "S3cr3tK3yDoNotLeak" * 2
    sleeps: list[float] = []
    recorder = _recorder()
    recorder.cassette_library_dir = str(tmp_path / "cassettes")
    recorder.record_mode = "all"
    caplog.set_level(logging.DEBUG)
    plan = FaultPlan(script=["429", "bad-ids"])
    with stub_model_server(faults=plan) as stub, recorder.use_cassette("secret.yaml"):
        settings = _settings(stub.url, tmp_path / "cache", sleeps, api_key=key)
        result = digest([ARTICLES / "digest"], settings=settings)
    with stub_model_server(faults=FaultPlan(rate=1.0, kinds=("503",))) as failing:
        with Summarizer(_settings(failing.url, tmp_path, sleeps, api_key=key)) as client:
            with pytest.raises(BackendError) as caught:
                client.brief(ARTICLES / "harbor_bridge.txt")
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".yaml" for p in written) and any(p.name.startswith("results.sqlite3") for p in written)
    for path in written:
        assert key.encode() not in path.read_bytes(), f"the key leaked into {path}"
    assert key not in result.model_dump_json() and key not in repr(settings)
    assert key not in str(caught.value) and key not in caplog.text
