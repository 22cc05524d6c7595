"""Speculative decoding on the embedded server: who chooses it, and what reaches llama.cpp."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from summarizer.backends.registry import local_server
from summarizer.errors import ConfigurationError
from summarizer.local.catalog import KNOWN_MODELS, Speculation
from summarizer.local.server import DRAFT_GUESS_TOKENS, NGRAM_GUESS_TOKENS, NGRAM_KEY_TOKENS, LocalServer
from summarizer.local.weights import cached_path, ensure_weights
from summarizer.settings import Settings

SMALL, LARGE = KNOWN_MODELS["qwen2.5-coder-0.5b"], KNOWN_MODELS["qwen2.5-coder-1.5b"]


@pytest.fixture
def cached(tmp_path: Path) -> Settings:
    """Settings whose cache holds both Qwen models as sparse files of the pinned size: nothing is fetched."""
    settings = Settings(cache_dir=tmp_path / "cache")
    for model in (SMALL, LARGE):
        path = cached_path(model, settings.model_store)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(model.size)
    return settings


def test_the_catalog_chooses_speculation_unless_the_settings_do(cached: Settings, tmp_path: Path) -> None:
    chosen = local_server(LARGE.name, cached)
    assert chosen.model_path == cached_path(LARGE, cached.model_store)
    expected_draft = cached_path(SMALL, cached.model_store) if LARGE.speculation.draft else None
    assert (chosen.draft, chosen.ngram) == (expected_draft, LARGE.speculation.ngram)

    off = local_server(LARGE.name, Settings(cache_dir=cached.cache_dir, speculation=Speculation()), threads=1)
    assert (off.draft, off.ngram, off.threads) == (None, False, 1)
    both = Speculation(draft=SMALL.name, ngram=True)
    on = local_server(LARGE.name, Settings(cache_dir=cached.cache_dir, speculation=both))
    assert (on.draft, on.ngram) == (cached_path(SMALL, cached.model_store), True)

    own = tmp_path / "mine.gguf"
    own.write_bytes(b"GGUF")
    mine = local_server(str(own), cached)
    assert (mine.draft, mine.ngram) == (None, False)  # no catalog entry: nothing is assumed about a file of yours


def test_an_unknown_draft_model_is_a_configuration_error(cached: Settings) -> None:
    settings = Settings(cache_dir=cached.cache_dir, speculation=Speculation(draft="qwen-nope"))
    with pytest.raises(ConfigurationError, match="unknown local model 'qwen-nope'"):
        local_server(LARGE.name, settings)
    missing = Settings(cache_dir=cached.cache_dir, speculation=Speculation(draft="/nowhere/draft.gguf"))
    with pytest.raises(ConfigurationError, match="no GGUF file"):
        local_server(LARGE.name, missing)


def test_the_server_parameters_carry_the_speculation(tmp_path: Path) -> None:
    xllamacpp = pytest.importorskip("xllamacpp")
    kinds = xllamacpp.common_speculative_type
    model, draft = tmp_path / "large.gguf", tmp_path / "small.gguf"

    plain = LocalServer(model).params().speculative
    assert plain.types == [kinds.COMMON_SPECULATIVE_TYPE_NONE]

    both = LocalServer(model, draft=draft, ngram=True, threads=2).params().speculative
    assert both.types == [kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE, kinds.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
    assert both.draft.mparams.path == str(draft)
    assert (both.draft.n_max, both.draft.cpuparams.n_threads) == (DRAFT_GUESS_TOKENS, 2)
    assert (both.ngram_simple.size_n, both.ngram_simple.size_m) == (NGRAM_KEY_TOKENS, NGRAM_GUESS_TOKENS)


@pytest.mark.local_model
def test_prompt_lookup_guesses_reach_the_real_server() -> None:
    weights = ensure_weights(SMALL, Settings().model_store)  # the user's real cache, as the other local_model tests
    server = LocalServer(weights, ngram=True)
    text = "The harbor ferry leaves Port Alder at 7:15 every morning and returns at 18:40, the operator said."
    body = {"messages": [{"role": "user", "content": f"Repeat this sentence word for word: {text}"}],
            "max_tokens": 60, "temperature": 0}  # fmt: skip
    try:
        request = urllib.request.Request(f"{server.base_url()}/chat/completions", json.dumps(body).encode(),
                                         {"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=300) as reply:  # noqa: S310 - loopback
            timings = json.loads(reply.read())["timings"]
    finally:
        server.close()
    assert timings["draft_n"] > 0 and timings["draft_n_accepted"] > 0
