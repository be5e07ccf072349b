"""H13: fuzz targets for parse_feed, the WARC reader and decode_page, seeded with the H1-H12 inputs.

Each target takes bytes and checks the contract: the parser returns pages and typed rejections, or
raises a PageError whose reason is in the typed set, within its time cap. Hypothesis mutates the seeds
(insertions, deletions, overwrites, truncations). `tests/battery/test_battery_fuzz.py` runs a few dozen
examples per target in `make test`; `bench/battery.py` runs each for minutes.
"""

from __future__ import annotations

import io
import time

from hypothesis import strategies as st

from narrascope.errors import PageError
from narrascope.ingest.decode import decode_page
from narrascope.ingest.feeds import FeedInput, parse_feed
from narrascope.ingest.warc import iter_warc_stream
from narrascope.models import RawPage, Rejection
from tests.battery import inputs
from tests.battery.warc_samples import build_warc

FEED_REASONS = {"xxe_blocked", "entity_amplification", "not_a_feed", "empty_feed", "unreadable"}
ITEM_REASONS = {"duplicate_guid", "too_small", "too_large", "partial_archive", "binary", "unreadable"}
DECODE_REASONS = {"too_small", "binary"}
FEED_CAP_S = 5.0  # BATTERY.md: <= 5 s per feed
DOC_CAP_S = 30.0  # BATTERY.md: <= 30 s per document


def _feed_seeds() -> list[bytes]:
    items = inputs.rss_item(1) + inputs.rss_item(2, guid="1", date="Mon, 01 Jan 0000 00:00:00 GMT")
    return [
        inputs.rss(items),
        inputs.atom("<entry><title>T</title><id>x</id><updated>9999-12-31T00:00:00Z</updated>"
                    f"<content type='html'>&lt;p&gt;{inputs.ARTICLE_TEXT}&lt;/p&gt;</content></entry>"),
        inputs.rss(inputs.rss_item(1).replace("Story 1", "&lol3;"), inputs.billion_laughs(4)),
        inputs.rss(inputs.rss_item(1, body="&a;" * 50), inputs.quadratic_blowup(100)),
        inputs.rss(inputs.rss_item(1, body="&x;"), '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'),
        inputs.rss(inputs.rss_item(1, author="a" * 2000)),
        inputs.rss(items).replace(b"</channel></rss>", b"<item><title>unclosed &nbsp;"),
        # Regressions found by the fuzzer: a garbled encoding name made feedparser raise.
        inputs.rss(items).replace(b'encoding="utf-8"', b'encoding="\x80utf-8"'),
        inputs.rss(items).replace(b'encoding="utf-8"', b'encoding="\x00utf-8"'),
        "<?xml version='1.0' encoding='utf-16'?><rss><channel><item><title>é</title></item></channel></rss>"
        .encode("utf-16"),
    ]


def _warc_seeds() -> list[bytes]:
    packed, _ = build_warc(2, gzip=True)
    plain, _ = build_warc(2, gzip=False)
    return [packed, plain, packed[:-10], plain[: len(plain) // 2]]


def _decode_seeds() -> list[bytes]:
    return [inputs.GOOD_HTML.encode(), b"\xff\xfe" + inputs.GOOD_HTML.encode("utf-16-le"),
            inputs.GOOD_HTML.encode("cp1252"), b"%PDF-1.4" + bytes(100), b"a\0b\0" * 50, b"  \n"]


FEED_SEEDS, WARC_SEEDS, DECODE_SEEDS = _feed_seeds(), _warc_seeds(), _decode_seeds()


def _apply(seed: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for position, operation, chunk in edits:
        where = position % (len(data) + 1)
        if operation == 0:
            data[where:where] = chunk
        elif operation == 1:
            del data[where:where + len(chunk) + 1]
        elif operation == 2:
            data[where:where + len(chunk)] = chunk
        else:
            del data[where:]
    return bytes(data)


def mutated(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """Seeds with up to eight random edits, plus plain random bytes."""
    edit = st.tuples(st.integers(0, 1 << 20), st.integers(0, 3), st.binary(min_size=1, max_size=32))
    edited = st.builds(_apply, st.sampled_from(seeds), st.lists(edit, max_size=8))
    return st.one_of(edited, st.binary(max_size=2048))


def check_feed(data: bytes) -> None:
    """parse_feed returns pages and typed rejections, or raises a typed PageError, within 5 s."""
    started = time.monotonic()
    try:
        items = parse_feed(FeedInput(data, "fuzz.rss"))
    except PageError as error:
        assert error.reason in FEED_REASONS, error
    else:
        for item in items:
            assert isinstance(item, RawPage) or (isinstance(item, Rejection) and item.reason in ITEM_REASONS), item
            assert not isinstance(item, RawPage) or "\0" not in item.text
    assert time.monotonic() - started < FEED_CAP_S


def check_warc(data: bytes) -> None:
    """The WARC reader never raises; it yields pages and typed rejections, within 30 s."""
    started = time.monotonic()
    for is_gzip in (True, False):
        for item in iter_warc_stream(io.BytesIO(data), "fuzz.warc", is_gzip=is_gzip):
            assert isinstance(item, RawPage) or (isinstance(item, Rejection) and item.reason in ITEM_REASONS), item
    assert time.monotonic() - started < DOC_CAP_S


def check_decode(data: bytes) -> None:
    """decode_page returns text without NULs, or raises a typed PageError."""
    try:
        text, encoding = decode_page(data, "fuzz.html", 20)
    except PageError as error:
        assert error.reason in DECODE_REASONS, error
    else:
        assert "\0" not in text and encoding
