"""From a model spec to a backend: the only place that knows which providers exist.

``openai/<model>``           OpenAI, tool calling; needs an API key.
``<model>`` + ``base_url``   any OpenAI-compatible server (vLLM, Ollama, llama.cpp), JSON schema mode.
``local/<name>``             the embedded model by catalog name (``summarizer models list``).
``local/<path.gguf>``        the embedded runtime on a GGUF file of your own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import instructor

from summarizer.backends.base import Backend
from summarizer.backends.openai_compat import Connection, OpenAICompatBackend
from summarizer.errors import ConfigurationError
from summarizer.local.catalog import KNOWN_MODELS, Speculation
from summarizer.local.server import LocalServer
from summarizer.local.weights import Progress, ensure_weights
from summarizer.settings import Settings


def create_backend(settings: Settings, *, progress: Progress | None = None) -> Backend:
    """Build the backend a settings object names."""
    provider, _, name = settings.model.partition("/")
    if settings.base_url and provider != "local":
        provider, name = "compatible", settings.model.removeprefix("openai/")
    factory = _FACTORIES.get(provider) if name else None
    if factory is None:
        raise ConfigurationError(
            f"unknown model spec {settings.model!r}: use openai/<model>, local/<name or path.gguf>, "
            "or any model name together with --base-url for an OpenAI-compatible server"
        )
    return factory(name, settings, progress)


def _openai(name: str, settings: Settings, progress: Progress | None) -> Backend:
    if not settings.api_key:
        raise ConfigurationError("openai/ models need an API key: set OPENAI_API_KEY or pass api_key")
    connection = Connection(lambda: None, settings.api_key, settings.timeout)
    return OpenAICompatBackend(name, connection, instructor.Mode.TOOLS, "single", settings.retry, f"openai/{name}")


def _compatible(name: str, settings: Settings, progress: Progress | None) -> Backend:
    connection = Connection(lambda: settings.base_url, settings.api_key or "not-needed", settings.timeout)
    return OpenAICompatBackend(name, connection, instructor.Mode.JSON_SCHEMA, "single", settings.retry)


def _local(name: str, settings: Settings, progress: Progress | None) -> Backend:
    server = local_server(name, settings, progress)
    connection = Connection(server.base_url, timeout=settings.timeout, on_close=server.close)
    return OpenAICompatBackend(server.model_path.stem, connection, instructor.Mode.JSON_SCHEMA, "stepwise",
                               settings.retry, f"local/{name}", parallel_requests=server.slots)  # fmt: skip


def local_server(
    name: str, settings: Settings, progress: Progress | None = None, *, slots: int = 1, threads: int | None = None
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


def _weights(name: str, settings: Settings, progress: Progress | None) -> Path:
    """A catalog model's verified weights, or a GGUF file of the user's own."""
    if name.endswith(".gguf"):
        path = Path(name).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"no GGUF file at {path}")
        return path
    if name in KNOWN_MODELS:
        return ensure_weights(KNOWN_MODELS[name], settings.cache_dir, progress=progress)
    known = ", ".join(KNOWN_MODELS)
    raise ConfigurationError(f"unknown local model {name!r}; known: {known}, or a path to a .gguf file")


_FACTORIES: dict[str, Callable[[str, Settings, Progress | None], Backend]] = {
    "openai": _openai,
    "compatible": _compatible,
    "local": _local,
}
