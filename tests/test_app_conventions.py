"""What an application expects of the library (issue 20: items 6, 8, 10, 13, 15).

A ``str`` is article text, never a path; input is read before any model is fetched; ``Settings``
read the environment for what is not given; server errors carry their status and request id;
a closed client refuses use; a call can bound its own time; a price can be given.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import openai
import pytest

import summarizer
from summarizer import Article, Settings, Summarizer
from summarizer.errors import BackendError, ConfigurationError, InputError
from summarizer.testing.stub_model import stub_model_server

from .digest_support import stub_settings
from .scripted_server import Reply, completion, scripted_server

TEXT = "Title: Ferry resumes\n\nThe ferry resumed on Monday. The council said the repairs cost $2 million."


def test_a_str_is_article_text_even_when_it_names_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, tmp_path)) as client:
        assert client.read(str(secret)).text == str(secret)
        assert client.read("news/artcle.txt").text == "news/artcle.txt"  # never an error about a missing file
        briefing = client.brief(str(secret))
    assert "root:x" not in briefing.model_dump_json()


def test_files_come_as_paths_or_articles(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    with Summarizer(Settings(model="extractive", cache_dir=tmp_path)) as client:
        assert client.read(story) == Article.from_path(story)
        assert client.read(Article.from_path(story)).title == "Ferry resumes"
        with pytest.raises(InputError, match="no-such.txt"):
            client.read(tmp_path / "no-such.txt")


def test_bytes_are_utf8_text_and_other_bytes_say_what_to_pass(tmp_path: Path) -> None:
    with Summarizer(Settings(model="extractive", cache_dir=tmp_path)) as client:
        assert client.read(TEXT.encode()).text == client.read(TEXT).text
        assert client.read("Café reopens. It serves soup.".encode()).text.startswith("Café")
        with pytest.raises(InputError, match=r"not UTF-8 .*pass the str, or pass the file as a pathlib.Path"):
            client.read("Caf\u00e9 reopens.".encode("latin-1"))
        with pytest.raises(TypeError, match="pass article text as a str .*pathlib.Path"):
            client.read(42)  # type: ignore[arg-type]
        assert client.brief(TEXT.encode()).headline


def test_a_missing_file_is_reported_before_any_model_is_fetched(tmp_path: Path) -> None:
    # the default model: building its backend first would fetch 491 MB (the kill switch fails the test)
    with Summarizer(Settings(cache_dir=tmp_path)) as client, pytest.raises(InputError, match="no/such.txt"):
        client.brief(Path("no/such.txt"))
    assert client._backend is None


def test_settings_read_the_environment_for_what_is_not_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("SUMMARIZER_MAX_INPUT_BYTES", "1234")
    settings = Settings(model="given-model")
    assert settings.model == "given-model" and settings.cache_dir == tmp_path / "env-cache"
    assert settings.base_url == "http://127.0.0.1:9/v1" and settings.max_input_bytes == 1234
    assert Summarizer(Settings(model="x")).settings.store_path == tmp_path / "env-cache" / "results.sqlite3"
    ignoring = Settings.from_env(env={}, model="given-model")
    assert ignoring.base_url is None and ignoring.max_input_bytes == 2_000_000
    assert ignoring.cache_dir != tmp_path / "env-cache"
    assert Settings.from_env().model == "env-model"


def test_an_environment_value_that_cannot_work_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_INPUT_BYTES", "lots")
    with pytest.raises(ConfigurationError, match="SUMMARIZER_MAX_INPUT_BYTES"):
        Settings(model="x")
    assert Settings.from_env(env={}, model="x").max_input_bytes == 2_000_000


def test_server_errors_carry_status_code_and_request_id(tmp_path: Path) -> None:
    headers = {"content-type": "application/json", "x-request-id": "req-7f3a"}
    with scripted_server([Reply(400, '{"error": {"message": "context too long"}}', headers)]) as (url, _):
        with Summarizer(stub_settings(url, tmp_path)) as client, pytest.raises(BackendError) as caught:
            client.brief(TEXT)
    assert caught.value.status_code == 400 and caught.value.request_id == "req-7f3a"
    assert "req-7f3a" in str(caught.value) and not caught.value.retryable


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_a_configuration_error(tmp_path: Path, status: int) -> None:
    body = '{"error": {"message": "Incorrect API key provided"}}'
    with scripted_server([Reply(status, body, {"content-type": "application/json"})] * 3) as (url, script):
        with Summarizer(stub_settings(url, tmp_path)) as client, pytest.raises(ConfigurationError) as caught:
            client.brief(TEXT)
    assert caught.value.exit_code == 4 and "Check the key" in str(caught.value) and str(status) in str(caught.value)
    assert len(script.requests) == 1  # never retried


def test_a_closed_summarizer_refuses_use_and_starts_nothing_again(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        client = Summarizer(stub_settings(stub.url, tmp_path))
        client.brief(TEXT)
        client.close()
        for use in (lambda: client.brief(TEXT), lambda: asyncio.run(client.abrief(TEXT)), lambda: client.backend):
            with pytest.raises(ConfigurationError, match="this Summarizer is closed"):
                use()
    assert len(stub.requests) == 1
    assert client._backend is not None and client._backend.connection._own is None  # type: ignore[attr-defined]


def test_a_call_can_bound_its_own_time(tmp_path: Path) -> None:
    with stub_model_server(latency=3.0) as stub, Summarizer(stub_settings(stub.url, tmp_path)) as client:
        with pytest.raises(BackendError, match=r"did not finish within timeout=0.5 s") as caught:
            client.brief(TEXT, timeout=0.5)
        assert caught.value.retryable
        with pytest.raises(ConfigurationError, match="timeout must be a positive"):
            client.brief(TEXT, timeout=0)
        with pytest.raises(BackendError, match=r"within timeout=0.5 s"):
            asyncio.run(summarizer.abrief(TEXT, settings=stub_settings(stub.url, tmp_path), timeout=0.5))


def test_a_call_timeout_that_is_not_reached_changes_nothing(tmp_path: Path) -> None:
    with stub_model_server() as stub, Summarizer(stub_settings(stub.url, tmp_path)) as client:
        bounded = client.brief(TEXT, timeout=60)
        plain = client.brief(TEXT)
    assert bounded.model_dump(exclude={"meta"}) == plain.model_dump(exclude={"meta"})


def test_the_unknown_model_error_speaks_to_python_callers_too(tmp_path: Path) -> None:
    with Summarizer(Settings.from_env(env={}, model="gpt-4o", cache_dir=tmp_path)) as client:
        with pytest.raises(ConfigurationError) as caught:
            client.brief(TEXT)
    assert "base_url=" in str(caught.value) and "--base-url on the command line" in str(caught.value)


def test_a_given_price_makes_the_cost_known(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        unpriced = summarizer.brief(TEXT, settings=stub_settings(stub.url, tmp_path))
        settings = Settings(model="stub", base_url=stub.url, cache_dir=tmp_path, price=(2.5, 10.0))
        priced = summarizer.brief(TEXT, settings=settings)
    meta = priced.meta
    assert unpriced.meta.cost_usd is None
    assert meta.cost_usd == pytest.approx((meta.input_tokens * 2.5 + meta.output_tokens * 10.0) / 1e6)
    with pytest.raises(ConfigurationError, match="price must be"):
        Settings(model="x", price=(-1.0, 2.0))


def test_the_openai_path_calls_tools_against_the_stub(tmp_path: Path) -> None:
    with stub_model_server() as stub:
        client = openai.OpenAI(base_url=stub.url, api_key="sk-test")
        settings = Settings.from_env(env={}, model="openai/gpt-4o-mini", cache_dir=tmp_path, strategy="compress")
        briefing = summarizer.brief(TEXT, settings=settings, client=client)
        client.close()
    request = stub.requests[0]
    assert request["model"] == "gpt-4o-mini" and request["tools"] and "response_format" not in request
    assert briefing.meta.model == "openai/gpt-4o-mini" and briefing.meta.attempts == 1
    assert briefing.headline == "Ferry resumes" and briefing.key_points
    assert briefing.meta.cost_usd is not None and briefing.meta.cost_usd > 0


def test_stub_answers_a_tool_call_with_its_arguments() -> None:
    with stub_model_server() as stub:
        request = {"model": "m", "messages": [{"role": "user", "content": "Title: T\n\n[S1] One."}],
                   "tools": [{"type": "function", "function": {"name": "HeadlineDraft", "parameters": {
                       "type": "object", "properties": {"headline": {"type": "string"}}}}}]}  # fmt: skip
        reply = openai.OpenAI(base_url=stub.url, api_key="x").post("/chat/completions", body=request, cast_to=object)
    message = reply["choices"][0]["message"]  # type: ignore[index]
    assert message["tool_calls"][0]["function"]["name"] == "HeadlineDraft"
    assert json.loads(message["tool_calls"][0]["function"]["arguments"])["headline"] == "T"


def test_a_scripted_server_completion_still_works(tmp_path: Path) -> None:
    answer = json.dumps({"headline": "Ferry resumes after repairs"})
    with scripted_server([completion(answer)]) as (url, _):
        settings = Settings(model="m", base_url=url, cache_dir=tmp_path, strategy="headline")
        assert summarizer.brief(TEXT, settings=settings).headline == "Ferry resumes after repairs"
