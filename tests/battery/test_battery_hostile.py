"""BATTERY.md 3.1, hostile and malformed inputs (H1-H12): each ends stored or rejected with a typed reason.

Every test puts the hostile input in a batch beside good pages and checks both the reason and that the
good pages still come through. Time limits here are hang guards, not benchmarks (BATTERY.md).
"""

from __future__ import annotations

import gzip
import io
import os
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import pytest

from narrascope.errors import PageError
from narrascope.ingest import iter_pages
from narrascope.ingest.feeds import FeedInput, parse_feed
from narrascope.isolation import WorkerPool
from narrascope.models import RawPage, Rejection
from tests.battery import inputs
from tests.battery.warc_samples import build_warc

pytestmark = pytest.mark.battery


def run(paths: list[Path | str]) -> tuple[list[RawPage], dict[str, Rejection]]:
    items = list(iter_pages([str(p) for p in paths]))
    pages = [i for i in items if isinstance(i, RawPage)]
    return pages, {Path(i.source).name if "://" not in i.source else i.source: i
                   for i in items if isinstance(i, Rejection)}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.html"
    path.write_text(inputs.GOOD_HTML, encoding="utf-8")
    return path


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback TCP listener that records whether anything connected (the XXE canary)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        server.accept()


@pytest.mark.parametrize(("name", "document"), [
    ("bomb.rss", inputs.rss(inputs.rss_item(1).replace("Story 1", "&lol9;"), inputs.billion_laughs())),
    ("bomb.atom", inputs.atom("<entry><title>&lol9;</title></entry>", inputs.billion_laughs(root="feed"))),
    ("sitemap.xml", ('<?xml version="1.0"?>' + inputs.billion_laughs(root="urlset") +
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url>'
                     "</urlset>").encode()),
    ("page.xhtml", ('<?xml version="1.0"?>' + inputs.billion_laughs(root="html") +
                    f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p><p>{inputs.ARTICLE_TEXT}</p>'
                    "</body></html>").encode()),
])
def test_battery_h1_billion_laughs(tmp_path: Path, good: Path, name: str, document: bytes) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(document)
    started = time.monotonic()
    pages, rejected = run([hostile, good])
    assert time.monotonic() - started < 10  # hang guard; measured well under 1 s
    assert rejected[name].reason == "entity_amplification"
    assert [p.source for p in pages] == [str(good)]


def test_battery_h2_quadratic_blowup(tmp_path: Path, good: Path) -> None:
    hostile = tmp_path / "quadratic.rss"
    hostile.write_bytes(inputs.rss(inputs.rss_item(1, body=inputs.QUADRATIC_REFERENCES), inputs.quadratic_blowup()))
    other = tmp_path / "fine.rss"
    other.write_bytes(inputs.rss(inputs.rss_item(2)))
    pages, rejected = run([hostile, other, good])
    assert rejected["quadratic.rss"].reason == "entity_amplification"
    assert {p.url for p in pages} == {"https://news.example/2", None}


def test_battery_h3_xxe_general_and_parameter(tmp_path: Path, good: Path, listener: socket.socket) -> None:
    assert tuple(int(part) for part in lxml.etree.__version__.split(".")[:3]) >= (6, 1, 3)  # BATTERY.md H3 pin
    secret = tmp_path / "hostname"
    secret.write_text("CANARY-6c1f-LOCAL-FILE")
    port = listener.getsockname()[1]
    prologs = {
        "general-file.rss": f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>',
        "general-http.rss": f'<!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/">]>',
        "parameter.rss": f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>',
        "external-dtd.rss": f'<!DOCTYPE rss SYSTEM "file://{secret}">',
        "xxe.xhtml": f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>',
    }
    paths = []
    for name, prolog in prologs.items():
        path = tmp_path / name
        body = (f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&x;</p><p>{inputs.ARTICLE_TEXT}</p></body></html>'
                if name.endswith("xhtml") else "")
        path.write_bytes(f'<?xml version="1.0"?>{prolog}'.encode() + body.encode() if body else
                         inputs.rss(inputs.rss_item(1, body="&x; " + inputs.ARTICLE_TEXT), prolog))
        paths.append(path)
    pages, rejected = run([*paths, good])
    assert {name: rejected[name].reason for name in prologs} == dict.fromkeys(prologs, "xxe_blocked")
    assert all("CANARY-6c1f" not in p.text for p in pages) and [p.source for p in pages] == [str(good)]
    assert_no_connection(listener)


@pytest.mark.parametrize("given", ["file:///etc/hostname", "gopher://127.0.0.1:70/_x", "FILE:///etc/passwd",
                                   "ftp://127.0.0.1/feed.xml"])
def test_battery_h4_bad_scheme_before_io(given: str, good: Path) -> None:
    pages, rejected = run([given, good])
    assert rejected[given].reason == "bad_scheme"
    assert [p.source for p in pages] == [str(good)]


