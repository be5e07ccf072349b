"""BATTERY.md 3.2, URL fetching (S1-S6): a loopback canary must never be reached; caps end every fetch.

No internet: a test resolver maps invented names to loopback addresses, and only 127.0.0.2 (the stand-in
web site) is trusted by the tests' policy. The canary listens on 127.0.0.1, which stays blocked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrascope.errors import PageError
from narrascope.ingest.fetch import Fetcher, FetchSettings
from tests.battery.servers import ARTICLE, CANARY_ADDRESS, SITE_ADDRESS, TEST_POLICY, Resolver, self_signed, serve

pytestmark = pytest.mark.battery

SETTINGS = FetchSettings(delay_s=0, total_timeout_s=2, respect_robots=False, max_bytes=1024 * 1024)
S1_HOSTS = ["127.0.0.1", "localhost", "0x7f000001", "2130706433", "017700000001", "[::1]", "[::ffff:127.0.0.1]",
            "0.0.0.0", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1", "[fc00::1]",
            "[fe80::1]"]


@pytest.fixture
def canary() -> Iterator[object]:
    with serve(CANARY_ADDRESS, {"/": b"CANARY"}) as server:
        yield server


def blocked(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(PageError) as caught:
        fetcher.fetch(url)
    return caught.value.reason


def test_battery_s1_internal_addresses_blocked(canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    resolver = Resolver({"localhost": [CANARY_ADDRESS]})
    with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher:
        reasons = {host: blocked(fetcher, f"http://{host}:{port}/") for host in S1_HOSTS}
        assert fetcher.backend.connections == []
    assert reasons == dict.fromkeys(S1_HOSTS, "ssrf_blocked")
    assert canary.hits == []  # type: ignore[attr-defined]


def test_battery_s2_redirect_to_private_blocked_at_hop(canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    routes: dict[str, object] = {"/go": ("redirect", "/go2"), "/go2": ("redirect", f"http://0x7f000001:{port}/")}
    with serve(SITE_ADDRESS, routes) as site, \
            Fetcher(SETTINGS, resolver=Resolver({"site.test": [SITE_ADDRESS]}), policy=TEST_POLICY) as fetcher:
        assert blocked(fetcher, f"http://site.test:{site.server_address[1]}/go") == "ssrf_blocked"
        assert site.hits == ["/go", "/go2"]
    assert canary.hits == []  # type: ignore[attr-defined]


def test_battery_s3_dns_rebinding(canary: object) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    resolver = Resolver({"rebind.test": [[SITE_ADDRESS], [CANARY_ADDRESS]]})
    with Fetcher(SETTINGS, resolver=resolver, policy=TEST_POLICY) as fetcher:
        assert blocked(fetcher, f"http://rebind.test:{port}/") == "ssrf_blocked"
    assert canary.hits == []  # type: ignore[attr-defined]


def test_battery_s4_proxy_does_not_bypass_guard(canary: object, monkeypatch: pytest.MonkeyPatch) -> None:
    port = canary.server_address[1]  # type: ignore[attr-defined]
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, f"http://{CANARY_ADDRESS}:{port}")
    with Fetcher(SETTINGS, resolver=Resolver({"intranet.test": ["192.168.1.10"]}), policy=TEST_POLICY) as fetcher:
        assert blocked(fetcher, "http://intranet.test/admin") == "ssrf_blocked"
        assert blocked(fetcher, "http://169.254.169.254/latest/meta-data/") == "ssrf_blocked"
    assert canary.hits == []  # type: ignore[attr-defined]


def test_battery_s5_tls_error_is_hard_failure(tmp_path: Path) -> None:
    with serve(SITE_ADDRESS, certificate=self_signed(tmp_path, "site.test")) as site, \
            Fetcher(SETTINGS, resolver=Resolver({"site.test": [SITE_ADDRESS]}), policy=TEST_POLICY) as fetcher:
        with pytest.raises(PageError) as caught:
            fetcher.fetch(f"https://site.test:{site.server_address[1]}/")
        assert caught.value.reason == "tls_error" and "never bypassed" in caught.value.message
        assert site.hits == []  # the handshake failed: no request was sent in clear or unverified


@pytest.mark.parametrize(("route", "reason"), [("endless", "too_large"), ("slow", "timeout"),
                                               ("gzip-bomb", "too_large")])
def test_battery_s6_slowloris_and_endless_bodies(route: str, reason: str) -> None:
    with serve(SITE_ADDRESS, {"/": route, "/ok": ARTICLE}) as site, \
            Fetcher(SETTINGS, resolver=Resolver({"site.test": [SITE_ADDRESS]}), policy=TEST_POLICY) as fetcher:
        base = f"http://site.test:{site.server_address[1]}"
        started = time.monotonic()
        assert blocked(fetcher, base + "/") == reason
        assert time.monotonic() - started < 6  # hang guard: the total deadline is 2 s
        assert fetcher.fetch(base + "/ok").data == ARTICLE  # the next fetch is unaffected
