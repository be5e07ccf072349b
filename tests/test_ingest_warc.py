"""WARC: HTML responses become pages; damage is reported with the byte offset where it starts."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from narrascope.ingest.warc import iter_warc_pages, iter_warc_stream
from narrascope.models import RawPage, Rejection
from tests.battery.warc_samples import build_warc


def read(data: bytes, *, is_gzip: bool) -> list[RawPage | Rejection]:
    return list(iter_warc_stream(io.BytesIO(data), "a.warc", is_gzip=is_gzip))


def urls(items: list[RawPage | Rejection]) -> list[str | None]:
    return [item.url for item in items if isinstance(item, RawPage)]


def rejections(items: list[RawPage | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


@pytest.mark.parametrize("is_gzip", [True, False])
def test_ingest_warc_html_responses_only(is_gzip: bool) -> None:
    data, _ = build_warc(3, gzip=is_gzip)
    items = read(data, is_gzip=is_gzip)
    assert urls(items) == [f"https://news.example/story/{n}" for n in (1, 2, 3)]
    assert not rejections(items)
    page = items[0]
    assert isinstance(page, RawPage) and page.kind == "html" and "Story number 1" in page.text
    assert page.fetched_at and page.fetched_at.endswith("Z")


@pytest.mark.parametrize("is_gzip", [True, False])
def test_ingest_warc_truncated_keeps_records_before(is_gzip: bool) -> None:
    data, offsets = build_warc(3, gzip=is_gzip)
    items = read(data[:-10], is_gzip=is_gzip)
    assert urls(items) == ["https://news.example/story/1", "https://news.example/story/2"]
    [damage] = rejections(items)
    assert damage.reason == "partial_archive" and f"byte {offsets[2]}" in damage.message


def test_ingest_warc_gzip_member_corruption_located() -> None:
    data, offsets = build_warc(3, gzip=True)
    broken = data[:offsets[1] + 40] + b"\xff" * 200 + data[offsets[1] + 240:]
    items = read(broken, is_gzip=True)
    assert urls(items) == ["https://news.example/story/1"]
    assert f"byte {offsets[1]}" in rejections(items)[0].message


def test_ingest_warc_bad_content_length() -> None:
    data, offsets = build_warc(2, gzip=False, extra_records=False)
    head_end = data.index(b"Content-Length: ", offsets[1])
    broken = data[:head_end] + b"Content-Length: 99" + data[head_end + len(b"Content-Length: "):]
    items = read(broken, is_gzip=False)
    assert urls(items) == ["https://news.example/story/1"]
    assert f"byte {offsets[1]}" in rejections(items)[0].message


def test_ingest_warc_digest_mismatch_skips_one_record() -> None:
    data, offsets = build_warc(3, gzip=False)
    items = read(data.replace(b"Story number 2", b"Story numbeR 2"), is_gzip=False)
    assert urls(items) == ["https://news.example/story/1", "https://news.example/story/3"]
    [damage] = rejections(items)
    assert damage.source == f"a.warc@{offsets[1]}" and "Digest" in damage.message


def test_ingest_warc_not_an_archive(tmp_path: Path) -> None:
    plain = tmp_path / "x.warc"
    plain.write_bytes(b"<html>this is not a web archive</html>" * 10)
    packed = tmp_path / "y.warc.gz"
    packed.write_bytes(gzip.compress(b"<html>neither is this</html>" * 10))
    for path in (plain, packed):
        [item] = list(iter_warc_pages(path))
        assert isinstance(item, Rejection) and item.reason == "partial_archive" and "byte 0" in item.message


def test_ingest_warc_file_detects_gzip_by_magic(tmp_path: Path) -> None:
    data, _ = build_warc(2, gzip=True)
    path = tmp_path / "crawl.warc"  # compressed content under a plain name
    path.write_bytes(data)
    assert len(urls(list(iter_warc_pages(path)))) == 2


def test_ingest_warc_empty_and_missing(tmp_path: Path) -> None:
    empty = tmp_path / "e.warc"
    empty.write_bytes(b"")
    assert [i.reason for i in iter_warc_pages(empty) if isinstance(i, Rejection)] == ["too_small"]
    assert [i.reason for i in iter_warc_pages(tmp_path / "nope.warc") if isinstance(i, Rejection)] == ["unreadable"]
