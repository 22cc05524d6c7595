"""Sending one chat request to an OpenAI-compatible server: clients, event loops, deadlines, errors.

The library's own client is an ``AsyncOpenAI`` on aiohttp that lives on one private event loop
in a daemon thread (a portal), started on first use. Synchronous calls, async calls from any
event loop (two successive ``asyncio.run``, Jupyter's loop) and calls from many threads all go
through it, so there is one connection pool, the client is closed in the loop that owns it,
and every request has a total deadline (``asyncio.timeout``: first byte to last, not only
between bytes). Clients the caller passes in (Azure, proxies, custom headers) are used as
they are, in the caller's own threads and loops, and never closed here: they are the caller's.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessage

from summarizer.errors import BackendError, ConfigurationError

CHAT = "/chat/completions"  # posted with the SDK's low-level ``post``: the body is built already
_RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}
T = TypeVar("T")


class _Portal:
    """A private event loop in a daemon thread: where the library's own async client lives and is closed."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="summarizer-http", daemon=True)
        self._thread.start()

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` in the portal and wait for it (from any thread but the portal's own)."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(work, self.loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()  # Ctrl-C while waiting: do not leave the request running
            raise

    async def acall(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` in the portal from another event loop; cancelling the caller cancels it."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self.loop))

    def stop(self, last: Coroutine[Any, Any, None]) -> None:
        """Run ``last`` (closing the client) in the portal, then end its thread and loop."""
        try:
            self.call(last)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join()
            self.loop.close()


@dataclass
class Connection:
    """Where requests go and with which client; thread-safe, started on first use (see the module).

    ``base_url`` is called once, on the first request, so an embedded server starts only when it
    is needed. ``client``/``async_client`` are the caller's own SDK clients, if any; the SDK's
    retries must be off on them (``max_retries=0``), as the registry arranges.
    """

    base_url: Callable[[], str | None]
    api_key: str = field(default="not-needed", repr=False)
    timeout: float = 120.0
    on_close: Callable[[], None] = lambda: None
    client: openai.OpenAI | None = None
    async_client: openai.AsyncOpenAI | None = None
    _own: tuple[_Portal, openai.AsyncOpenAI] | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def send(self, body: dict[str, Any]) -> ChatCompletion:
        """POST ``body``; the answer, checked to be a chat completion. Faults as :class:`BackendError`."""
        if self.client is not None:
            try:
                raw = self.client.post(CHAT, body=body, cast_to=object, options={"timeout": self.timeout})
            except openai.APIError as exc:
                raise translate_api_error(exc) from exc
            return chat_completion(raw, str(self.client.base_url))
        if self.async_client is not None:
            raise ConfigurationError(
                "this Summarizer was given only an openai.AsyncOpenAI client: call abrief/adigest, "
                "or pass an openai.OpenAI as client= too"
            )
        portal, own = self._started()
        return chat_completion(portal.call(self._post(own, body)), str(own.base_url))

    async def asend(self, body: dict[str, Any]) -> ChatCompletion:
        """The asyncio form of :meth:`send`."""
        if self.async_client is not None:
            raw = await self._post(self.async_client, body)
            return chat_completion(raw, str(self.async_client.base_url))
        if self.client is not None:
            return await asyncio.to_thread(self.send, body)
        # The first request starts the embedded server (seconds): in a worker thread, never on the loop.
        portal, own = await asyncio.to_thread(self._started) if self._own is None else self._own
        return chat_completion(await portal.acall(self._post(own, body)), str(own.base_url))

    async def _post(self, client: openai.AsyncOpenAI, body: dict[str, Any]) -> object:
        try:
            async with asyncio.timeout(self.timeout):
                return await client.post(CHAT, body=body, cast_to=object)
        except TimeoutError as exc:
            raise BackendError(
                f"the model server at {client.base_url} did not finish answering within {self.timeout:g} s "
                "(the total deadline of one request: raise it with --timeout or Settings.timeout)",
                retryable=True,
            ) from exc
        except openai.APIError as exc:
            raise translate_api_error(exc) from exc

    def start(self) -> None:
        """Start what serves the model (the embedded server) and the client now, not on the first request."""
        if self.client is None and self.async_client is None:
            self._started()

    def _started(self) -> tuple[_Portal, openai.AsyncOpenAI]:
        with self._lock:
            if self._own is None:
                # aiohttp under the client: httpx's pool costs CPU per pooled connection on every request
                http = openai.DefaultAioHttpClient()
                client = openai.AsyncOpenAI(api_key=self.api_key, base_url=self.base_url(), max_retries=0,
                                            timeout=self.timeout, http_client=http)  # fmt: skip
                self._own = (_Portal(), client)
            return self._own

    def close(self) -> None:
        """Close the library's own client in its loop, stop that loop, then whatever serves the model."""
        with self._lock:
            own, self._own = self._own, None
        if own is not None:
            portal, client = own
            portal.stop(client.close())
        self.on_close()

    async def aclose(self) -> None:
        """:meth:`close`, awaitable from an event loop (the portal is another thread)."""
        await asyncio.to_thread(self.close)


def chat_completion(raw: object, url: str) -> ChatCompletion:
    """``raw`` (parsed JSON, or text when the server sent none) as a chat completion, or a BackendError.

    A proxy's HTML page, ``[]``, ``null`` or ``{"hello": 1}`` answered with status 200 is a
    misconfigured server, not a model's answer: retrying or re-asking would not help. Built
    leniently, as the SDK builds responses, so servers that leave out a field still work.
    """
    completion = ChatCompletion.construct(**raw) if isinstance(raw, dict) else None
    choices = getattr(completion, "choices", None)
    if completion is None or not isinstance(choices, list) or not choices or not _has_message(choices[0]):
        shown = raw if isinstance(raw, str) else json.dumps(raw, default=str)
        raise BackendError(
            f"the server at {url} did not answer with a chat completion: {' '.join(shown.split())[:200]}",
            retryable=False,
        )
    return completion


def _has_message(choice: object) -> bool:
    return isinstance(getattr(choice, "message", None), ChatCompletionMessage)


def translate_api_error(exc: openai.APIError) -> BackendError | ConfigurationError:
    """An SDK error as a :class:`BackendError` that says whether retrying may help.

    A refused key (401, 403) is the caller's to fix, not the server's failure: a
    :class:`ConfigurationError`, never retried.
    """
    refused = _refusal(exc)
    if isinstance(exc, openai.APITimeoutError) and refused is None:
        return BackendError(f"the model server did not answer in time: {exc}", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"could not reach the model server: {refused or exc}", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status, request_id = exc.status_code, exc.request_id
        shown = f" (request id {request_id})" if request_id else ""
        if status in (401, 403):
            return ConfigurationError(
                f"the model server refused the API key ({status}{shown}): {exc.message}. Check the key "
                "(OPENAI_API_KEY, api_key=, or your openai client's) and that it may use this model"
            )
        hint = " (check the model name and the base URL: base_url= or --base-url)" if status == 404 else ""
        return BackendError(
            f"the model server answered {status}{hint}{shown}: {exc.message}",
            retryable=status in _RETRYABLE_STATUS,
            retry_after=retry_after_seconds(exc.response.headers),
            status_code=status,
            request_id=request_id,
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
