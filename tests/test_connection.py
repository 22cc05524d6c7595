"""How requests reach the server: clients passed in, event loops, threads, deadlines, non-answers.

Replies are scripted on a loopback server (hand-written fixtures, not model output).
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import openai
import pytest
from typer.testing import CliRunner

import summarizer.client
from summarizer.backends.base import Backend
from summarizer.backends.registry import Clients, create_backend
from summarizer.cli import app
from summarizer.client import Summarizer
from summarizer.errors import BackendError, ConfigurationError
from summarizer.retry import NO_RETRIES, RetryPolicy
from summarizer.settings import Settings

from .cli_support import recorded_retries
from .scripted_server import Reply, completion, scripted_server

SUMMARY = {
    "headline": "Council approves bridge repairs",
    "summary": "Port Alder will spend $48 million on the Harbor Bridge.",
    "key_points": [{"text": "The council voted 7-2 to spend $48 million on repairs.", "sentences": [1]}],
    "positions": [],
}


def _settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"model": "m", "base_url": url, "strategy": "write", "retry": NO_RETRIES}
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def _answers(count: int = 1) -> list[Reply]:
    return [completion(json.dumps(SUMMARY))] * count


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<html><body>Welcome to the proxy</body></html>", "text/html"),
        ("[]", "application/json"),
        ("null", "application/json"),
        ('{"hello": 1}', "application/json"),
        ('{"choices": []}', "application/json"),
    ],  # fmt: skip
    ids=["html", "list", "null", "object", "no-choices"],
)
def test_a_200_that_is_not_a_chat_completion_is_a_typed_backend_error(
    harbor_text: str, tmp_path: Path, body: str, content_type: str
) -> None:
    with scripted_server([Reply(200, body, {"content-type": content_type})]) as (url, script):
        with Summarizer(_settings(url)) as client, pytest.raises(BackendError) as caught:
            client.brief(harbor_text)
        article = tmp_path / "a.txt"
        article.write_text(harbor_text, encoding="utf-8")
        script.replies.append(Reply(200, body, {"content-type": content_type}))
        cli = CliRunner().invoke(app, ["brief", str(article), "--model", "m", "--base-url", url])
    assert f"the server at {url}/ did not answer with a chat completion" in str(caught.value)
    assert not caught.value.retryable and len(script.requests) == 2
    assert cli.exit_code == 5 and "did not answer with a chat completion" in cli.output


def test_a_server_that_trickles_its_answer_hits_the_request_s_total_deadline(harbor_text: str) -> None:
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=2, initial_wait=0, jitter=0, sleep=sleeps.append)
    # each byte comes well within the timeout, but the whole answer would take 4 s
    trickling = [Reply(200, completion("{}").body, {"content-type": "application/json"}, trickle=0.2)] * 2
    with scripted_server(trickling) as (url, script), Summarizer(_settings(url, timeout=0.5, retry=policy)) as client:
        with pytest.raises(BackendError, match="did not finish answering within 0.5 s") as caught:
            client.brief(harbor_text)
    assert caught.value.retryable and len(script.requests) == 2 and len(sleeps) == 1


def test_the_cli_takes_a_timeout(harbor_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = recorded_retries(monkeypatch, attempts=2)
    article = tmp_path / "a.txt"
    article.write_text(harbor_text, encoding="utf-8")
    slow = [Reply(200, completion("{}").body, {"content-type": "application/json"}, trickle=0.2)] * 2
    with scripted_server(slow) as (url, script):
        result = CliRunner().invoke(app, ["brief", str(article), "--model", "m", "--base-url", url, "--timeout", "0.3"])
    assert result.exit_code == 5 and "within 0.3 s" in result.output
    assert len(script.requests) == 2 and len(sleeps) == 1


def test_one_summarizer_serves_two_successive_event_loops(harbor_text: str) -> None:
    with scripted_server(_answers(2)) as (url, script), Summarizer(_settings(url)) as client:
        first = asyncio.run(client.abrief(harbor_text))
        second = asyncio.run(client.abrief(harbor_text))
    assert first.headline == second.headline == SUMMARY["headline"] and len(script.requests) == 2


def test_threads_sharing_a_summarizer_build_one_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Backend] = []
    together = threading.Barrier(8, timeout=0.5)  # passes only if several threads build at once

    def counting(*args: Any, **kwargs: Any) -> Backend:
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass
        backend = create(*args, **kwargs)
        built.append(backend)
        return backend

    create = create_backend
    monkeypatch.setattr(summarizer.client, "create_backend", counting)
    client = Summarizer(_settings("http://127.0.0.1:9/v1"))
    seen: list[Backend] = []
    threads = [threading.Thread(target=lambda: seen.append(client.backend)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    assert len(built) == 1 and all(backend is built[0] for backend in seen)


def test_a_configured_openai_client_is_the_seam(harbor_text: str) -> None:
    with scripted_server([Reply(503, '{"error": {"message": "busy"}}'), *_answers(2)]) as (url, script):
        sdk = openai.OpenAI(base_url=url, api_key="sk-azure", default_headers={"x-deployment": "eu"}, max_retries=5)
        asynchronous = openai.AsyncOpenAI(base_url=url, api_key="sk-azure", default_headers={"x-deployment": "eu"})
        settings = Settings(model="gpt-test", strategy="write", retry=NO_RETRIES)
        with Summarizer(settings, client=sdk) as client, pytest.raises(BackendError, match="503"):
            client.brief(harbor_text)  # the SDK's own retries are off: RetryPolicy alone retries
        with Summarizer(settings, client=sdk) as client:
            synchronous = client.brief(harbor_text)

        async def in_the_caller_s_loop() -> str:
            async with Summarizer(settings, async_client=asynchronous) as client:
                return (await client.abrief(harbor_text)).headline

        assert asyncio.run(in_the_caller_s_loop()) == synchronous.headline == SUMMARY["headline"]
        asyncio.run(asynchronous.close())
        sdk.close()
    assert len(script.requests) == 3 and all(h["x-deployment"] == "eu" for h in script.headers)
    assert all(h["authorization"] == "Bearer sk-azure" for h in script.headers)


def test_a_client_the_call_cannot_use_is_a_configuration_error(harbor_text: str) -> None:
    asynchronous = openai.AsyncOpenAI(base_url="http://127.0.0.1:9/v1", api_key="x")
    with Summarizer(Settings(model="gpt-test"), async_client=asynchronous) as client:
        with pytest.raises(ConfigurationError, match="only an openai.AsyncOpenAI"):
            client.brief(harbor_text)
    with pytest.raises(ConfigurationError, match="takes no openai client"):
        create_backend(Settings(model="local/qwen2.5-coder-0.5b"), clients=Clients(asynchronous=asynchronous))
    with pytest.raises(ConfigurationError, match="API key"):
        create_backend(Settings(model="openai/gpt-4o-mini"))
    tools = create_backend(Settings(model="openai/gpt-4o-mini"), clients=Clients(asynchronous=asynchronous))
    assert tools.info.name == "openai/gpt-4o-mini" and tools.info.default_strategy == "write"
