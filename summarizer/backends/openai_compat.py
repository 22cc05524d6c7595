"""OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp), through instructor.

instructor builds the request body for the server's mode (:meth:`OpenAICompatBackend.request_body`);
a :class:`~summarizer.backends.connection.Connection` sends it, once per attempt, and the answer's
JSON text is read from where the mode puts it (:meth:`~OpenAICompatBackend.reply_from`). Live
calls and batch jobs share these two halves, so they ask the same question and read answers the
same way; judging them is the re-ask engine's (:mod:`summarizer._briefing.asking`). instructor's own
``create`` is not used: given a validation context it renders every message as a Jinja
template, so an article quoting ``{{ x }}`` lost it and one with ``{% if`` crashed the brief
(instructor #2669), and its per-call checks cost more CPU than the rest of the library. Re-asks
happen in the re-ask engine from the original messages, so the conversation never grows
attempt by attempt (instructor #2056). The SDK's own retries are off;
:class:`~summarizer.retry.RetryPolicy` owns transport retries alone.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

import instructor
from instructor.v2.core.response import handle_response_model  # pinned: instructor 1.17
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from summarizer.backends.base import ModelInfo, Reply, Request
from summarizer.backends.connection import Connection
from summarizer.errors import BackendError
from summarizer.retry import RetryPolicy


@dataclass
class OpenAICompatBackend:
    """A chat-completions endpoint, asked for JSON in the instructor mode that fits the server."""

    model: str
    connection: Connection
    mode: instructor.Mode
    info: ModelInfo
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def send(self, request: Request) -> Reply:
        body = self.request_body(request)
        for attempt in self.retry.retrying():
            with attempt:
                return _reply(self.connection.send(body))
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def asend(self, request: Request) -> Reply:
        body = self.request_body(request)
        async for attempt in self.retry.async_retrying():
            with attempt:
                return _reply(await self.connection.asend(body))
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def request_body(self, request: Request) -> dict[str, Any]:
        """The JSON body POSTed to ``/v1/chat/completions``, built by instructor for the server's mode.

        A batch job (:mod:`summarizer.batch`) sends these same bodies later, elsewhere.
        """
        body: dict[str, Any] = {"model": self.model, "messages": [dict(m) for m in request.messages],
                                "max_tokens": request.max_tokens, "temperature": 0}  # fmt: skip
        extras = _schema_options(request.response_model, self.mode)
        if extras is None:
            return handle_response_model(_response_schema(request.response_model), self.mode, **body)[1]
        return body | extras

    def reply_from(self, completion: dict[str, Any]) -> Reply:
        """Read a chat completion that came back from a batch job, as :meth:`send` reads a live one."""
        try:
            parsed = ChatCompletion.model_validate(completion)
        except ValidationError as exc:
            raise BackendError(
                f"a batch result is not a chat completion ({exc.error_count()} errors)", retryable=False
            ) from exc
        return _reply(parsed)

    def close(self) -> None:
        self.connection.close()

    async def aclose(self) -> None:
        await self.connection.aclose()


def _reply(completion: ChatCompletion) -> Reply:
    """The answer's JSON text (tool call arguments or message content), its tokens, and whether it was cut off."""
    usage = completion.usage
    tokens = (_tokens(usage, "prompt_tokens"), _tokens(usage, "completion_tokens"))
    cut_off = bool(completion.choices) and completion.choices[0].finish_reason == "length"
    return Reply(_content(completion), *tokens, cut_off=cut_off)


@functools.cache
def _response_schema(model: type[BaseModel]) -> type[BaseModel]:
    """Instructor's wrapper of a draft class, made once: instructor would build a new class per request."""
    from instructor.v2.core.function_calls import ResponseSchema, response_schema  # pinned: instructor 1.17

    return model if issubclass(model, ResponseSchema) else response_schema(model)


def _schema_options(model: type[BaseModel], mode: instructor.Mode) -> dict[str, Any] | None:
    """What instructor adds to a request for ``model`` in ``mode`` (``response_format``, ``tools``).

    Building it per request re-walks the class and formats a debug log of the whole request,
    which cost more CPU than the rest of a briefing, so it is built once and kept as JSON text:
    each request gets its own copy, never one shared with every other. None for a mode that
    rewrites the messages themselves: those requests are built whole each time.
    """
    built = _built_schema_options(model, mode)
    return None if built is None else dict(json.loads(built))


@functools.cache
def _built_schema_options(model: type[BaseModel], mode: instructor.Mode) -> str | None:
    probe = [{"role": "user", "content": "probe"}]
    body = handle_response_model(_response_schema(model), mode, messages=probe)[1]
    if body.pop("messages", None) != probe:
        return None
    return json.dumps(body)


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
