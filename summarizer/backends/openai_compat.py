"""OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp), through instructor.

instructor builds the request for the server's mode and validates the answer with the article
as context; it is asked for exactly one attempt (``max_retries=0``). Re-asks happen in the
pipeline from the original messages, so the conversation never grows attempt by attempt
(instructor #2056) and the caller's messages are copied, never mutated (#2645). The SDK's own
retries are off; :class:`~summarizer.retry.RetryPolicy` owns transport retries alone.
"""

from __future__ import annotations

import email.utils
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.response import handle_response_model, process_response  # pinned: instructor 1.17
from pydantic import ValidationError

from summarizer.backends.base import Answer, D, StructuredCall
from summarizer.errors import BackendError
from summarizer.retry import RetryPolicy

_RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}
_INSTRUCTOR_ONLY = {"context", "max_retries"}  # instructor's own options, not part of the request


@dataclass
class Connection:
    """Builds the SDK clients on first use, so an embedded server starts only when it is needed.

    ``max_retries=0``: transport retries belong to :class:`RetryPolicy` alone.
    """

    base_url: Callable[[], str | None]
    api_key: str = field(default="not-needed", repr=False)
    timeout: float = 120.0
    on_close: Callable[[], None] = lambda: None
    _clients: tuple[openai.OpenAI, openai.AsyncOpenAI] | None = field(default=None, init=False, repr=False)

    def clients(self) -> tuple[openai.OpenAI, openai.AsyncOpenAI]:
        """The sync and async clients, created on the first call."""
        if self._clients is None:
            url = self.base_url()
            options: dict[str, Any] = {
                "api_key": self.api_key,
                "base_url": url,
                "max_retries": 0,
                "timeout": self.timeout,
            }
            self._clients = (openai.OpenAI(**options), openai.AsyncOpenAI(**options))
        return self._clients

    def close(self) -> None:
        """Close the clients and whatever serves them (outside an event loop)."""
        if self._clients is not None:
            self._clients[0].close()
            self._clients = None
        self.on_close()

    async def aclose(self) -> None:
        """Close the clients inside the event loop that used the async one, then what serves them."""
        if self._clients is not None:
            await self._clients[1].close()
        self.close()


