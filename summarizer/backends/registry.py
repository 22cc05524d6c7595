"""From a model spec to a backend: the only place that knows which providers exist.

``openai/<model>``           OpenAI, tool calling; needs an API key.
``<model>`` + ``base_url``   any OpenAI-compatible server (vLLM, Ollama, llama.cpp), JSON schema mode.
``local/<name>``             the embedded model by catalog name (``summarizer models list``).
``local/<path.gguf>``        the embedded runtime on a GGUF file of your own.
``extractive``               no model at all: the article's own words (lead, key sentences), quotes and entities.

A configured ``openai.OpenAI`` / ``openai.AsyncOpenAI`` (Azure, a proxy, custom headers) can stand
in for the key and URL: ``openai/<model>`` then calls tools through it, any other name asks for
JSON schema output. The caller's client wins over ``base_url`` and ``api_key``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import instructor
import openai

from summarizer.backends.base import Backend, ModelInfo
from summarizer.backends.connection import Connection
from summarizer.backends.extractive import EXTRACTIVE, ExtractiveBackend
from summarizer.backends.openai_compat import OpenAICompatBackend
from summarizer.cost import fixed, free, priced, unpriced
from summarizer.errors import ConfigurationError
from summarizer.local.catalog import KNOWN_MODELS, Speculation
from summarizer.local.server import LocalServer
from summarizer.local.weights import DownloadProgress, ensure_weights
from summarizer.settings import Settings


@dataclass(frozen=True)
class Clients:
    """SDK clients the caller configured; either may be None."""

    sync: openai.OpenAI | None = None
    asynchronous: openai.AsyncOpenAI | None = None

    def __bool__(self) -> bool:
        return self.sync is not None or self.asynchronous is not None

    @property
    def url(self) -> str | None:
        """The base URL the clients send to (None without clients)."""
        client = self.sync or self.asynchronous
        return None if client is None else str(client.base_url)

    def connection(self, settings: Settings) -> Connection:
        """A connection through these clients, with the SDK's own retries off (RetryPolicy owns retries)."""
        return Connection(
            lambda: None,
            timeout=settings.timeout,
            client=self.sync.with_options(max_retries=0) if self.sync else None,
            async_client=self.asynchronous.with_options(max_retries=0) if self.asynchronous else None,
        )


def create_backend(
    settings: Settings, *, progress: DownloadProgress | None = None, clients: Clients | None = None
) -> Backend:
    """Build the backend a settings object names (through the caller's SDK clients, when given)."""
    clients = clients or Clients()
    if settings.model == EXTRACTIVE:
        return ExtractiveBackend()
    provider, _, name = settings.model.partition("/")
    if (settings.base_url or clients) and provider not in ("local", "openai"):
        provider, name = "compatible", settings.model
    elif settings.base_url and not clients and provider == "openai":
        provider = "compatible"
    factory = _FACTORIES.get(provider) if name else None
    if factory is None:
        raise ConfigurationError(
            f"unknown model spec {settings.model!r}: use openai/<model>, local/<name or path.gguf>, extractive, "
            "or any model name together with a server's base URL (Settings(base_url=...), --base-url on the "
            "command line) or an openai client, for an OpenAI-compatible server"
        )
    return factory(name, settings, progress, clients)


def _openai(name: str, settings: Settings, progress: DownloadProgress | None, clients: Clients) -> Backend:
    if clients:
        connection = clients.connection(settings)
    elif settings.api_key:
        connection = Connection(lambda: None, settings.api_key, settings.timeout)
    else:
        raise ConfigurationError(
            "openai/ models need an API key: set OPENAI_API_KEY, pass api_key, or pass a configured openai client"
        )
    pricing = fixed(settings.price) if settings.price else priced(name, provider="openai")
    info = ModelInfo(f"openai/{name}", "write", pricing=pricing)
    return OpenAICompatBackend(name, connection, instructor.Mode.TOOLS, info, settings.retry)


def _compatible(name: str, settings: Settings, progress: DownloadProgress | None, clients: Clients) -> Backend:
    connection = (
        clients.connection(settings)
        if clients
        else Connection(lambda: settings.base_url, settings.api_key or "not-needed", settings.timeout)
    )
    info = ModelInfo(name, "write", pricing=fixed(settings.price) if settings.price else unpriced)
    return OpenAICompatBackend(name, connection, instructor.Mode.JSON_SCHEMA, info, settings.retry)


def _local(name: str, settings: Settings, progress: DownloadProgress | None, clients: Clients) -> Backend:
    if clients:
        raise ConfigurationError(
            f"local/{name} runs the embedded model, which takes no openai client: drop the client or "
            "name the model it serves (openai/<model>, or the plain name)"
        )
    server = local_server(name, settings, progress)
    connection = Connection(server.base_url, timeout=settings.timeout, on_close=server.close)
    info = ModelInfo(f"local/{name}", "headline", parallel_requests=server.slots, pricing=free)
    return OpenAICompatBackend(server.model_path.stem, connection, instructor.Mode.JSON_SCHEMA, info, settings.retry)


def local_server(
    name: str,
    settings: Settings,
    progress: DownloadProgress | None = None,
    *,
    slots: int = 1,
    threads: int | None = None,
) -> LocalServer:
    """The embedded server for ``local/<name>``, its weights (and its draft model's) fetched and verified.

    Speculation is the settings' when given, otherwise the catalog's choice for the model (none
    for a GGUF file of your own).
    """
    known = KNOWN_MODELS.get(name)
    speculation = settings.speculation or (known.speculation if known else Speculation())
    draft = _weights(speculation.draft, settings, progress) if speculation.draft else None
    weights = _weights(name, settings, progress)
    return LocalServer(weights, slots=slots, threads=threads, draft=draft, ngram=speculation.ngram)


def _weights(name: str, settings: Settings, progress: DownloadProgress | None) -> Path:
    """A catalog model's verified weights, or a GGUF file of the user's own."""
    if name.endswith(".gguf"):
        path = Path(name).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"no GGUF file at {path}")
        return path
    if name in KNOWN_MODELS:
        return ensure_weights(KNOWN_MODELS[name], settings.model_store, progress=progress)
    known = ", ".join(KNOWN_MODELS)
    raise ConfigurationError(f"unknown local model {name!r}; known: {known}, or a path to a .gguf file")


_FACTORIES: dict[str, Callable[[str, Settings, DownloadProgress | None, Clients], Backend]] = {
    "openai": _openai,
    "compatible": _compatible,
    "local": _local,
}
