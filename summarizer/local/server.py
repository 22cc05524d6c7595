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


class LocalServer:
    """Owns one xllamacpp server for one GGUF file."""

    def __init__(
        self, model_path: Path, *, context_size: int = 8192, threads: int | None = None, slots: int = 1
    ) -> None:
        self.model_path = model_path
        self.context_size = context_size  # per slot: every sequence gets the whole window
        self.threads = threads or max(os.cpu_count() or 1, 1)
        self.slots = slots
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
        try:
            import xllamacpp
        except ImportError as exc:
            raise ConfigurationError(
                "the embedded model needs the 'local' extra: pip install 'summarizer[local]'"
            ) from exc
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
        server = xllamacpp.Server(params)
        return server, f"{server.listening_address}/v1"
