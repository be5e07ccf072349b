"""Bytes -> text: size caps, binary sniffing and charset detection."""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass

import charset_normalizer

from narrascope.errors import PageError

# Magic numbers of formats that are sometimes saved or served as pages but hold no text.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data inside a file not named .gz"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a media file"),
)


def content_id(text: str) -> str:
    """Stable id of a page: the first 16 hex digits of the sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_capped(stream: io.BufferedIOBase, source: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes` bytes, or raise `too_large` without reading the rest."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PageError(source, "too_large", f"over {max_bytes // (1024 * 1024)} MiB; raise the cap to ingest it")
    return data


def gunzip_capped(data: bytes, source: str, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing output over `max_bytes` (a gzip bomb stops at the cap)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return read_capped(stream, source, max_bytes)
    except (OSError, EOFError) as error:
        raise PageError(source, "unreadable", f"not valid gzip data ({error})") from error


@dataclass(frozen=True)
class DecodedText:
    """Page text with the encoding it was read in and how sure the detection was (0..1; BATTERY.md H9)."""

    text: str
    encoding: str
    confidence: float


def decode_page(data: bytes, source: str, min_chars: int) -> tuple[str, str]:
    """Decode page bytes to text, returning (text, encoding name); see `decode_text`."""
    decoded = decode_text(data, source, min_chars)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, source: str, min_chars: int) -> DecodedText:
    """Decode page bytes to text, with the encoding and the detection's confidence.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are; anything else is
    guessed by charset-normalizer (cp1251, latin-1, ...). NUL bytes are dropped because no
    page text holds them and PostgreSQL's `text` rejects them.

    Raises:
        PageError: `too_small` for empty pages, `binary` for images, PDFs and other non-text.
    """
    if not data.strip():
        raise PageError(source, "too_small", "the file is empty")
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise PageError(source, "binary", f"this is {what}, not a page")
    text, encoding, confidence = _decode(data, source)
    text = text.replace("\x00", "")
    if _control_share(text) > 0.05:
        raise PageError(source, "binary", "the file holds binary data, not page text")
    if len(text.strip()) < min_chars:
        raise PageError(source, "too_small", f"only {len(text.strip())} characters of text")
    return DecodedText(text, encoding, confidence)


def _decode(data: bytes, source: str) -> tuple[str, str, float]:
    """Text, encoding and confidence: 1.0 when a BOM or valid UTF-8 says it, else 1 - charset-normalizer's chaos."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", 1.0
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", 1.0
    if data.count(b"\x00") > len(data) // 10:
        raise PageError(source, "binary", "the file holds binary data, not page text")
    try:
        return data.decode("utf-8"), "utf-8", 1.0
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise PageError(source, "binary", "no text encoding fits these bytes")
    # On short pages several single-byte encodings fit equally well and the first listed wins
    # ("naïve" read as cp1250 gives "naďve"). At a tie, prefer Windows-1252: the web's most common
    # single-byte encoding, and what HTML5 reads a latin-1 label as.
    for match in matches:
        if (match.encoding == "cp1252" and match.chaos <= best.chaos and match.coherence >= best.coherence):
            return str(match), "cp1252", round(1.0 - float(match.chaos), 3)
    return str(best), str(best.encoding), round(1.0 - float(best.chaos), 3)


def _control_share(text: str) -> float:
    """Share of characters that are control codes other than whitespace (binary data has many)."""
    sample = text[:20000]
    if not sample:
        return 0.0
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f\v")
    controls += sample.count("\ufffd")
    return controls / len(sample)
