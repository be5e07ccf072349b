"""Fetch URLs politely and safely: http(s) only, SSRF guard on every hop, caps on time, size and redirects.

Every failure is a `PageError` with a typed reason: `bad_scheme` (file://, gopher://, a path: refused
before any I/O, BATTERY.md H4), `ssrf_blocked` (S1-S4), `too_many_redirects` (S2: at most 5),
`too_large` (byte cap, S6), `timeout` (total wall clock, slowloris S6), `tls_error` (certificate or
handshake failure, never retried without verification, S5), `robots_disallowed`, `http_error`,
`unreachable`.

Proxy settings in the environment are ignored (`trust_env=False`): a proxy would resolve and connect on
our behalf and the connect-time guard would check the proxy, not the target (BATTERY.md S4).

Example:
    >>> with Fetcher() as fetcher:
    ...     page = fetcher.fetch("https://example.org/news/1")
"""

from __future__ import annotations

import logging
import ssl
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore
import httpx

from narrascope import __version__
from narrascope.errors import PageError
from narrascope.ingest.decode import content_id, decode_text
from narrascope.ingest.ssrf import AddressPolicy, GuardedBackend, Resolver, deadline, system_resolver
from narrascope.models import PageKind, RawPage, Rejection

__all__ = ["FetchSettings", "FetchedPage", "Fetcher", "check_url", "fetch_pages"]

logger = logging.getLogger(__name__)

_REDIRECTS = {301, 302, 303, 307, 308}
_ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 section 2.5: crawlers must parse at least 500 KiB
_MAX_CRAWL_DELAY_S = 30.0  # a robots.txt Crawl-delay beyond this would stall a batch; capped


