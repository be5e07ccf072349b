"""SSRF guard: which addresses narrascope may connect to, checked on the resolved IP at connect time.

A URL from a feed or a user can name an internal service directly (127.0.0.1, 169.254.169.254), hide it
in a numeric form (2130706433, 0x7f000001, 017700000001, 127.1), wrap it in IPv6 (::ffff:127.0.0.1), or
resolve to it only on the second look-up (DNS rebinding). So the check runs where the socket is opened,
on the very address it connects to, for every connection of every redirect hop (BATTERY.md S1-S3), and
host names that glibc would read as numbers are parsed here the way browsers parse them (WHATWG URL
standard, IPv4 parser) instead of being handed to the resolver.

Example:
    >>> is_public_address(parse_host_address("0x7f000001"))
    False
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore

from narrascope.errors import PageError

__all__ = ["AddressPolicy", "GuardedBackend", "Resolver", "deadline", "is_public_address", "parse_host_address",
           "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Networks that are never the open web, beyond what `ipaddress` already calls private, loopback, link-local,
# multicast, reserved or unspecified (IANA special-purpose registries; BATTERY.md S1 lists the ones tested).
_BLOCKED_NETWORKS = tuple(ipaddress.ip_network(network) for network in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b:1::/48",
    "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_BLOCKED_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("narrascope_fetch_deadline", default=None)


def parse_host_address(host: str) -> IPAddress | None:
    """The IP address a URL host denotes, in any numeric form, or None for a host name.

    Handles `[v6]`, dotted quads, and the WHATWG forms browsers and glibc accept: one to four parts,
    each decimal, `0x` hex or `0`-prefixed octal (`2130706433`, `0x7f.1`, `0177.0.0.1`).

    Raises:
        ValueError: the host looks numeric but is not a valid address (e.g. `256.256.256.256`).
    """
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        return ipaddress.IPv6Address(host.split("%", 1)[0])
    parts = host.split(".")
    if not parts or not _is_number(parts[-1]):
        return None  # WHATWG "ends in a number": only then is the host an IPv4 address
    numbers = [_number(part) for part in parts]
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _is_number(part: str) -> bool:
    if part.startswith("0x"):
        return all(c in "0123456789abcdef" for c in part[2:])
    return part.isdigit()


def _number(part: str) -> int:
    if not _is_number(part):
        raise ValueError(f"{part!r} is not a number")
    if part.startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def is_public_address(address: IPAddress | None) -> bool:
    """Whether `address` is on the open web (not loopback, private, link-local, CGNAT, ULA, mapped, ...)."""
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = [address.ipv4_mapped, address.sixtofour]
        if address.teredo:
            embedded.extend(address.teredo)
        if address in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(inner is not None and not is_public_address(inner) for inner in embedded):
            return False
    if any(address in network for network in _BLOCKED_NETWORKS if network.version == address.version):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (the real DNS look-up)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses may be connected to: the open web, plus networks a deployment explicitly trusts.

    `allowed` is for an intranet deployment (or a test server); it is never filled from a URL or a page.
    """

    allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default_factory=tuple)

    def is_allowed(self, address: IPAddress) -> bool:
        """Whether a connection to `address` may be opened."""
        return is_public_address(address) or any(
            address in network for network in self.allowed if network.version == address.version)

    def addresses(self, host: str, port: int, resolver: Resolver) -> list[IPAddress]:
        """The addresses to connect to for `host`, all of them allowed.

        Raises:
            PageError: `ssrf_blocked` when the host or any address it resolves to is not allowed (a mixed
                answer is refused whole: DNS rebinding mixes a public and a private address);
                `unreachable` when the name does not resolve.
        """
        try:
            literal = parse_host_address(host)
        except ValueError as error:
            raise PageError(host, "bad_url", str(error)) from error
        if literal is None and host.strip().rstrip(".").lower().endswith(_BLOCKED_NAMES):
            raise PageError(host, "ssrf_blocked", f"{host} names this machine")
        if literal is not None:
            found: list[IPAddress] = [literal]
        else:
            try:
                found = [ipaddress.ip_address(entry.split("%", 1)[0]) for entry in resolver(host, port)]
            except (OSError, UnicodeError, ValueError) as error:
                raise PageError(host, "unreachable", f"cannot resolve {host} ({error})") from error
        if not found:
            raise PageError(host, "unreachable", f"{host} has no address")
        for address in found:
            if not self.is_allowed(address):
                raise PageError(host, "ssrf_blocked", f"{host} is {address}, which is not on the open web")
        return found


class deadline:  # a context manager named like the function it acts as
    """Within this block, every read or write of a guarded connection ends by `seconds` from now.

    httpx's timeouts are per read, so a server dribbling a byte a second never trips them (slowloris,
    BATTERY.md S6); this bounds the whole exchange, headers included.
    """

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> None:
        self._token = _deadline.set(time.monotonic() + self._seconds)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _deadline.reset(self._token)


def _remaining(timeout: float | None) -> float | None:
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the fetch ran past its total time limit")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes respect the current `deadline`."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that resolves, checks and connects to the checked address only.

    The host name is resolved once, here, and the socket opened to that address: what was checked is
    what is connected to. TLS still verifies the certificate against the URL's host name.
    """

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver,
                 inner: httpcore.NetworkBackend | None = None) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner or httpcore.SyncBackend()
        self.connections: list[str] = []  # addresses connected to, for logs and tests

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self._policy.addresses(host, port, self._resolver)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(str(address), port, _remaining(timeout), local_address,
                                                 socket_options)
            except httpcore.ConnectError as failure:
                error = failure
                continue
            self.connections.append(str(address))
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise PageError(path, "bad_scheme", "unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
