"""OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp), through instructor.

instructor builds the request body for the server's mode (:meth:`OpenAICompatBackend.request_body`)
and validates the answer against the article (:meth:`~OpenAICompatBackend.answer_from`); the SDK
sends it, once per attempt. Live calls and batch jobs share these two halves, so they ask the
same question and judge answers the same way. instructor's own ``create`` is not used: given a
validation context it renders every message as a Jinja template, so an article quoting
``{{ x }}`` lost it and one with ``{% if`` crashed the brief (instructor #2669), and its per-call
checks cost more CPU than the rest of the library. Re-asks happen in the pipeline from the
original messages, so the conversation never grows attempt by attempt (instructor #2056). The
SDK's own retries are off; :class:`~summarizer.retry.RetryPolicy` owns transport retries alone.
"""

from __future__ import annotations

import email.utils
import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException
from instructor.v2.core.response import handle_response_model, process_response  # pinned: instructor 1.17
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from summarizer.backends.base import Answer, D, StructuredCall
from summarizer.drafts import Draft
from summarizer.errors import BackendError
from summarizer.retry import RetryPolicy

_CHAT = "/chat/completions"  # posted with the SDK's low-level ``post``: the body is built already
_RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}


@dataclass
class Connection:
    """Builds the SDK clients on first use, so an embedded server starts only when it is needed.

    ``max_retries=0``: transport retries belong to :class:`RetryPolicy` alone. The async client
    runs on aiohttp, whose session belongs to the event loop that used it: close it there
    (``async with Summarizer``, :meth:`aclose`), as every entry point of the library does.
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
            # aiohttp under the async client: httpx's pool costs CPU per pooled connection on every request
            asynchronous = openai.AsyncOpenAI(**options, http_client=openai.DefaultAioHttpClient())
            self._clients = (openai.OpenAI(**options), asynchronous)
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

    @property
    def model_name(self) -> str:
        return self.label or self.model

    @property
    def default_strategy(self) -> str:
        return self.strategy

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        body, client = self.request_body(call), self.connection.clients()[0]
        for attempt in self.retry.retrying():
            with attempt:
                try:
                    completion = client.post(_CHAT, body=body, cast_to=ChatCompletion)
                except openai.APIError as exc:
                    raise translate_api_error(exc) from exc
                return self._judge(call, completion)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        body, client = self.request_body(call), self.connection.clients()[1]
        async for attempt in self.retry.async_retrying():
            with attempt:
                try:
                    completion = await client.post(_CHAT, body=body, cast_to=ChatCompletion)
                except openai.APIError as exc:
                    raise translate_api_error(exc) from exc
                return self._judge(call, completion)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def request_body(self, call: StructuredCall[D]) -> dict[str, Any]:
        """The JSON body POSTed to ``/v1/chat/completions``, built by instructor for the server's mode.

        A batch job (:mod:`summarizer.batch`) sends these same bodies later, elsewhere.
        """
        body: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in call.messages],
                                "max_tokens": call.max_tokens, "temperature": 0}  # fmt: skip
        extras = _schema_options(call.response_model, self.mode)
        if extras is None:
            return handle_response_model(_response_schema(call.response_model), self.mode, **body)[1]
        return body | extras

    def answer_from(self, call: StructuredCall[D], completion: dict[str, Any]) -> Answer[D]:
        """Validate a chat completion that came back from a batch job, as :meth:`complete` would."""
        try:
            parsed = ChatCompletion.model_validate(completion)
        except ValidationError as exc:
            return Answer(None, None, 1, 0, 0, (f"not a chat completion ({exc.error_count()} errors)",))
        return self._judge(call, parsed)

    def _judge(self, call: StructuredCall[D], completion: ChatCompletion) -> Answer[D]:
        """The draft in ``completion``, validated and grounded, or its raw text and what was wrong."""
        tokens = (_tokens(completion.usage, "prompt_tokens"), _tokens(completion.usage, "completion_tokens"))
        schema = _response_schema(call.response_model)
        try:
            value = process_response(completion, response_model=schema, stream=False, strict=True,
                                     validation_context={"ground": call.ground}, mode=self.mode)  # fmt: skip
        except IncompleteOutputException:  # cut off at max_tokens: nothing parseable to keep
            return Answer(None, None, 1, *tokens, ("the answer was cut off at the output token limit",))
        except (ValidationError, ValueError) as exc:
            return Answer(None, _content(completion), 1, *tokens, _problems_of(exc))
        return Answer(value, None, 1, *tokens)

    def close(self) -> None:
        self.connection.close()

    async def aclose(self) -> None:
        await self.connection.aclose()


@functools.cache
def _response_schema(model: type[D]) -> type[D]:
    """Instructor's wrapper of a draft class, made once: instructor would build a new class per request."""
    from instructor.v2.core.function_calls import ResponseSchema, response_schema  # pinned: instructor 1.17

    return model if issubclass(model, ResponseSchema) else response_schema(model)


def _schema_options(model: type[D], mode: instructor.Mode) -> dict[str, Any] | None:
    """What instructor adds to a request for ``model`` in ``mode`` (``response_format``, ``tools``).

    Building it per request re-walks the class and formats a debug log of the whole request,
    which cost more CPU than the rest of a briefing, so it is built once and kept as JSON text:
    each request gets its own copy, never one shared with every other. None for a mode that
    rewrites the messages themselves: those requests are built whole each time.
    """
    built = _built_schema_options(model, mode)
    return None if built is None else dict(json.loads(built))


@functools.cache
def _built_schema_options(model: type[Draft], mode: instructor.Mode) -> str | None:
    probe = [{"role": "user", "content": "probe"}]
    body = handle_response_model(_response_schema(model), mode, messages=probe)[1]
    if body.pop("messages", None) != probe:
        return None
    return json.dumps(body)


def translate_api_error(exc: openai.APIError) -> BackendError:
    """An SDK error as a :class:`BackendError` that says whether retrying may help."""
    refused = _refusal(exc)
    if isinstance(exc, openai.APITimeoutError) and refused is None:
        return BackendError(f"the model server did not answer in time: {exc}", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"could not reach the model server: {refused or exc}", retryable=True)
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


def _refusal(exc: BaseException) -> OSError | None:
    """The refused or failed connection behind an SDK error (the aiohttp transport reports those as timeouts)."""
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, OSError) and not isinstance(cause, TimeoutError):
            return cause
        cause = cause.__cause__
    return None


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