@dataclass
class OpenAICompatBackend:
    """A chat-completions endpoint driven by instructor in the mode that fits the server."""

    model: str
    connection: Connection
    mode: instructor.Mode
    strategy: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    label: str | None = None
    parallel_requests: int | None = None
    _wrapped: tuple[instructor.Instructor, instructor.AsyncInstructor] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def model_name(self) -> str:
        return self.label or self.model

    @property
    def default_strategy(self) -> str:
        return self.strategy

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        structured = self._instructor()[0]
        for attempt in self.retry.retrying():
            with attempt:
                try:
                    value, completion = structured.chat.completions.create_with_completion(**self._kwargs(call))
                except (InstructorRetryException, IncompleteOutputException, openai.APIError) as exc:
                    return self._failed(exc)
                return self._answer(value, completion)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        structured = self._instructor()[1]
        async for attempt in self.retry.async_retrying():
            with attempt:
                try:
                    value, completion = await structured.chat.completions.create_with_completion(**self._kwargs(call))
                except (InstructorRetryException, IncompleteOutputException, openai.APIError) as exc:
                    return self._failed(exc)
                return self._answer(value, completion)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def request_body(self, call: StructuredCall[D]) -> dict[str, Any]:
        """The JSON body :meth:`complete` would POST to ``/v1/chat/completions``, built by instructor.

        A batch job (:mod:`summarizer.batch`) sends these bodies later, elsewhere; building them
        the way the live path does keeps the two answering the same question.
        """
        options = {k: v for k, v in self._kwargs(call).items() if k not in _INSTRUCTOR_ONLY}
        response_model = options.pop("response_model")
        return handle_response_model(response_model, self.mode, **options)[1]

    def answer_from(self, call: StructuredCall[D], completion: dict[str, Any]) -> Answer[D]:
        """Validate a chat completion that came back from a batch job, as :meth:`complete` would."""
        from openai.types.chat import ChatCompletion

        try:
            parsed = ChatCompletion.model_validate(completion)
        except ValidationError as exc:
            return Answer(None, None, 1, 0, 0, (f"not a chat completion ({exc.error_count()} errors)",))
        usage = parsed.usage
        tokens = (_tokens(usage, "prompt_tokens"), _tokens(usage, "completion_tokens"))
        try:
            value = process_response(parsed, response_model=_response_schema(call.response_model), stream=False,
                                     validation_context={"ground": call.ground}, mode=self.mode)  # fmt: skip
        except IncompleteOutputException:
            return Answer(None, None, 1, *tokens, ("the answer was cut off at the output token limit",))
        except (ValidationError, ValueError) as exc:
            return Answer(None, _content(parsed), 1, *tokens, _problems_of(exc))
        return Answer(value, None, 1, *tokens)

    def close(self) -> None:
        self._wrapped = None
        self.connection.close()

    async def aclose(self) -> None:
        self._wrapped = None
        await self.connection.aclose()

    def _instructor(self) -> tuple[instructor.Instructor, instructor.AsyncInstructor]:
        """Instructor's wrappers of the SDK clients, built once (building them patches and costs CPU)."""
        if self._wrapped is None:
            sync, asynchronous = self.connection.clients()
            self._wrapped = (
                instructor.from_openai(sync, mode=self.mode),
                instructor.from_openai(asynchronous, mode=self.mode),
            )
        return self._wrapped

    def _kwargs(self, call: StructuredCall[D]) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [dict(m) for m in call.messages],
            "response_model": _response_schema(call.response_model),
            "context": {"ground": call.ground},
            "max_retries": 0,
            "max_tokens": call.max_tokens,
            "temperature": 0,
        }

    def _answer(self, value: D, completion: Any) -> Answer[D]:
        usage = completion.usage
        return Answer(value, None, 1, _tokens(usage, "prompt_tokens"), _tokens(usage, "completion_tokens"))

    def _failed(self, exc: Exception) -> Answer[D]:
        """Translate transport faults (raised for retry) and keep the last answer of a failed validation."""
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, openai.APIError):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, openai.APIError):
            raise translate_api_error(cause) from cause
        usage = getattr(exc.last_completion, "usage", None)  # type: ignore[attr-defined]
        tokens = (_tokens(usage, "prompt_tokens"), _tokens(usage, "completion_tokens"))
        if isinstance(exc, IncompleteOutputException):  # cut off at max_tokens: nothing parseable to keep
            return Answer(None, None, 1, *tokens, ("the answer was cut off at the output token limit",))
        assert isinstance(exc, InstructorRetryException)
        return Answer(None, _content(exc.last_completion), 1, *tokens, _problems(exc))


@functools.cache
def _response_schema(model: type[D]) -> type[D]:
    """Instructor's wrapper of a draft class, made once: instructor would build a new class per request."""
    from instructor.v2.core.function_calls import ResponseSchema, response_schema  # pinned: instructor 1.17

    return model if issubclass(model, ResponseSchema) else response_schema(model)


def translate_api_error(exc: openai.APIError) -> BackendError:
    """An SDK error as a :class:`BackendError` that says whether retrying may help."""
    if isinstance(exc, openai.APITimeoutError):
        return BackendError(f"the model server did not answer in time: {exc}", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"could not reach the model server: {exc}", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        hint = {
            401: " (check OPENAI_API_KEY)",
            403: " (the key may lack access)",
            404: " (check the model name and --base-url)",
        }
        return BackendError(
            f"the model server answered {status}{hint.get(status, '')}: {exc.message}",
            retryable=status in _RETRYABLE_STATUS,
            retry_after=retry_after_seconds(exc.response.headers),
        )
    return BackendError(f"the model server failed: {exc}", retryable=False)


def retry_after_seconds(headers: Any, *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, ``retry-after`` seconds or HTTP-date."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _problems(exc: InstructorRetryException) -> tuple[str, ...]:
    """The validation messages of a failed attempt, worded for the model to act on."""
    return _problems_of(exc.failed_attempts[-1].exception if exc.failed_attempts else exc)


def _problems_of(failure: BaseException) -> tuple[str, ...]:
    if isinstance(failure, ValidationError):
        return tuple(
            str(e["msg"]).removeprefix("Value error, ") + (f" (at {'.'.join(map(str, e['loc']))})" if e["loc"] else "")
            for e in failure.errors()
        )
    return (f"the answer was not valid JSON for the schema: {str(failure)[:300]}",)


def _tokens(usage: Any, name: str) -> int:
    return int(getattr(usage, name, 0) or 0) if usage is not None else 0


def _content(completion: Any) -> str | None:
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return None
    if getattr(message, "tool_calls", None):
        return str(message.tool_calls[0].function.arguments)
    return message.content if isinstance(message.content, str) else None
