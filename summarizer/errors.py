"""The exception tree of summarizer.

Every error the library raises on purpose derives from :class:`SummarizerError`; the command
line exits with the class's ``exit_code`` (subclasses inherit it)::

    SummarizerError                                                                     exit
    ├── InputError          the article cannot be read (missing, empty, binary, too large)  3
    │   └── FetchError      a web address was refused or could not be fetched (the reason)  3
    ├── ConfigurationError  a model spec, key, URL, setting or argument is wrong: fix it    4
    ├── BackendError        the model server failed; ``retryable``: may trying later help?  5
    ├── GroundingError      strict mode: the answer could not be grounded in the article    6
    └── ModelFetchError     the embedded model's weights could not be fetched or verified   7

Beside the tree stand two control signals of the digest, never errors and never raised to a
caller: :class:`NotAsked` and its kinds :class:`Deferred` (a batch job will answer) and
:class:`CostBudgetReached` (the run's budget is spent). A ``except BackendError`` never catches
them by mistake, so no handler has to re-raise them first.

Errors raised by the ``openai`` SDK or ``httpx`` are translated at the backend seam, always with
``raise ... from`` so the original stays visible in tracebacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.diagnostics import WarningEntry


class SummarizerError(Exception):
    """Root of every error summarizer raises on purpose."""

    exit_code = 1


class InputError(SummarizerError):
    """The article could not be read or is not an article at all."""

    exit_code = 3


class FetchError(InputError):
    """A web address was refused (scheme, private address, robots.txt) or failed (status, size, time).

    The message is the reason a digest lists under "Not included".
    """


class ConfigurationError(SummarizerError):
    """The caller's configuration is wrong; the message says what to change."""

    exit_code = 4


class ModelFetchError(SummarizerError):
    """Weights for the embedded model could not be fetched, assembled or verified."""

    exit_code = 7


class BackendError(SummarizerError):
    """The model backend failed.

    ``retryable`` is true for faults that may pass (rate limits, 5xx, timeouts, dropped
    connections) and false for ones that will not (bad request, authentication);
    ``retry_after`` carries the server's requested wait in seconds when it sent one;
    ``status_code`` the HTTP status the server answered with and ``request_id`` the id it gave
    the request (``x-request-id``), for its operators, when there was one.
    """

    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.status_code = status_code
        self.request_id = request_id


class GroundingError(SummarizerError):
    """Strict mode: part of the model's answer could not be traced to the article.

    ``problems`` are the same structured entries a lenient briefing's ``meta.warnings`` would
    hold (code, item, sentence ids, message), so a caller can act on each; the message lists them.
    """

    exit_code = 6

    def __init__(self, message: str, *, problems: list[WarningEntry]) -> None:
        super().__init__(message)
        self.problems = problems


class NotAsked(Exception):
    """Control signal: the model was not asked now, so the task has no answer; the digest leaves it out."""


class Deferred(NotAsked):
    """No answer yet: the requests were recorded for a batch job and their answers come in later.

    Raised once per task with every request it is waiting on (``custom_ids``), so the task is
    neither cached nor shipped until the batch's results are imported.
    """

    def __init__(self, custom_ids: tuple[str, ...]) -> None:
        super().__init__(f"waiting for {len(custom_ids)} batch result(s)")
        self.custom_ids = custom_ids


class CostBudgetReached(NotAsked):
    """No further model request is made: the run's estimated cost reached ``Settings.cost_budget``."""

    def __init__(self, spent: float, budget: float) -> None:
        super().__init__(
            f"the cost budget of ${budget:.4f} was reached (${spent:.4f} spent); raise --max-cost to go on"
        )
