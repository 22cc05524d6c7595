"""OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp), through instructor.

instructor builds the request body for the server's mode (:meth:`OpenAICompatBackend.request_body`)
and validates the answer against the article (:meth:`~OpenAICompatBackend.answer_from`); a
:class:`~summarizer.backends.connection.Connection` sends it, once per attempt. Live calls and
batch jobs share these two halves, so they ask the same question and judge answers the same
way. instructor's own ``create`` is not used: given a validation context it renders every
message as a Jinja template, so an article quoting ``{{ x }}`` lost it and one with ``{% if``
crashed the brief (instructor #2669), and its per-call checks cost more CPU than the rest of
the library. Re-asks happen in the pipeline from the original messages, so the conversation
never grows attempt by attempt (instructor #2056). The SDK's own retries are off;
:class:`~summarizer.retry.RetryPolicy` owns transport retries alone.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

import instructor
from instructor.core.exceptions import IncompleteOutputException
from instructor.v2.core.response import handle_response_model, process_response  # pinned: instructor 1.17
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from summarizer.backends.base import Answer, D, StructuredCall
from summarizer.backends.connection import Connection
from summarizer.cost import Pricing
from summarizer.drafts import Draft
from summarizer.retry import RetryPolicy


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
    pricing: Pricing = lambda input_tokens, output_tokens: None

    @property
    def model_name(self) -> str:
        return self.label or self.model

    @property
    def default_strategy(self) -> str:
        return self.strategy

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        return self.pricing(input_tokens, output_tokens)

    def complete(self, call: StructuredCall[D]) -> Answer[D]:
        body = self.request_body(call)
        for attempt in self.retry.retrying():
            with attempt:
                return self._judge(call, self.connection.send(body))
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def acomplete(self, call: StructuredCall[D]) -> Answer[D]:
        body = self.request_body(call)
        async for attempt in self.retry.async_retrying():
            with attempt:
                return self._judge(call, await self.connection.asend(body))
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
