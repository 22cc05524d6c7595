"""Which addresses the fetcher may reach: http(s) only, and public hosts unless the user allows others.

A feed is written by someone else, and every link in it is a request this machine makes: a link to
``http://169.254.169.254/`` (a cloud's metadata service) or ``http://localhost:8080/admin`` would
otherwise turn the digest into a way to read the user's own network (server-side request forgery).
So every URL - a feed, each entry's page, each redirect - is checked here before it is fetched: its
scheme, then every address its host name resolves to. The request is then sent to the address that
was checked (:attr:`Target.address`), not resolved again, so a name that answers differently the
second time (DNS rebinding) cannot slip past the check.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from summarizer.errors import FetchError

__all__ = ["FetchError", "Target", "checked", "private_reason"]

SCHEMES = ("http", "https")
_MAX_URL = 2000


@dataclass(frozen=True)
class Target:
    """A URL that passed the checks, and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    @property
    def origin(self) -> str:
        """``scheme://host:port``: what robots.txt and the per-host limits are kept for."""
        return f"{self.scheme}://{self.host}:{self.port}"


def checked(url: str, *, allow_private: bool) -> Target:
    """The URL's target, or a :class:`FetchError` saying why it may not be fetched."""
    if len(url) > _MAX_URL:
        raise FetchError(f"the URL is over {_MAX_URL} characters")
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchError(f"only http and https addresses are fetched, not {scheme or 'a relative'}: link")
    if not host:
        raise FetchError("the URL names no host")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not fetched")
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not allow_private:
        for address in addresses:
            if reason := private_reason(address):
                raise FetchError(
                    f"{host} is {reason} address {address}; refused (server-side request forgery guard). "
                    "Allow it with --allow-private-addresses or Settings(allow_private_addresses=True)"
                )
    return Target(url.strip(), scheme, host, port, addresses[0])


def private_reason(address: str) -> str | None:
    """Why ``address`` is not a public internet address (``a loopback``...), or None when it is."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, flag in (
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("a reserved", ip.is_reserved or ip.is_unspecified),
        ("a private", ip.is_private),
    ):
        if flag:
            return kind
    return None if ip.is_global else "a non-public"


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"the host {host} could not be resolved ({exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"the host {host} has no address")
    return addresses
