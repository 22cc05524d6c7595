"""An in-process llama.cpp server on a free loopback port, speaking the OpenAI protocol.

Local and remote models then share one code path, and cassettes record real HTTP. The server
starts on first use, is reused for every later call, and stops on :meth:`close` (the client
object that owns it closes it, and an ``atexit`` hook covers interpreters that exit first).
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigurationError

# Guess lengths for speculation (see Speculation), measured on the seed articles on 2 cores:
# docs/performance.md. A CPU checks a short guess almost for the price of one token, a long one not.
NGRAM_KEY_TOKENS = 4  # the tokens just written that must recur earlier in the context
NGRAM_GUESS_TOKENS = 8  # the tokens that followed them there, proposed as the guess
DRAFT_GUESS_TOKENS = 3  # tokens the draft model writes ahead (llama.cpp's default)


class LocalServer:
    """Owns one xllamacpp server for one GGUF file."""

    def __init__(
        self,
        model_path: Path,
        *,
        context_size: int = 8192,
        threads: int | None = None,
        slots: int = 1,
        draft: Path | None = None,
        ngram: bool = False,
    ) -> None:
        self.model_path = model_path
        self.context_size = context_size  # per slot: every sequence gets the whole window
        self.threads = threads or max(os.cpu_count() or 1, 1)
        self.slots = slots
        self.draft = draft  # a smaller model with the same tokenizer, guessing tokens ahead
        self.ngram = ngram  # prompt lookup: guesses copied from earlier in the context
        self._server: Any = None
        self._url: str | None = None
        self._lock = threading.Lock()

    def base_url(self) -> str:
        """The OpenAI-compatible base URL, starting the server on first use."""
        with self._lock:
            if self._url is None:
                self._server, self._url = self._start()
                atexit.register(self.close)
            return self._url

    def close(self) -> None:
        """Stop the server; a later :meth:`base_url` starts a new one."""
        with self._lock:
            self._server, self._url = None, None

    def _start(self) -> tuple[Any, str]:
        xllamacpp = _runtime()
        server = xllamacpp.Server(self.params())
        return server, f"{server.listening_address}/v1"

    def params(self) -> Any:
        """llama.cpp's server parameters for this model (``xllamacpp.CommonParams``)."""
        xllamacpp = _runtime()
        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.n_ctx = self.context_size * self.slots
        params.n_parallel = self.slots
        params.port = 0  # a free port chosen by the OS
        params.hostnames = ["127.0.0.1"]
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.warmup = False
        params.verbosity = -1
        self._speculate(params.speculative, xllamacpp.common_speculative_type)
        return params

    def _speculate(self, speculative: Any, kinds: Any) -> None:
        kinds_on = []
        if self.ngram:
            kinds_on.append(kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE)
            speculative.ngram_simple.size_n = NGRAM_KEY_TOKENS
            speculative.ngram_simple.size_m = NGRAM_GUESS_TOKENS
        if self.draft is not None:
            kinds_on.append(kinds.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE)
            speculative.draft.mparams.path = str(self.draft)
            speculative.draft.n_max = DRAFT_GUESS_TOKENS
            speculative.draft.cpuparams.n_threads = self.threads
            speculative.draft.cpuparams_batch.n_threads = self.threads
        if kinds_on:
            speculative.types = kinds_on


def _runtime() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise ConfigurationError("the embedded model needs the 'local' extra: pip install 'summarizer[local]'") from exc
    return xllamacpp