def test_battery_h4_feedparser_receives_only_a_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    received: list[object] = []
    real = feedparser.parse

    def spy(source: object, **options: object) -> object:
        received.append(source)
        return real(source, **options)

    monkeypatch.setattr(feedparser, "parse", spy)
    parse_feed(FeedInput(inputs.rss(inputs.rss_item(1)), "feed.rss"))
    with pytest.raises(PageError):
        parse_feed(FeedInput(b"/etc/hostname", "path-as-bytes"))  # bytes naming a file are data, not a path
    assert len(received) == 2 and all(isinstance(value, io.BytesIO) for value in received)


@pytest.mark.parametrize("depth", [1_000, 10_000, 100_000])
def test_battery_h5_deep_nesting_isolated(depth: int) -> None:
    from narrascope.clean import clean_page
    from narrascope.ingest import page_from_text

    html = f"<html><body>{'<div>' * depth}<p>{inputs.ARTICLE_TEXT}</p>{'</div>' * depth}</body></html>"
    with WorkerPool(workers=1, timeout_s=30) as pool:
        [(_, outcome)] = list(pool.map(clean_page, [(f"deep-{depth}", page_from_text("deep.html", html, "html"))]))
    # libxml2 keeps 255 levels: every one of these depths loses the paragraph, and says so.
    assert isinstance(outcome, PageError) and outcome.reason == "depth_truncated"
    assert "255 levels" in outcome.message


def test_battery_h5_shallow_nesting_kept() -> None:
    from narrascope.clean import clean_page
    from narrascope.ingest import page_from_text

    html = f"<html><body>{'<div>' * 200}<p>{inputs.ARTICLE_TEXT}</p>{'</div>' * 200}</body></html>"
    assert "talks would resume" in clean_page(page_from_text("deep.html", html, "html")).body


