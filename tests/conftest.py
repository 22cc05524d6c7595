"""Shared fixtures: fictional articles, a clean environment, a model-request kill switch, cassette wiring."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from openai._vendor.httpx_aiohttp.transport import AiohttpTransport
from spacy.language import Language

from summarizer.nlp.model import EN_CORE_WEB_SM, check_meta, load_pipeline
from summarizer.testing.stub_model import StubModel, stub_model_server

pytest_plugins = ["pytester"]

HERE = Path(__file__).parent
CASSETTES = HERE.parent / "cassettes"
RECORDING = os.environ.get("SUMMARIZER_RECORD") == "1"
TEST_MODELS = Path(os.environ.get("SUMMARIZER_TEST_MODELS", HERE.parent / ".models"))
"""Where the test run finds the NLP model: fetched before the run (README's test command), never during it."""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, saying how to fix it, when the NLP model the tests parse with is not there."""
    os.environ.setdefault("SUMMARIZER_TEST_MODELS", str(TEST_MODELS.resolve()))  # for pytester's inner runs
    if not (EN_CORE_WEB_SM.folder(TEST_MODELS) / "meta.json").is_file():
        pytest.exit(
            f"the NLP model is not in {TEST_MODELS}: fetch it first with "
            f"`SUMMARIZER_MODELS_DIR={TEST_MODELS} summarizer models pull en_core_web_sm` (README's test command)",
            returncode=4,
        )


def nlp_model(models_dir: Path, *args: object, **kwargs: object) -> Path:
    """The test run's NLP model, whatever models folder the settings name: tests never fetch one."""
    folder = EN_CORE_WEB_SM.folder(TEST_MODELS)
    check_meta(EN_CORE_WEB_SM, folder)
    return folder


_KEPT = {"SUMMARIZER_RECORD", "SUMMARIZER_TEST_MODELS"}  # the variables that steer the test run itself


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's keys, model choice, limits or cache (including SUMMARIZER_CACHE_DB).

    Every ``SUMMARIZER_*`` and ``OPENAI_*`` variable goes, and the XDG cache (where ``Settings()``
    puts its default cache folder) moves into the test's own temporary folder.
    """
    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_", "OPENAI_")) and name not in _KEPT:
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    yield


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    # pytest.fail raises a BaseException: no SDK error handling or retry loop swallows or retries it
    pytest.fail(f"kill switch: {what} (tests talk only to loopback test servers they start)", pytrace=False)


def _guard_sync(original: Callable[..., Any]) -> Callable[..., Any]:
    def handle_request(self: Any, request: httpx2.Request) -> Any:
        if not _loopback(request.url.host):
            _refuse(f"a model request to {request.url}")
        return original(self, request)

    return handle_request


def _guard_async(original: Callable[..., Any]) -> Callable[..., Any]:
    async def handle_async_request(self: Any, request: httpx2.Request) -> Any:
        if not _loopback(request.url.host):
            _refuse(f"a model request to {request.url}")
        return await original(self, request)

    return handle_async_request


@pytest.fixture(autouse=True)
def _no_model_requests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kill switch (pydantic-ai's ``ALLOW_MODEL_REQUESTS = False``): outside recording, no real model.

    Any HTTP request to a host that is not loopback fails the test at once, and so does starting
    the embedded model or fetching its weights (a test that forgot its settings would otherwise
    fall back to the default model and download 491 MB). ``pytest -m local_model`` and
    ``SUMMARIZER_RECORD=1`` are the runs that may use the real model.
    """
    monkeypatch.setattr("summarizer.client.ensure_nlp_model", lambda model, models_dir: nlp_model(models_dir))
    if RECORDING or request.node.get_closest_marker("local_model"):
        return
    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", _guard_sync(httpx2.HTTPTransport.handle_request))
    # the web fetcher's client (summarizer.web.fetch): feeds and pages come from loopback test servers only
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _guard_sync(httpx.HTTPTransport.handle_request))
    for transport in (httpx2.AsyncHTTPTransport, AiohttpTransport):
        monkeypatch.setattr(transport, "handle_async_request", _guard_async(transport.handle_async_request))

    def no_fetch(*args: object, **kwargs: object) -> Path:
        _refuse("fetching the embedded model's weights")
        raise AssertionError("unreachable")

    def no_server(*args: object, **kwargs: object) -> tuple[object, str]:
        _refuse("starting the embedded model")
        raise AssertionError("unreachable")

    monkeypatch.setattr("summarizer.local.weights.pip_download", no_fetch)
    monkeypatch.setattr("summarizer.local.server.LocalServer._start", no_server)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """spaCy's pipeline from the test run's models folder, loaded once for the session."""
    return load_pipeline(EN_CORE_WEB_SM.folder(TEST_MODELS))


@pytest.fixture
def harbor_text() -> str:
    return (HERE / "articles" / "harbor_bridge.txt").read_text(encoding="utf-8")


@pytest.fixture
def vcr_config() -> dict[str, object]:
    return {}


@pytest.fixture
def child_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for a child process (the CLI started with ``subprocess``): the kill switch goes too.

    The child gets the test run's models folder, so it never fetches the NLP model, and
    ``tests/child_guard`` on ``PYTHONPATH``, whose ``sitecustomize`` refuses every connection
    beyond loopback in it and in anything it starts (``pip download`` included). Each refusal
    is written down, and the test fails when it ends if any child tried.
    """
    refusals = tmp_path / "child-refusals.log"
    guard = str(HERE / "child_guard")
    path = os.pathsep.join(p for p in (guard, os.environ.get("PYTHONPATH", "")) if p)
    yield {
        **os.environ,
        "SUMMARIZER_MODELS_DIR": str(TEST_MODELS.resolve()),
        "SUMMARIZER_TEST_REFUSALS": str(refusals),
        "PYTHONPATH": path,
    }
    attempts = refusals.read_text(encoding="utf-8") if refusals.exists() else ""
    assert not attempts, f"a child process tried to reach beyond loopback:\n{attempts}"


@pytest.fixture
def stub() -> Iterator[StubModel]:
    """The stub model (an OpenAI-compatible loopback server) for one test."""
    with stub_model_server() as model:
        yield model
