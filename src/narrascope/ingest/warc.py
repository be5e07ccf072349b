"""Web archives (.warc, .warc.gz) -> one RawPage per archived HTML response, damage reported by offset.

warcio reads a truncated .warc.gz without any error (BATTERY.md H11), so the archive's framing is
checked here first, record by record: each gzip member must end with its checksum, each record must
start with `WARC/1.x`, carry a numeric Content-Length, hold exactly that many bytes followed by CRLF CRLF,
and match its WARC-Block-Digest when it has one. warcio then parses only records that passed.

The first framing fault ends the archive: the records before it are yielded, then one Rejection
`partial_archive` whose message names the byte offset (in the file as stored, compressed or not) where
the damage starts. A record whose digest does not match is rejected on its own and reading goes on,
since its neighbours are intact.

Example:
    >>> for item in iter_warc_pages("crawl.warc.gz"):
    ...     print(item.source)
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

from narrascope.errors import PageError
from narrascope.ingest.decode import content_id, decode_text, read_capped
from narrascope.models import RawPage, Rejection

__all__ = ["iter_warc_pages", "iter_warc_stream"]

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_MAX_OUTPUT = 1024 * 1024
_MAX_HEADER_BYTES = 64 * 1024  # a WARC header block is a few hundred bytes; 64 KiB leaves room for many fields
_HTTP_HEAD_BYTES = 64 * 1024  # HTTP headers kept beside the page cap
_PAGE_TYPES = {"response", "resource"}
# The WARC 1.1 standard (ISO 28500, section 5) makes these four fields mandatory in every record.
_MANDATORY = ("warc-record-id", "content-length", "warc-date", "warc-type")
_HEADER_NAME = re.compile(r"[!#-'*+.0-9A-Z^-z|~-]+")  # an RFC 9110 token
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class _Damage(Exception):
    """The archive is damaged from `offset` on."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Stream:
    """The archive's bytes, gunzipped member by member when compressed, with raw offsets kept.

    For a .warc.gz, `record_offset()` is the file offset of the gzip member holding the next byte;
    for a plain .warc it is the file offset of that byte.
    """

    def __init__(self, raw: BinaryIO, *, is_gzip: bool) -> None:
        self._raw = raw
        self._is_gzip = is_gzip
        self._buffer = bytearray()
        self._raw_position = 0  # raw bytes consumed from the file
        self._member_start = 0  # raw offset of the gzip member now being read
        self._decoded = 0  # bytes handed out (plain archives: equals the raw offset)
        self._decompressor: zlib._Decompress | None = None
        self._pending = b""  # raw bytes read but not yet fed to a decompressor
        self._is_eof = False
        self._buffer_member_start = 0

    def record_offset(self) -> int:
        """Raw offset where the next byte's record starts (its gzip member for compressed archives)."""
        return self._buffer_member_start if self._is_gzip else self._decoded

    def _fill(self) -> bool:
        """Add bytes to the buffer; False at the end of the archive."""
        if self._is_eof:
            return False
        if not self._is_gzip:
            chunk = self._raw.read(_CHUNK)
            if not chunk:
                self._is_eof = True
                return False
            self._buffer += chunk
            return True
        while True:
            if not self._pending:
                self._pending = self._raw.read(_CHUNK)
                if not self._pending:
                    if self._decompressor is not None:
                        raise _Damage(self._member_start, "the archive is truncated inside a gzip member")
                    self._is_eof = True
                    return False
            if self._decompressor is None:
                if not self._buffer:
                    self._buffer_member_start = self._raw_position
                self._member_start = self._raw_position
                self._decompressor = zlib.decompressobj(wbits=31)
            fed = self._pending
            try:
                # Bounded output per call: a gzip bomb inside an archive fills memory one MiB at a time.
                output = self._decompressor.decompress(fed, _MAX_OUTPUT)
            except zlib.error as error:
                raise _Damage(self._member_start, f"corrupt gzip data ({error})") from error
            is_member_end = self._decompressor.eof
            unused = self._decompressor.unused_data if is_member_end else self._decompressor.unconsumed_tail
            self._raw_position += len(fed) - len(unused)
            self._pending = unused
            if is_member_end:
                self._decompressor = None
            if output:
                if not self._buffer:
                    self._buffer_member_start = self._member_start
                self._buffer += output
                return True

    def peek_nonblank(self) -> bool:
        """Skip blank bytes between records; False at a clean end of the archive."""
        while True:
            stripped = self._buffer.lstrip(b"\r\n")
            self._decoded += len(self._buffer) - len(stripped)
            self._buffer = bytearray(stripped)
            if self._buffer:
                return True
            if not self._fill():
                return False

    def read_line(self, limit: int) -> bytes:
        """One line with its ending, at most `limit` bytes; fewer only at the end of the archive."""
        while b"\n" not in self._buffer[:limit] and len(self._buffer) < limit and self._fill():
            pass
        end = self._buffer.find(b"\n", 0, limit)
        return self.read(end + 1 if end >= 0 else min(limit, len(self._buffer)))

    def read(self, size: int) -> bytes:
        """Exactly `size` bytes, or fewer only at the end of the archive."""
        while len(self._buffer) < size and self._fill():
            pass
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        self._decoded += len(data)
        return data


