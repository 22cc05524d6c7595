"""One frozen settings object; the environment is read here and in the CLI, nowhere else."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_cache_dir

from summarizer.errors import ConfigurationError
from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, Speculation
from summarizer.retry import RetryPolicy

DEFAULT_MODEL = f"local/{DEFAULT_LOCAL_MODEL}"
REQUEST_SHAPING = ("model", "base_url", "strategy", "max_reasks", "token_budget", "part_tokens")
"""Settings that change what is sent to the model besides the article: cache keys and batch plans hold them."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything that configures a :class:`~summarizer.client.Summarizer`.

    ``max_reasks`` bounds validation re-asks per step; ``token_budget`` caps the tokens one
    article may spend before no more re-asks are made; ``max_input_bytes`` refuses oversized input.
    An article of more than ``part_tokens`` (estimated) is briefed in parts that fit the
    embedded model's 8,192-token context; raise it for models with a larger context.
    ``cache_db`` is the digest's result store (``results.sqlite3`` in ``cache_dir`` by default);
    ``models_dir`` holds the embedded model's weights and the NLP model (``cache_dir/models`` by default).
    ``timeout`` is the total deadline of one request in seconds, first byte to last.
    ``cost_budget`` (US dollars) stops a digest's model requests once its estimated cost reaches it,
    and refuses a batch export whose requests are estimated to cost more.
    Values that cannot work are refused here, as a :class:`ConfigurationError`, before any work.
    ``speculation`` chooses how the embedded server guesses tokens ahead (a draft model, prompt
    lookup); ``None`` keeps the catalog's choice for the model, ``Speculation()`` turns it off.
    ``allow_private_addresses`` lets the digest fetch feeds and pages on private, loopback and
    link-local addresses (an intranet's feeds, a test server); off, such links are refused.
    """

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    strategy: str | None = None
    strict: bool = False
    max_reasks: int = 2
    token_budget: int | None = 24_000
    timeout: float = 120.0
    cache_dir: Path = field(default_factory=lambda: Path(user_cache_dir("summarizer")))
    cache_db: Path | None = None
    models_dir: Path | None = None
    max_input_bytes: int = 2_000_000
    part_tokens: int = 5_000
    cost_budget: float | None = None
    speculation: Speculation | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    allow_private_addresses: bool = False

    def __post_init__(self) -> None:
        budget = self.token_budget
        checks = (
            (bool(self.model.strip()), "model must name a model spec, e.g. local/qwen2.5-coder-0.5b"),
            (self.max_reasks >= 0, f"max_reasks must be 0 or more, not {self.max_reasks}"),
            (budget is None or budget > 0, f"token_budget must be positive (or None for no cap), not {budget}"),
            (math.isfinite(self.timeout) and self.timeout > 0,
             f"timeout must be a positive number of seconds, not {self.timeout}"),
            (self.max_input_bytes > 0, f"max_input_bytes must be positive, not {self.max_input_bytes}"),
            (self.part_tokens > 0, f"part_tokens must be positive, not {self.part_tokens}"),
            (self.cost_budget is None or (math.isfinite(self.cost_budget) and self.cost_budget >= 0),
             f"cost_budget must be 0 or more US dollars (or None for no cap), not {self.cost_budget}"),
        )  # fmt: skip
        problems = [message for ok, message in checks if not ok] + _url_problems(self.base_url)
        if problems:
            raise ConfigurationError("invalid settings: " + "; ".join(problems))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``SUMMARIZER_*`` and ``OPENAI_*`` variables; explicit overrides win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("SUMMARIZER_MODEL"):
            values["model"] = env["SUMMARIZER_MODEL"]
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"]
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = env["OPENAI_API_KEY"]
        if env.get("SUMMARIZER_CACHE_DIR"):
            values["cache_dir"] = Path(env["SUMMARIZER_CACHE_DIR"])
        if env.get("SUMMARIZER_MAX_INPUT_BYTES"):
            values["max_input_bytes"] = _positive_int(env["SUMMARIZER_MAX_INPUT_BYTES"], "SUMMARIZER_MAX_INPUT_BYTES")
        if env.get("SUMMARIZER_CACHE_DB"):
            values["cache_db"] = Path(env["SUMMARIZER_CACHE_DB"])
        if env.get("SUMMARIZER_MODELS_DIR"):
            values["models_dir"] = Path(env["SUMMARIZER_MODELS_DIR"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def model_store(self) -> Path:
        """Where model files (GGUF weights, the NLP model) are kept once fetched and verified."""
        return self.models_dir or self.cache_dir / "models"

    @property
    def store_path(self) -> Path:
        """Where finished briefings and story syntheses are kept between runs."""
        return self.cache_db or self.cache_dir / "results.sqlite3"


def _url_problems(url: str | None) -> list[str]:
    """Why ``url`` cannot be an OpenAI-compatible server's base URL (none when it can, or is not set)."""
    if url is None:
        return []
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return [f"base_url {url!r} is not a URL ({exc})"]
    if parts.scheme not in ("http", "https") or not host:
        return [f"base_url must be an http(s) URL such as http://localhost:11434/v1, not {url!r}"]
    return []


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigurationError(f"{name} must be a positive whole number of bytes, not {value!r}")
    return number
