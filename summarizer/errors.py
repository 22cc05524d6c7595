"""The exception tree of summarizer.

Every error the library raises on purpose derives from :class:`SummarizerError`::

    SummarizerError
    ├── InputError            the article cannot be read (missing, empty, binary, too large)
    ├── ConfigurationError    a model spec, key, URL or setting is wrong: fix it and re-run
    ├── ModelFetchError       the embedded model's weights could not be fetched or verified
    ├── BackendError          the model server failed; ``retryable`` tells whether trying later may help
    │   └── Deferred          the answer will come from a batch job (``summarizer batch``), not now
    └── GroundingError        strict mode: the model's answer could not be grounded in the article

Errors raised by the ``openai`` SDK or ``httpx`` are translated at the backend seam, always with
``raise ... from`` so the original stays visible in tracebacks.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Root of every error summarizer raises on purpose."""


class InputError(SummarizerError):
    """The article could not be read or is not an article at all."""


class ConfigurationError(SummarizerError):
    """The caller's configuration is wrong; the message says what to change."""


class ModelFetchError(SummarizerError):
    """Weights for the embedded model could not be fetched, assembled or verified."""


class BackendError(SummarizerError):
    """The model backend failed.

    ``retryable`` is true for faults that may pass (rate limits, 5xx, timeouts, dropped
    connections) and false for ones that will not (bad request, authentication);
    ``retry_after`` carries the server's requested wait in seconds when it sent one.
    """

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Deferred(BackendError):
    """No answer yet: the requests were recorded for a batch job and their answers come in later.

    Raised once per task with every request it is waiting on (``custom_ids``), so the task is
    neither cached nor shipped until the batch's results are imported.
    """

    def __init__(self, custom_ids: tuple[str, ...]) -> None:
        super().__init__(f"waiting for {len(custom_ids)} batch result(s)", retryable=False)
        self.custom_ids = custom_ids


class GroundingError(SummarizerError):
    """Strict mode: part of the model's answer could not be traced to the article."""

    def __init__(self, message: str, *, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
