"""Small web archives written with warcio's own writer (no downloads), for the WARC tests."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE = ("<html><head><title>Story {n}</title></head><body><article><p>The minister said on Tuesday that "
           "the talks would resume next week, officials confirmed. Story number {n}.</p></article></body></html>")


def build_warc(count: int = 3, *, gzip: bool = True, extra_records: bool = True) -> tuple[bytes, list[int]]:
    """An archive with `count` HTML responses (plus a warcinfo, a request and an image when `extra_records`).

    Returns the bytes and the file offset of each HTML response record.
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    offsets: list[int] = []
    if extra_records:
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "narrascope-tests"}))
    for n in range(1, count + 1):
        url = f"https://news.example/story/{n}"
        if extra_records:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        body = ARTICLE.format(n=n).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        offsets.append(buffer.tell())
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
        if extra_records and n == 1:
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"{url}.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG" + b"\0" * 100),
                                                          http_headers=image))
    return buffer.getvalue(), offsets
