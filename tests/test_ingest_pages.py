"""Ingest: every input ends as a RawPage or a typed Rejection naming the file and the reason."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from narrascope.config import IngestSettings
from narrascope.ingest import iter_pages
from narrascope.models import RawPage, Rejection

ARTICLE = "Officials said on Monday that the bridge would reopen next week after repairs.\n" * 3


def _only(items: list[RawPage | Rejection]) -> RawPage | Rejection:
    assert len(items) == 1, items
    return items[0]


def test_ingest_text_html_and_gzip_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt.gz").write_bytes(gzip.compress(("Other " + ARTICLE).encode()))
    pages = list(iter_pages([str(tmp_path)]))
    assert [type(p) for p in pages] == [RawPage, RawPage, RawPage]
    kinds = {Path(p.source).name: p.kind for p in pages if isinstance(p, RawPage)}
    assert kinds == {"a.txt": "text", "b.html": "html", "c.txt.gz": "text"}


def test_ingest_ids_are_content_hashes(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "three.txt").write_text(ARTICLE + "More.", encoding="utf-8")
    ids = [p.id for p in iter_pages([str(tmp_path)]) if isinstance(p, RawPage)]
    assert ids[0] == ids[2] and ids[0] != ids[1]  # sorted: one, three, two


def test_ingest_jsonl_pages_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://example.org/a", "text": ARTICLE, "fetched_at": "2024-01-01T00:00:00Z"}),
        json.dumps({"url": "https://example.org/b", "html": f"<p>{ARTICLE}</p>"}),
        "{not json",
        json.dumps({"url": "https://example.org/c"}),
        "",
    ]
    (tmp_path / "pages.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = list(iter_pages([str(tmp_path / "pages.jsonl")]))
    pages = [i for i in items if isinstance(i, RawPage)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [p.source for p in pages] == ["https://example.org/a", "https://example.org/b"]
    assert pages[0].fetched_at == "2024-01-01T00:00:00Z" and pages[1].kind == "html"
    assert pages[0].url == "https://example.org/a"
    assert [(r.source.rsplit(":", 1)[1], r.reason) for r in rejections] == [("3", "bad_json"), ("4", "bad_json")]


def test_ingest_empty_and_tiny_files_are_too_small(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (tmp_path / "tiny.txt").write_text("ten bytes!", encoding="utf-8")
    reasons = {Path(r.source).name: r.reason for r in iter_pages([str(tmp_path)]) if isinstance(r, Rejection)}
    assert reasons == {"empty.txt": "too_small", "blank.txt": "too_small", "tiny.txt": "too_small"}


def test_ingest_binary_files_are_rejected_with_reason(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "photo.html").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 500)
    rejections = [r for r in iter_pages([str(tmp_path)]) if isinstance(r, Rejection)]
    assert {Path(r.source).name: r.reason for r in rejections} == {
        "scan.txt": "binary", "noise.txt": "binary", "photo.html": "binary"}
    assert all(r.message for r in rejections)


def test_ingest_large_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: nothing is read from it
    rejection = _only(list(iter_pages([str(big)])))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "too_large" and "50.0 MiB" in rejection.message


def test_ingest_gzip_bomb_stops_at_cap(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (3 * 1024 * 1024)))
    rejection = _only(list(iter_pages([str(tmp_path)], IngestSettings(max_page_bytes=1024 * 1024))))
    assert isinstance(rejection, Rejection) and rejection.reason == "too_large"


def test_ingest_legacy_encodings_are_decoded(tmp_path: Path) -> None:
    russian = "Министр обороны заявил, что угроза исходит из соседней страны. " * 4
    (tmp_path / "ru.txt").write_bytes(russian.encode("cp1251"))
    french = "Le ministre a déclaré que la sécurité régionale était menacée, à l'été. " * 4
    (tmp_path / "fr.txt").write_bytes(french.encode("latin-1"))
    pages = {Path(p.source).name: p for p in iter_pages([str(tmp_path)]) if isinstance(p, RawPage)}
    assert pages["ru.txt"].text.strip() == russian.strip()
    assert pages["fr.txt"].text.strip() == french.strip()
    assert pages["ru.txt"].encoding != "utf-8"


def test_ingest_utf16_and_nul_bytes(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "nul.txt").write_bytes(ARTICLE.encode() + b"\x00tail")
    pages = {Path(p.source).name: p for p in iter_pages([str(tmp_path)]) if isinstance(p, RawPage)}
    assert pages["u16.txt"].text == ARTICLE
    assert "\x00" not in pages["nul.txt"].text


def test_ingest_missing_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 zip")
    items = list(iter_pages([str(tmp_path / "nowhere"), str(tmp_path / "notes.docx")]))
    assert [(type(i), getattr(i, "reason", None)) for i in items] == [
        (Rejection, "not_found"), (Rejection, "unsupported")]


def test_ingest_html_saved_as_txt_is_html(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(f"<!DOCTYPE html><html><body><p>{ARTICLE}</p></body></html>")
    page = _only(list(iter_pages([str(tmp_path)])))
    assert isinstance(page, RawPage) and page.kind == "html"


def test_ingest_windows_1252_and_1250_told_apart(tmp_path: Path) -> None:
    western = "The café owner said the “naïve” plan — announced on Monday — would fail. " * 2
    (tmp_path / "west.txt").write_bytes(western.encode("cp1252"))
    czech = "Příliš žluťoučký kůň úpěl ďábelské ódy. Česká vláda oznámila, že změny jsou nutné. " * 2
    (tmp_path / "cz.txt").write_bytes(czech.encode("cp1250"))
    pages = {Path(p.source).name: p for p in iter_pages([str(tmp_path)]) if isinstance(p, RawPage)}
    assert pages["west.txt"].text == western
    assert pages["cz.txt"].text == czech
