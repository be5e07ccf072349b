"""Fetching: redirect limit, byte and time caps, TLS failures, robots.txt and per-host politeness."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from narrascope.errors import PageError
from narrascope.ingest.fetch import Fetcher, FetchSettings, fetch_pages
from narrascope.models import RawPage, Rejection
from tests.battery.servers import ARTICLE, FEED, SITE_ADDRESS, TEST_POLICY, Resolver, self_signed, serve

RESOLVER = Resolver({"site.test": [SITE_ADDRESS]})
SETTINGS = FetchSettings(delay_s=0, total_timeout_s=3, respect_robots=False, max_bytes=1024 * 1024)


def fetcher(settings: FetchSettings = SETTINGS, **options: object) -> Fetcher:
    return Fetcher(settings, resolver=RESOLVER, policy=TEST_POLICY, **options)  # type: ignore[arg-type]


def test_fetch_http_page_and_redirect_chain() -> None:
    routes: dict[str, object] = {"/": ARTICLE, **{f"/r{n}": ("redirect", f"/r{n + 1}") for n in range(5)}}
    routes["/r5"] = ("redirect", "/")
    with serve(SITE_ADDRESS, routes) as site, fetcher() as client:
        base = f"http://site.test:{site.server_address[1]}"
        page = client.fetch(base + "/r1")  # five redirects: the limit
        assert page.data == ARTICLE and page.final_url == base + "/" and page.status == 200
        with pytest.raises(PageError) as caught:
            client.fetch(base + "/r0")  # six
        assert caught.value.reason == "too_many_redirects"


def test_fetch_http_endless_body_capped() -> None:
    with serve(SITE_ADDRESS, {"/": "endless"}) as site, fetcher() as client, pytest.raises(PageError) as caught:
        client.fetch(f"http://site.test:{site.server_address[1]}/")
    assert caught.value.reason == "too_large"


def test_fetch_http_gzip_bomb_capped() -> None:
    with serve(SITE_ADDRESS, {"/": "gzip-bomb"}) as site, fetcher() as client, pytest.raises(PageError) as caught:
        client.fetch(f"http://site.test:{site.server_address[1]}/")
    assert caught.value.reason == "too_large"


def test_fetch_http_slowloris_stopped_by_total_deadline() -> None:
    settings = FetchSettings(delay_s=0, total_timeout_s=1.0, read_timeout_s=5, respect_robots=False)
    with serve(SITE_ADDRESS, {"/": "slow"}) as site, fetcher(settings) as client:
        started = time.monotonic()
        with pytest.raises(PageError) as caught:
            client.fetch(f"http://site.test:{site.server_address[1]}/")
        assert caught.value.reason == "timeout"
        assert time.monotonic() - started < 4  # a byte every 50 ms would last 30 s


def test_fetch_http_tls_error_is_hard_failure(tmp_path: Path) -> None:
    certificate = self_signed(tmp_path, "site.test")
    with serve(SITE_ADDRESS, certificate=certificate) as site:
        url = f"https://site.test:{site.server_address[1]}/"
        with fetcher() as client, pytest.raises(PageError) as caught:
            client.fetch(url)
        assert caught.value.reason == "tls_error" and "CERTIFICATE_VERIFY_FAILED" in caught.value.message
        with fetcher(ca_file=str(certificate[0])) as trusting:  # the same server, once its certificate is trusted
            assert trusting.fetch(url).data == ARTICLE


def test_fetch_http_status_error() -> None:
    with serve(SITE_ADDRESS, {}) as site, fetcher() as client, pytest.raises(PageError) as caught:
        client.fetch(f"http://site.test:{site.server_address[1]}/missing")
    assert caught.value.reason == "http_error" and "404" in caught.value.message


@pytest.mark.parametrize(("robots", "allowed"), [
    (("text/plain", b"User-agent: *\nDisallow: /private\n"), {"/open": True, "/private/x": False}),
    (("status", 404), {"/open": True, "/private/x": True}),
    (("status", 503), {"/open": False, "/private/x": False}),
])
def test_fetch_http_robots(robots: object, allowed: dict[str, bool]) -> None:
    routes: dict[str, object] = {"/robots.txt": robots, "/open": ARTICLE, "/private/x": ARTICLE}
    settings = FetchSettings(delay_s=0, total_timeout_s=3)
    with serve(SITE_ADDRESS, routes) as site, fetcher(settings) as client:
        for path, is_allowed in allowed.items():
            url = f"http://site.test:{site.server_address[1]}{path}"
            if is_allowed:
                assert client.fetch(url).data == ARTICLE
            else:
                with pytest.raises(PageError) as caught:
                    client.fetch(url)
                assert caught.value.reason == "robots_disallowed"
        assert site.hits.count("/robots.txt") == 1  # fetched once per host


def test_fetch_http_robots_cache_expires() -> None:
    """RFC 9309 2.4: robots.txt is asked again after its time to live, and its new rules apply."""
    now = [0.0]
    routes: dict[str, object] = {"/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /a\n"), "/a": ARTICLE}
    settings = FetchSettings(delay_s=0, total_timeout_s=3, robots_ttl_s=100.0)
    with serve(SITE_ADDRESS, routes) as site, fetcher(settings, clock=lambda: now[0], sleep=lambda _: None) as client:
        url = f"http://site.test:{site.server_address[1]}/a"
        for _ in range(2):
            with pytest.raises(PageError):
                client.fetch(url)
        assert site.hits.count("/robots.txt") == 1
        routes["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow:\n")
        now[0] = 99.0
        with pytest.raises(PageError):
            client.fetch(url)  # still the cached rules
        now[0] = 101.0
        assert client.fetch(url).data == ARTICLE
        assert site.hits.count("/robots.txt") == 2


def test_fetch_http_robots_unreachable_is_asked_again_sooner() -> None:
    now = [0.0]
    routes: dict[str, object] = {"/robots.txt": ("status", 503), "/a": ARTICLE}
    settings = FetchSettings(delay_s=0, total_timeout_s=3, robots_ttl_s=1000.0, robots_unreachable_ttl_s=10.0)
    with serve(SITE_ADDRESS, routes) as site, fetcher(settings, clock=lambda: now[0], sleep=lambda _: None) as client:
        url = f"http://site.test:{site.server_address[1]}/a"
        with pytest.raises(PageError):
            client.fetch(url)
        routes["/robots.txt"] = ("status", 404)
        now[0] = 11.0
        assert client.fetch(url).data == ARTICLE
        assert site.hits.count("/robots.txt") == 2


def test_fetch_http_politeness_delay_per_host() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    settings = FetchSettings(delay_s=2.0, total_timeout_s=3, respect_robots=False)
    with serve(SITE_ADDRESS) as site, fetcher(settings, clock=lambda: now[0], sleep=sleep) as client:
        url = f"http://site.test:{site.server_address[1]}/"
        for _ in range(3):
            client.fetch(url)
    assert sleeps == [2.0, 2.0]


def test_fetch_http_fetch_pages_html_feed_and_failures() -> None:
    routes: dict[str, object] = {"/a": ARTICLE, "/feed": ("application/rss+xml", FEED)}
    with serve(SITE_ADDRESS, routes) as site, fetcher() as client:
        base = f"http://site.test:{site.server_address[1]}"
        items = list(fetch_pages([base + "/a", base + "/feed", "file:///etc/hostname", base + "/gone"],
                                 fetcher=client))
    kinds = [(type(item).__name__, getattr(item, "reason", None)) for item in items]
    assert kinds == [("RawPage", None), ("RawPage", None), ("Rejection", "bad_scheme"), ("Rejection", "http_error")]
    page, entry = items[0], items[1]
    assert isinstance(page, RawPage) and page.kind == "html" and page.fetched_at
    assert isinstance(entry, RawPage) and entry.url == "https://site.test/1"
    assert isinstance(items[2], Rejection) and items[2].source == "file:///etc/hostname"
