"""SSRF guard: internal addresses in any spelling, on any hop, at connect time; the canary sees nothing."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from narrascope.errors import PageError
from narrascope.ingest.fetch import Fetcher, FetchSettings
from narrascope.ingest.ssrf import is_public_address, parse_host_address
from tests.battery.servers import CANARY_ADDRESS, SITE_ADDRESS, TEST_POLICY, Resolver, serve

SETTINGS = FetchSettings(delay_s=0, total_timeout_s=3, respect_robots=False)


@pytest.fixture
def canary() -> Iterator[object]:
    with serve(CANARY_ADDRESS, {"/": b"CANARY-INTERNAL-SECRET", "/robots.txt": ("text/plain", b"")}) as server:
        yield server


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
    ("017700000001", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
    ("[::1]", "::1"), ("[::ffff:127.0.0.1]", "::ffff:7f00:1"), ("0", "0.0.0.0"), ("example.org", None),
])
def test_fetch_ssrf_numeric_host_forms(host: str, expected: str | None) -> None:
    parsed = parse_host_address(host)
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize("address", [
    "127.0.0.1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.254", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fc00::1", "fd12:3456::1",
    "fe80::1", "::", "2002:7f00:1::1", "64:ff9b::a00:1", "224.0.0.1", "255.255.255.255", "198.18.0.1",
])
def test_fetch_ssrf_blocked_networks(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"])
def test_fetch_ssrf_public_networks(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", [
    "127.0.0.1", "localhost", "2130706433", "0x7f000001", "017700000001", "127.1", "[::1]", "[::ffff:127.0.0.1]",
    "0.0.0.0", "canary.test", "mixed.test",
])
def test_fetch_ssrf_blocked_before_connect(host: str, canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    resolver = Resolver({"canary.test": [CANARY_ADDRESS], "mixed.test": [SITE_ADDRESS, CANARY_ADDRESS],
                         "localhost": [CANARY_ADDRESS]})
    with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher, pytest.raises(PageError) as caught:
        fetcher.fetch(f"http://{host}:{port}/")
    assert caught.value.reason == "ssrf_blocked"
    assert canary.hits == []  # type: ignore[attr-defined]
    assert fetcher.backend.connections == []


def test_fetch_ssrf_redirect_to_internal_blocked_at_hop(canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    routes: dict[str, object] = {"/to-ip": ("redirect", f"http://127.0.0.1:{port}/"),
                                 "/to-name": ("redirect", f"http://internal.test:{port}/"),
                                 "/to-file": ("redirect", "file:///etc/hostname")}
    with serve(SITE_ADDRESS, routes) as site:
        resolver = Resolver({"site.test": [SITE_ADDRESS], "internal.test": [CANARY_ADDRESS]})
        base = f"http://site.test:{site.server_address[1]}"
        with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher:
            for path, reason in (("/to-ip", "ssrf_blocked"), ("/to-name", "ssrf_blocked"), ("/to-file", "bad_scheme")):
                with pytest.raises(PageError) as caught:
                    fetcher.fetch(base + path)
                assert caught.value.reason == reason
                assert caught.value.source == base + path
        assert len(site.hits) == 3
    assert canary.hits == []  # type: ignore[attr-defined]


def test_fetch_ssrf_dns_rebinding_blocked_at_connect(canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    # The first answer (the pre-flight check) is the trusted site; the second (at connect) is loopback.
    resolver = Resolver({"rebind.test": [[SITE_ADDRESS], [CANARY_ADDRESS]]})
    with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher, pytest.raises(PageError) as caught:
        fetcher.fetch(f"http://rebind.test:{port}/")
    assert caught.value.reason == "ssrf_blocked"
    assert resolver.calls == ["rebind.test", "rebind.test"]
    assert canary.hits == []  # type: ignore[attr-defined]


def test_fetch_ssrf_proxy_environment_ignored(canary: object, monkeypatch: pytest.MonkeyPatch) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, f"http://{CANARY_ADDRESS}:{port}")  # the canary stands in for a proxy
    monkeypatch.setenv("NO_PROXY", "")
    with serve(SITE_ADDRESS) as site:
        resolver = Resolver({"site.test": [SITE_ADDRESS], "internal.test": ["10.0.0.1"]})
        with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher:
            page = fetcher.fetch(f"http://site.test:{site.server_address[1]}/")
            with pytest.raises(PageError) as caught:
                fetcher.fetch("http://internal.test/")
        assert b"talks would resume" in page.data and site.hits == ["/"]
    assert caught.value.reason == "ssrf_blocked"
    assert canary.hits == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("url", ["file:///etc/hostname", "gopher://127.0.0.1:70/", "/etc/hostname",
                                 "ftp://example.org/x", "javascript:alert(1)", "feed://example.org/rss"])
def test_fetch_ssrf_bad_scheme_before_io(url: str) -> None:
    resolver = Resolver({})
    with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher, pytest.raises(PageError) as caught:
        fetcher.fetch(url)
    assert caught.value.reason == "bad_scheme"
    assert resolver.calls == [] and fetcher.backend.connections == []