def test_battery_h3_lxml_version_checked_at_startup(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from narrascope import cli
    from narrascope.runtime import check_runtime

    check_runtime()  # the pinned lxml passes
    monkeypatch.setattr(lxml.etree, "LXML_VERSION", (6, 0, 2, 0))
    assert cli.main(["articles", "--db", "missing.db"]) == cli.EXIT_FATAL
    assert "lxml 6.0.2 is installed, but narrascope needs lxml >= 6.1.3" in capsys.readouterr().err


def test_battery_h5_huge_text_node_rejected_before_parse(tmp_path: Path, good: Path) -> None:
    hostile = tmp_path / "node.html"
    hostile.write_bytes(b"<html><body><p>" + b"a" * (20 * 1024 * 1024) + b"</p></body></html>")
    pages, rejected = run([hostile, good])
    assert rejected["node.html"].reason == "too_large" and len(pages) == 1


def test_battery_h6_oversized_and_gzip_bomb(tmp_path: Path, good: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: no disk used
    bomb = tmp_path / "bomb.html.gz"
    member = gzip.compress(bytes(16 * 1024 * 1024), compresslevel=9)
    bomb.write_bytes(member * 64)  # 64 gzip members: 1 GiB of zeros in about 1 MB
    pages, rejected = run([big, bomb, good])
    assert (rejected["big.html"].reason, rejected["bomb.html.gz"].reason) == ("too_large", "too_large")
    assert len(pages) == 1


def test_battery_h7_pathological_page_killed_worker_replaced() -> None:
    from tests.battery import isolation_tasks

    items = [(f"page-{n}", n) for n in range(8)]
    with WorkerPool(workers=2, timeout_s=1.0, memory_bytes=None) as pool:
        started = time.monotonic()
        outcomes = dict(pool.map(isolation_tasks.hang_on_three, items))
        elapsed = time.monotonic() - started
        restarts = pool.restarts
    assert isinstance(outcomes["page-3"], PageError) and outcomes["page-3"].reason == "timeout"
    assert [outcomes[f"page-{n}"] for n in range(8) if n != 3] == [n for n in range(8) if n != 3]
    assert restarts == 1 and elapsed < 10


def test_battery_h8_feedparser_redos_author(tmp_path: Path, good: Path) -> None:
    hostile = tmp_path / "redos.rss"
    hostile.write_bytes(inputs.rss("".join(inputs.rss_item(n, author="a" * random.randint(40_000, 100_000))
                                           for n in range(100))))
    other = tmp_path / "other.rss"
    other.write_bytes(inputs.rss(inputs.rss_item(500)))
    started = time.monotonic()
    pages, rejected = run([hostile, other, good])
    elapsed = time.monotonic() - started
    assert not rejected and len(pages) == 102  # the feed finishes: long authors are cut before the regex
    assert elapsed < 10  # BATTERY.md: <= 5 s per feed; this is the hang guard (measured about 1 s)




@pytest.mark.parametrize(("name", "data", "outcome"), [
    ("bad-utf8.html", b'<html><head><meta charset="utf-8"></head><body><p>' + inputs.ARTICLE_TEXT.encode() +
     b" caf\xe9 \xff\xfe</p></body></html>", "page"),
    ("utf16.html", b"\xff\xfe" + inputs.GOOD_HTML.encode("utf-16-le"), "page"),
    ("nul.html", inputs.GOOD_HTML.replace("talks", "ta\0lks").encode(), "page"),
    pytest.param("cp1252.html", ("<html><body><p>" + inputs.ARTICLE_TEXT + " “café” — naïve</p></body></html>")
                 .encode("cp1252"), "page"),
    ("random.html", random.Random(7).randbytes(4096), "binary"),
    ("fake.html", b"%PDF-1.7\n" + bytes(range(256)) * 8, "binary"),
    ("photo.html", b"\xff\xd8\xff\xe0" + bytes(2000), "binary"),
])
def test_battery_h9_encodings(tmp_path: Path, good: Path, name: str, data: bytes, outcome: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    pages, rejected = run([path, good])
    if outcome == "page":
        [page] = [p for p in pages if p.source == str(path)]
        assert "\0" not in page.text and page.encoding
        assert page.encoding_confidence is not None and 0.0 < page.encoding_confidence <= 1.0
        assert "Ã" not in page.text and "talks would resume" in page.text.replace("\0", "")
        if name == "cp1252.html":
            assert "“café” — naïve" in page.text
    else:
        assert rejected[name].reason == outcome
    assert any(p.source == str(good) for p in pages)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \n", b"0123456789"])
def test_battery_h10_tiny_files(tmp_path: Path, good: Path, data: bytes) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes(data)
    pages, rejected = run([path, good])
    assert rejected["tiny.txt"].reason == "too_small" and len(pages) == 1


def _damaged_archives(tmp_path: Path) -> dict[str, tuple[Path, int]]:
    """Each H11 damage with the offset of the record where it starts."""
    plain, plain_offsets = build_warc(4, gzip=False)
    packed, packed_offsets = build_warc(4, gzip=True)
    middle = packed_offsets[2] + 30
    cases = {
        "half.warc.gz": (packed[: len(packed) // 2], None),
        "tail.warc.gz": (packed[:-10], packed_offsets[3]),
        "corrupt.warc.gz": (packed[:middle] + os.urandom(200) + packed[middle + 200:], packed_offsets[2]),
        "tail.warc": (plain[:-10], plain_offsets[3]),
        "length.warc": (plain.replace(b"Content-Length: ", b"Content-Length: 1", 4), None),
        "digest.warc": (plain.replace(b"Story number 2", b"Story numbeR 2"), plain_offsets[1]),
        "not.warc": (b"%PDF-1.4 this is not an archive" * 20, 0),
    }
    result = {}
    for name, (data, offset) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result[name] = (path, -1 if offset is None else offset)
    return result


def test_battery_h11_damaged_archives(tmp_path: Path, good: Path) -> None:
    for name, (path, offset) in _damaged_archives(tmp_path).items():
        items = list(iter_pages([str(path), str(good)]))
        damage = [i for i in items if isinstance(i, Rejection) and i.reason == "partial_archive"]
        assert damage, name
        assert any(i.source == str(good) for i in items if isinstance(i, RawPage)), name
        if offset >= 0:
            assert f"byte {offset}" in damage[0].message or damage[0].source.endswith(f"@{offset}"), (name, damage)
        before = [i.url for i in items if isinstance(i, RawPage) and i.url]
        assert before == [f"https://news.example/story/{n}" for n in range(1, len(before) + 1)] or name == "digest.warc"


def test_battery_h12_malformed_feed_flags(tmp_path: Path, good: Path) -> None:
    items = (inputs.rss_item(1, guid="dup") + inputs.rss_item(2, guid="dup") +
             inputs.rss_item(3, date="Mon, 01 Jan 0000 00:00:00 GMT") +
             inputs.rss_item(4, date="Fri, 31 Dec 9999 23:59:59 GMT") +
             inputs.rss_item(5, date="Sun, 01 Jan 2090 00:00:00 GMT") + inputs.rss_item(6))
    broken = inputs.rss(items).replace(b"</channel></rss>", b"<item><title>unclosed &nbsp; <b>")
    path = tmp_path / "bozo.rss"
    path.write_bytes(broken)
    pages, rejected = run([path, good])
    by_url = {p.url: p.text for p in pages}
    assert rejected["bozo.rss#entry-2"].reason == "duplicate_guid"
    assert set(by_url) == {None} | {f"https://news.example/{n}" for n in (1, 3, 4, 5, 6)}
    assert all("bozo" in by_url[f"https://news.example/{n}"] for n in (1, 3, 4, 5, 6))
    for number, flag in ((3, "date_unreadable"), (4, "date_in_future"), (5, "date_in_future")):
        assert flag in by_url[f"https://news.example/{number}"]
        assert "published_time" not in by_url[f"https://news.example/{number}"]
    assert "2026-03-02T10:00:00" in by_url["https://news.example/6"]
