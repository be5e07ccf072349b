"""Feeds: entries become pages; hostile DTDs, paths and odd dates are refused or flagged with a reason."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from narrascope.errors import PageError
from narrascope.ingest.feeds import FeedInput, check_xml_safety, iter_feed_pages, looks_like_feed, parse_feed
from narrascope.models import RawPage, Rejection

BODY = "The minister said the talks would resume next week, according to officials."


def rss(items: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>Daily Wire</title>'
            f"{items}</channel></rss>").encode()


def item(number: int, *, guid: str | None = None, date: str = "Mon, 02 Mar 2026 10:00:00 GMT", body: str = BODY) -> str:
    return (f"<item><title>Story {number}</title><link>https://news.example/{number}</link>"
            f"<guid>{guid or number}</guid><pubDate>{date}</pubDate><description>{body} {number}</description></item>")


def pages(items: list[RawPage | Rejection]) -> list[RawPage]:
    return [entry for entry in items if isinstance(entry, RawPage)]


def test_ingest_feeds_entries_become_html_pages() -> None:
    items = parse_feed(FeedInput(rss(item(1) + item(2)), "feed.xml", fetched_at="2026-03-02T11:00:00+00:00"))
    assert [p.url for p in pages(items)] == ["https://news.example/1", "https://news.example/2"]
    first = pages(items)[0]
    assert first.kind == "html" and first.fetched_at == "2026-03-02T11:00:00+00:00"
    assert "<title>Story 1</title>" in first.text and BODY in first.text
    assert 'content="2026-03-02T10:00:00+00:00"' in first.text
    assert 'content="Daily Wire"' in first.text


def test_ingest_feeds_atom_content_preferred_and_sanitised() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>T</title>'
            b'<link href="https://a.example/x"/><id>tag:1</id><updated>2026-01-01T00:00:00Z</updated>'
            b'<summary>short</summary><content type="html">&lt;p&gt;' + BODY.encode() +
            b'&lt;/p&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;</content></entry></feed>')
    [page] = pages(parse_feed(FeedInput(atom, "a.atom")))
    assert BODY in page.text and "__pwned" not in page.text and "<script" not in page.text


def test_ingest_feeds_duplicate_guid_keeps_first() -> None:
    items = parse_feed(FeedInput(rss(item(1, guid="same") + item(2, guid="same") + item(3)), "f"))
    assert [type(i).__name__ for i in items] == ["RawPage", "Rejection", "RawPage"]
    assert isinstance(items[1], Rejection) and items[1].reason == "duplicate_guid"
    assert items[1].source == "f#entry-2"


@pytest.mark.parametrize(("date", "flag"), [
    ("Mon, 01 Jan 0000 00:00:00 GMT", "date_unreadable"),
    ("Fri, 31 Dec 9999 23:59:59 GMT", "date_in_future"),
    ("Thu, 01 Jan 1801 00:00:00 GMT", "date_implausible"),
])
def test_ingest_feeds_bad_dates_flagged_not_used(date: str, flag: str) -> None:
    [page, good] = pages(parse_feed(FeedInput(rss(item(1, date=date) + item(2)), "f")))
    assert flag in page.text and "article:published_time" not in page.text
    assert "article:published_time" in good.text


def test_ingest_feeds_bozo_feed_best_effort() -> None:
    broken = rss(item(1) + item(2)).replace(b"</channel></rss>", b"<item><title>unclosed &nbsp;")
    items = parse_feed(FeedInput(broken, "bozo.xml"))
    assert len(pages(items)) == 2 and "bozo" in pages(items)[0].text


def test_ingest_feeds_not_a_feed_and_empty_feed() -> None:
    with pytest.raises(PageError) as caught:
        parse_feed(FeedInput(b"just some words, not XML at all", "x"))
    assert caught.value.reason == "not_a_feed"
    with pytest.raises(PageError) as caught:
        parse_feed(FeedInput(rss(""), "x"))
    assert caught.value.reason == "empty_feed"


def test_ingest_feeds_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item(1, body="CANARY-SECRET-TEXT " + BODY)))
    items = list(iter_feed_pages(str(secret).encode(), "user-input"))
    assert all("CANARY-SECRET-TEXT" not in getattr(entry, "text", "") for entry in items)
    assert [getattr(entry, "reason", None) for entry in items] == ["not_a_feed"]
    with pytest.raises(TypeError):
        parse_feed(FeedInput(str(secret), "x"))  # type: ignore[arg-type]


@pytest.mark.parametrize(("prolog", "reason"), [
    ('<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>', "entity_amplification"),
    ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "xxe_blocked"),
    ('<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', "xxe_blocked"),
    ('<!DOCTYPE r SYSTEM "file:///etc/hostname">', "xxe_blocked"),
    ('<!-- <a> --><!DOCTYPE r [<!ENTITY a "x">]>', "entity_amplification"),  # comment faking a root element
])
def test_ingest_feeds_dtd_checks(prolog: str, reason: str) -> None:
    with pytest.raises(PageError) as caught:
        check_xml_safety(rss(item(1), prolog), "f")
    assert caught.value.reason == reason


def test_ingest_feeds_dtd_check_sees_through_utf16() -> None:
    document = rss(item(1), '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>').decode()
    data = document.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    with pytest.raises(PageError) as caught:
        check_xml_safety(data, "f")
    assert caught.value.reason == "xxe_blocked"


def test_ingest_feeds_public_dtd_and_entity_text_in_body_allowed() -> None:
    netscape = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/rss-0.91.dtd">'
    check_xml_safety(rss(item(1, body="How &lt;!ENTITY works. " + BODY), netscape), "f")
    assert looks_like_feed(rss(item(1))) and not looks_like_feed(b"<html><body>x</body></html>")


def test_ingest_feeds_external_dtd_never_fetched() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    feed = rss(item(1), f'<!DOCTYPE rss PUBLIC "-//X//DTD//EN" "http://127.0.0.1:{port}/x.dtd">')
    try:
        assert len(pages(list(iter_feed_pages(feed, "f")))) == 1
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
