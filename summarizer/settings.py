"""One frozen settings object; the environment is read here and in the CLI, nowhere else."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from platformdirs import user_cache_dir

from summarizer.errors import ConfigurationError
from summarizer.local.catalog import DEFAULT_LOCAL_MODEL, Speculation
from summarizer.retry import RetryPolicy

DEFAULT_MODEL = f"local/{DEFAULT_LOCAL_MODEL}"
REQUEST_SHAPING = ("model", "base_url", "strategy", "max_reasks", "token_budget", "part_tokens")
"""Settings that change what is sent to the model besides the article: cache keys and batch plans hold them."""
DEFAULT_MAX_INPUT_BYTES = 2_000_000
"""The largest article read when neither ``Settings.max_input_bytes`` nor ``SUMMARIZER_MAX_INPUT_BYTES`` says."""
Strategy = Literal["extractive", "headline", "summarize", "compress", "write"]
"""How a briefing is written: the model's share of it (see :data:`summarizer._briefing.pipeline.STRATEGIES`)."""


def _text(value: str, variable: str) -> str:
    return value


def _path(value: str, variable: str) -> Path:
    return Path(value)


def _default_cache_dir() -> Path:
    return Path(user_cache_dir("summarizer"))


_ENVIRONMENT: dict[str, tuple[str, Callable[[str, str], Any], Callable[[], Any]]] = {
    "model": ("SUMMARIZER_MODEL", _text, lambda: DEFAULT_MODEL),
    "base_url": ("OPENAI_BASE_URL", _text, lambda: None),
    "api_key": ("OPENAI_API_KEY", _text, lambda: None),
    "cache_dir": ("SUMMARIZER_CACHE_DIR", _path, _default_cache_dir),
    "cache_db": ("SUMMARIZER_CACHE_DB", _path, lambda: None),
    "models_dir": ("SUMMARIZER_MODELS_DIR", _path, lambda: None),
    "max_input_bytes": (
        "SUMMARIZER_MAX_INPUT_BYTES",
        lambda v, n: _positive_int(v, n),
        lambda: DEFAULT_MAX_INPUT_BYTES,
    ),
}
"""The settings the environment can give: field -> (variable, parser, default without the variable)."""


def _from(env: Mapping[str, str], name: str) -> Any:
    variable, parse, default = _ENVIRONMENT[name]
    raw = env.get(variable)
    return parse(raw, variable) if raw else default()


def _environment(name: str) -> Callable[[], Any]:
    """A field's default: the process environment's value, as ``openai.OpenAI()`` reads its key and URL."""
    return lambda: _from(os.environ, name)


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
    ``price`` is what a hosted model costs, in US dollars per million (input, output) tokens,
    for a model the bundled price table does not know (behind Azure or a proxy) or a contract price.
    Values that cannot work are refused here, as a :class:`ConfigurationError`, before any work.

    What is not given comes from the environment, as ``openai.OpenAI()`` reads its key:
    ``SUMMARIZER_MODEL``, ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``, ``SUMMARIZER_CACHE_DIR``,
    ``SUMMARIZER_CACHE_DB``, ``SUMMARIZER_MODELS_DIR`` and ``SUMMARIZER_MAX_INPUT_BYTES``; given
    values always win. ``Settings.from_env(env={}, ...)`` ignores the environment.
    ``speculation`` chooses how the embedded server guesses tokens ahead (a draft model, prompt
    lookup); ``None`` keeps the catalog's choice for the model, ``Speculation()`` turns it off.
    ``allow_private_addresses`` lets the digest fetch feeds and pages on private, loopback and
    link-local addresses (an intranet's feeds, a test server); off, such links are refused.
    """

    model: str = field(default_factory=_environment("model"))
    base_url: str | None = field(default_factory=_environment("base_url"))
    api_key: str | None = field(default_factory=_environment("api_key"), repr=False)
    strategy: Strategy | None = None
    strict: bool = False
    max_reasks: int = 2
    token_budget: int | None = 24_000
    timeout: float = 120.0
    cache_dir: Path = field(default_factory=_environment("cache_dir"))
    cache_db: Path | None = field(default_factory=_environment("cache_db"))
    models_dir: Path | None = field(default_factory=_environment("models_dir"))
    max_input_bytes: int = field(default_factory=_environment("max_input_bytes"))
    part_tokens: int = 5_000
    cost_budget: float | None = None
    price: tuple[float, float] | None = None
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
            (self.strategy is None or self.strategy in get_args(Strategy),
             f"strategy must be one of {', '.join(get_args(Strategy))} (or None for the model's own), "
             f"not {self.strategy!r}"),
            (self.price is None or (len(self.price) == 2 and all(math.isfinite(p) and p >= 0 for p in self.price)),
             f"price must be (input, output) US dollars per million tokens, both 0 or more, not {self.price}"),
        )  # fmt: skip
        problems = [message for ok, message in checks if not ok] + _url_problems(self.base_url)
        if problems:
            raise ConfigurationError("invalid settings: " + "; ".join(problems))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``env`` (the process environment by default); overrides that are not None win.

        ``Settings(...)`` reads the process environment too; this form chooses the mapping read:
        ``Settings.from_env(env={}, model=...)`` ignores the environment altogether (tests, a
        service configured from its own file).
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {name: _from(env, name) for name in _ENVIRONMENT}
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