@dataclass(frozen=True)
class _Record:
    offset: int
    headers: dict[str, str]
    head: bytes  # the version line and header lines as stored
    block: bytes | None  # kept only for page records under the cap
    size: int


def _read_record(stream: _Stream, keep_cap: int) -> _Record | None:
    """Read and check one record; None at a clean end of the archive."""
    if not stream.peek_nonblank():
        return None
    offset = stream.record_offset()
    version = stream.read_line(64)
    if not version.startswith((b"WARC/1.0", b"WARC/1.1")):
        what = "not a WARC file" if offset == 0 else "a record does not start with WARC/1.x"
        raise _Damage(offset, what)
    headers: dict[str, str] = {}
    head = bytearray(version)
    while True:
        line = stream.read_line(_MAX_HEADER_BYTES)
        head += line
        header_bytes = len(head)
        if not line.endswith(b"\n") or header_bytes > _MAX_HEADER_BYTES:
            raise _Damage(offset, "the record's header is truncated or too long")
        if line in (b"\r\n", b"\n"):
            break
        name, colon, value = line.decode("utf-8", "replace").partition(":")
        if line[:1] in (b" ", b"\t") and headers:  # a folded continuation line
            continue
        if not colon or not _HEADER_NAME.fullmatch(name) or _CONTROL.search(value.rstrip("\r\n")):
            raise _Damage(offset, "a header line of the record is garbled")
        headers[name.lower()] = value.strip()
    missing = [name for name in _MANDATORY if name not in headers]
    if missing:
        raise _Damage(offset, f"the record lacks the mandatory header {missing[0]}")
    length_text = headers.get("content-length", "")
    if not length_text.isdigit():
        raise _Damage(offset, f"bad Content-Length {length_text!r}")
    size = int(length_text)
    is_page = headers.get("warc-type", "") in _PAGE_TYPES
    digest = _Digest(headers.get("warc-block-digest"))
    kept = bytearray() if is_page and size <= keep_cap else None
    remaining = size
    while remaining:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            raise _Damage(offset, f"the record is truncated ({size - remaining} of {size} bytes)")
        remaining -= len(chunk)
        digest.update(chunk)
        if kept is not None:
            kept += chunk
    ending = stream.read(4)
    if len(ending) < 4:
        raise _Damage(offset, "the archive is truncated at the end of a record")
    if ending != b"\r\n\r\n":
        raise _Damage(offset, "the record's Content-Length does not match its content")
    if not digest.matches():
        raise _DigestMismatch(offset, "the record's WARC-Block-Digest does not match its content")
    return _Record(offset, headers, bytes(head), bytes(kept) if kept is not None else None, size)


class _DigestMismatch(_Damage):
    """One record's content is altered; the framing around it is intact."""


class _Digest:
    """A WARC digest (`sha1:BASE32`, also sha256/md5 in base32 or hex) checked while reading."""

    _ALGORITHMS: ClassVar[dict[str, str]] = {"sha1": "sha1", "sha256": "sha256", "sha-256": "sha256", "md5": "md5"}

    def __init__(self, header: str | None) -> None:
        algorithm, _, self._expected = (header or "").partition(":")
        name = self._ALGORITHMS.get(algorithm.strip().lower())
        self._hash = hashlib.new(name) if name and self._expected else None

    def update(self, data: bytes) -> None:
        if self._hash is not None:
            self._hash.update(data)

    def matches(self) -> bool:
        if self._hash is None:
            return True  # no digest, or one we do not know: nothing to check
        raw = self._hash.digest()
        expected = self._expected.strip()
        return expected.upper() in (base64.b32encode(raw).decode(), raw.hex().upper())