@dataclass(frozen=True)
class FetchSettings:
    """Caps of one fetch; defaults follow BATTERY.md (10 MiB per page, 30 s per document, <= 5 redirects)."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 10.0
    total_timeout_s: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    delay_s: float = 1.0  # between two requests to the same host
    respect_robots: bool = True
    # RFC 9309 section 2.4: a cached robots.txt should not be used for more than 24 hours; an unreachable
    # one (which disallows the host) is asked again sooner so that a brief outage does not last a day.
    robots_ttl_s: float = 24 * 3600.0
    robots_unreachable_ttl_s: float = 3600.0
    user_agent: str = f"narrascope/{__version__} (news research; respects robots.txt)"


@dataclass(frozen=True)
class FetchedPage:
    """The body of a successful fetch and where it finally came from."""

    url: str
    final_url: str
    status: int
    content_type: str
    data: bytes
    fetched_at: str


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL.

    Raises:
        PageError: `bad_scheme` for anything but http and https (file://, gopher://, ftp://, a path),
            `bad_url` when there is no host.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise PageError(url, "bad_url", f"not a valid URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise PageError(url, "bad_scheme", f"only http and https URLs are fetched, not {scheme or 'a path'}")
    if not parts.hostname:
        raise PageError(url, "bad_url", "the URL has no host")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def _tls_failure(error: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


@dataclass
class _HostState:
    next_time: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_allow_all: bool | None = None  # True: no robots.txt (4xx); False: unreachable (5xx): disallow all
    crawl_delay: float = 0.0
    robots_expires: float = 0.0  # clock time after which robots.txt is fetched again


class Fetcher:
    """An HTTP client for untrusted URLs; one per batch (it remembers robots.txt and per-host timing).

    Args:
        settings: caps and politeness.
        resolver: host name -> addresses; tests inject one, the default asks the system.
        policy: networks trusted beyond the open web (empty by default).
        ca_file: extra trusted certificates (tests); certificates are always verified.
    """

    def __init__(self, settings: FetchSettings | None = None, *, resolver: Resolver = system_resolver,
                 policy: AddressPolicy | None = None, ca_file: str | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        self._policy = policy or AddressPolicy()
        self._resolver = resolver
        self._clock, self._sleep = clock, sleep
        self._hosts: dict[tuple[str, str, int], _HostState] = {}
        context = ssl.create_default_context(cafile=ca_file or certifi.where())
        self.backend = GuardedBackend(self._policy, resolver)
        transport = httpx.HTTPTransport(verify=context, trust_env=False, retries=0)
        # httpx has no public hook for the network backend; the pool is rebuilt around the guarded one.
        transport._pool = httpcore.ConnectionPool(ssl_context=context, max_connections=10, retries=0,
                                                  network_backend=self.backend)
        timeout = httpx.Timeout(self.settings.read_timeout_s, connect=self.settings.connect_timeout_s)
        self._client = httpx.Client(transport=transport, trust_env=False, timeout=timeout, follow_redirects=False,
                                    headers={"User-Agent": self.settings.user_agent})

    def fetch(self, url: str) -> FetchedPage:
        """GET `url`, following at most `max_redirects` redirects, each hop checked like the first.

        Raises:
            PageError: with one of the reasons in this module's docstring; `source` is the URL given.
        """
        try:
            return self._follow(url)
        except PageError as error:
            if error.source == url:
                raise
            raise PageError(url, error.reason, f"{error.message} (at {error.source})") from None

    def _follow(self, url: str) -> FetchedPage:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            scheme, host, port = check_url(current)
            self._policy.addresses(host, port, self._resolver)  # fail before any I/O when plainly blocked
            if self.settings.respect_robots and not self._robots_allow(scheme, host, port, current):
                raise PageError(url, "robots_disallowed", f"robots.txt of {host} disallows {current}")
            self._wait_turn(scheme, host, port)
            status, location, content_type, data = self._get(current, self.settings.max_bytes, source=url)
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                logger.info("%s: redirected to %s", url, current)
                continue
            if status >= 400:
                raise PageError(url, "http_error", f"the server answered HTTP {status}")
            return FetchedPage(url=url, final_url=current, status=status, content_type=content_type, data=data,
                               fetched_at=datetime.now(UTC).isoformat(timespec="seconds"))
        raise PageError(url, "too_many_redirects", f"more than {self.settings.max_redirects} redirects")

    def _get(self, url: str, cap: int, *, source: str) -> tuple[int, str | None, str, bytes]:
        """One request: status, Location, Content-Type and the body, under the byte and time caps."""
        try:
            with deadline(self.settings.total_timeout_s), self._client.stream("GET", url) as response:
                location = response.headers.get("location")
                content_type = response.headers.get("content-type", "")
                if response.status_code in _REDIRECTS or response.status_code >= 400:
                    return response.status_code, location, content_type, b""
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise PageError(source, "too_large", f"the server announces {int(declared)} bytes; cap {cap}")
                body = bytearray()
                for chunk in response.iter_bytes():  # decoded: a gzip bomb is counted as it inflates
                    body += chunk
                    if len(body) > cap:
                        raise PageError(source, "too_large", f"the body is over the cap of {cap} bytes")
                return response.status_code, location, content_type, bytes(body)
        except PageError as error:
            raise PageError(source, error.reason, error.message) from None
        except httpx.TimeoutException as error:
            raise PageError(source, "timeout", f"no complete answer within the time limit ({error})") from None
        except httpx.HTTPError as error:
            tls = _tls_failure(error)
            if tls is not None:
                raise PageError(source, "tls_error", f"TLS failed and is never bypassed ({tls})") from None
            raise PageError(source, "unreachable", f"{type(error).__name__}: {error}") from None

    def _host(self, scheme: str, host: str, port: int) -> _HostState:
        return self._hosts.setdefault((scheme, host.lower(), port), _HostState())

    def _wait_turn(self, scheme: str, host: str, port: int) -> None:
        state = self._host(scheme, host, port)
        wait = state.next_time - self._clock()
        if wait > 0:
            self._sleep(wait)
        state.next_time = self._clock() + max(self.settings.delay_s, state.crawl_delay)

    def _robots_allow(self, scheme: str, host: str, port: int, url: str) -> bool:
        """RFC 9309: 4xx means no rules, an unreachable robots.txt (5xx, network) means disallow all."""
        state = self._host(scheme, host, port)
        if self._clock() >= state.robots_expires:
            state.robots, state.robots_allow_all, state.crawl_delay = None, None, 0.0
        if state.robots is None and state.robots_allow_all is None:
            robots_url = f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}/robots.txt"
            self._wait_turn(scheme, host, port)
            try:
                status, _, _, data = self._robots_get(robots_url)
            except PageError as error:
                logger.info("%s: robots.txt unreachable (%s); treating the host as disallowed", host, error.reason)
                state.robots_allow_all = False
                state.robots_expires = self._clock() + self.settings.robots_unreachable_ttl_s
            else:
                unreachable = status >= 500
                state.robots_expires = self._clock() + (
                    self.settings.robots_unreachable_ttl_s if unreachable else self.settings.robots_ttl_s)
                if 400 <= status < 500:
                    state.robots_allow_all = True
                elif unreachable:
                    state.robots_allow_all = False
                else:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(data.decode("utf-8", "replace").splitlines())
                    state.robots = parser
                    delay = parser.crawl_delay(self.settings.user_agent)
                    state.crawl_delay = min(float(delay), _MAX_CRAWL_DELAY_S) if delay else 0.0
        if state.robots is not None:
            return state.robots.can_fetch(self.settings.user_agent, url)
        return bool(state.robots_allow_all)

    def _robots_get(self, url: str) -> tuple[int, str | None, str, bytes]:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            _, host, port = check_url(current)
            self._policy.addresses(host, port, self._resolver)
            status, location, content_type, data = self._get(current, _ROBOTS_MAX_BYTES, source=url)
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            return status, location, content_type, data
        raise PageError(url, "too_many_redirects", "robots.txt redirects too often")

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def fetch_pages(urls: Iterable[str], *, fetcher: Fetcher | None = None,
                min_page_chars: int = 20) -> Iterator[RawPage | Rejection]:
    """Fetch each URL: an HTML or text page becomes a RawPage, a feed its entries; failures a Rejection.

    Feeds are parsed from the fetched bytes only (see `narrascope.ingest.feeds`).
    """
    from narrascope.ingest.feeds import iter_feed_pages, looks_like_feed

    own = fetcher is None
    active = fetcher or Fetcher()
    try:
        for url in urls:
            try:
                page = active.fetch(url)
                if looks_like_feed(page.data[:4096]):
                    yield from iter_feed_pages(page.data, url, fetched_at=page.fetched_at,
                                               max_entry_bytes=active.settings.max_bytes,
                                               min_entry_chars=min_page_chars, content_type=page.content_type)
                    continue
                decoded = decode_text(page.data, url, min_page_chars)
            except PageError as error:
                yield Rejection(error.source, error.reason, error.message)
                continue
            text = decoded.text
            kind: PageKind = "html" if "html" in page.content_type or text.lstrip()[:1] == "<" else "text"
            yield RawPage(id=content_id(text), source=url, kind=kind, text=text, url=page.final_url,
                          fetched_at=page.fetched_at, encoding=decoded.encoding,
                          encoding_confidence=decoded.confidence)
    finally:
        if own:
            active.close()

