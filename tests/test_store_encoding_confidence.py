"""H9: the detected encoding and the detection's confidence are stored with each page and read back."""

from __future__ import annotations

from pathlib import Path

from narrascope.ingest import iter_pages
from narrascope.ingest.decode import decode_text
from narrascope.models import RawPage
from narrascope.store import Store

TEXT = "Le ministre a déclaré que les négociations reprendraient la semaine prochaine, à Genève. " * 3


def test_store_encoding_confidence_round_trip(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(TEXT.encode("cp1252"))
    (tmp_path / "utf8.txt").write_bytes(TEXT.encode("utf-8"))
    pages = {Path(p.source).name: p for p in iter_pages([str(tmp_path)]) if isinstance(p, RawPage)}
    assert (pages["utf8.txt"].encoding, pages["utf8.txt"].encoding_confidence) == ("utf-8", 1.0)
    latin = pages["latin.txt"]
    assert latin.encoding != "utf-8" and latin.encoding_confidence is not None
    assert 0.5 < latin.encoding_confidence <= 1.0
    assert "négociations" in latin.text
    with Store(str(tmp_path / "db.sqlite")) as store:
        store._connection.execute(  # the page row alone: encoding columns are what is checked here
            "INSERT INTO pages (id, source, kind, encoding, encoding_confidence, page_text, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, '')",
            (latin.id, latin.source, latin.kind, latin.encoding, latin.encoding_confidence, latin.text))
        [stored] = list(store.pages())
    assert (stored.encoding, stored.encoding_confidence) == (latin.encoding, latin.encoding_confidence)


def test_store_encoding_confidence_bom() -> None:
    decoded = decode_text(b"\xff\xfe" + TEXT.encode("utf-16-le"), "bom.txt", 20)
    assert (decoded.encoding, decoded.confidence) == ("utf-16", 1.0)