def _page_of(record: _Record, source: str, max_page_bytes: int, min_chars: int) -> RawPage | Rejection | None:
    """The HTML page inside a record, a Rejection, or None when the record holds no page."""
    from warcio.archiveiterator import ArchiveIterator

    url = record.headers.get("warc-target-uri") or None
    where = f"{source}@{record.offset}"
    if record.block is None:
        logger.info("%s: record of %d bytes skipped (over the page cap)", where, record.size)
        return Rejection(url or where, "too_large", f"the archived record at byte {record.offset} is over the page cap")
    raw = record.head + record.block + b"\r\n\r\n"
    for parsed in ArchiveIterator(io.BytesIO(raw)):
        content_type = (parsed.http_headers.get_header("Content-Type") if parsed.http_headers
                        else parsed.rec_headers.get_header("Content-Type")) or ""
        status = parsed.http_headers.get_statuscode() if parsed.http_headers else "200"
        if "html" not in content_type.lower() or not str(status).startswith("2"):
            return None
        try:
            payload = read_capped(parsed.content_stream(), url or where, max_page_bytes)
            decoded = decode_text(payload, url or where, min_chars)
        except PageError as error:
            return Rejection(error.source, error.reason, error.message)
        return RawPage(id=content_id(decoded.text), source=url or where, kind="html", text=decoded.text, url=url,
                       fetched_at=record.headers.get("warc-date") or None, encoding=decoded.encoding,
                       encoding_confidence=decoded.confidence)
    return None


def iter_warc_stream(raw: BinaryIO, source: str, *, is_gzip: bool, max_page_bytes: int = 10 * 1024**2,
                     min_page_chars: int = 20) -> Iterator[RawPage | Rejection]:
    """Yield pages of the HTML responses in an archive stream, then a `partial_archive` Rejection if damaged.

    Args:
        raw: the archive's bytes as stored (gzip members for a .warc.gz).
        source: the archive's name, used in rejections (`source@offset` for one record).
        is_gzip: whether the stream is a .warc.gz.
    """
    stream = _Stream(raw, is_gzip=is_gzip)
    keep_cap = max_page_bytes + _HTTP_HEAD_BYTES
    records = 0
    while True:
        try:
            record = _read_record(stream, keep_cap)
        except _DigestMismatch as damage:
            logger.warning("%s: digest mismatch at byte %d", source, damage.offset)
            yield Rejection(f"{source}@{damage.offset}", "partial_archive",
                            f"damaged record at byte {damage.offset}: {damage.message}; record skipped")
            continue
        except _Damage as damage:
            logger.warning("%s: damaged from byte %d (%s)", source, damage.offset, damage.message)
            yield Rejection(source, "partial_archive", f"damaged from byte {damage.offset}: {damage.message}; "
                            f"{records} records before it were read")
            return
        except Exception as error:  # the typed set only: anything unforeseen is damage, not a crash
            logger.exception("%s: unexpected failure reading the archive", source)
            yield Rejection(source, "partial_archive", f"unreadable from byte {stream.record_offset()}: "
                            f"{type(error).__name__}: {error}")
            return
        if record is None:
            if records == 0:
                yield Rejection(source, "too_small", "the archive holds no records")
            return
        records += 1
        if record.headers.get("warc-type", "") not in _PAGE_TYPES:
            continue
        try:
            item = _page_of(record, source, max_page_bytes, min_page_chars)
        except Exception as error:  # warcio failing on a record that passed the framing checks
            item = Rejection(f"{source}@{record.offset}", "unreadable", f"{type(error).__name__}: {error}")
        if item is not None:
            yield item


def iter_warc_pages(path: str | Path, *, max_page_bytes: int = 10 * 1024**2,
                    min_page_chars: int = 20) -> Iterator[RawPage | Rejection]:
    """Yield pages of a .warc or .warc.gz file (gzip recognised by its magic bytes, not its name)."""
    source = str(path)
    try:
        with Path(path).open("rb") as raw:
            is_gzip = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            yield from iter_warc_stream(raw, source, is_gzip=is_gzip, max_page_bytes=max_page_bytes,
                                        min_page_chars=min_page_chars)
    except OSError as error:
        yield Rejection(source, "unreadable", error.strerror or str(error))
