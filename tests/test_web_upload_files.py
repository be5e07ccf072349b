"""Files uploaded from the browser go through the real ingest path, each with its own outcome (issue 6)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narrascope.store import Store
from narrascope.web import create_app
from narrascope.web.upload import safe_name
from tests.test_speakers_overrides import PAGE

pytestmark = pytest.mark.slow
TOKEN = "upload-token-5"


@pytest.fixture
def writable(tmp_path: Path) -> tuple[TestClient, str]:
    db = str(tmp_path / "n.db")
    Store(db).close()
    return TestClient(create_app(db, allow_writes=True, token=TOKEN)), db


def _files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", ("bridge.txt", PAGE.encode(), "text/plain")),
        ("files", ("bridge-copy.txt.gz", gzip.compress(PAGE.encode()), "application/gzip")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "text/html")),
        ("files", ("menu.html", b"<html><body><nav>Home News Sport</nav></body></html>", "text/html")),
        ("files", ("../../setup.exe", b"MZ" * 100, "application/octet-stream")),
    ]


def test_web_upload_files_lists_each_outcome(writable: tuple[TestClient, str]) -> None:
    client, db = writable
    response = client.post("/upload/files", data={"token": TOKEN}, files=_files())
    assert response.status_code == 200, response.text
    page = response.text
    rows = {row.split("</td>")[0].split("<td>")[-1]: row for row in page.split('<tr class="outcome-')[1:]}
    assert rows["bridge.txt"].startswith("stored") and "/articles/" in rows["bridge.txt"]
    assert rows["bridge-copy.txt.gz"].startswith("unchanged")  # the same text, already stored
    assert "<code>too_small</code>" in rows["empty.txt"]
    assert "<code>binary</code>" in rows["photo.html"]
    assert "<code>empty_extraction</code>" in rows["menu.html"]
    assert "<code>unsupported</code>" in rows["setup.exe"]  # the name only, never the path it claimed
    assert "1 stored, 1 already stored, 4 rejected" in page
    with Store(db, read_only=True) as store:
        assert len(store.articles()) == 1
        assert {r.source: r.reason for r in store.rejections()} == {
            "upload:empty.txt": "too_small", "upload:photo.html": "binary", "upload:menu.html": "empty_extraction",
            "upload:setup.exe": "unsupported"}


def test_web_upload_files_api_needs_writes_and_the_token(writable: tuple[TestClient, str], tmp_path: Path) -> None:
    client, db = writable
    one = [("files", ("bridge.txt", PAGE.encode(), "text/plain"))]
    assert client.post("/api/v1/upload/files", files=one).status_code == 403
    assert client.post("/api/v1/upload/files", files=one, headers={"X-Narrascope-Token": "x"}).status_code == 403
    assert client.post("/upload/files", data={"token": "x"}, files=one).status_code == 403
    assert client.post("/api/v1/upload/files", json={}, headers={"X-Narrascope-Token": TOKEN}).status_code == 415
    answer = client.post("/api/v1/upload/files", files=one, headers={"X-Narrascope-Token": TOKEN}).json()
    assert answer["summary"] == {"stored": 1, "unchanged": 0, "rejected": 0}
    assert answer["items"][0]["file"] == "bridge.txt" and answer["items"][0]["source"] == "upload:bridge.txt"
    read_only = TestClient(create_app(db))
    assert read_only.post("/api/v1/upload/files", files=one, headers={"X-Narrascope-Token": TOKEN}).status_code == 403
    assert 'enctype="multipart/form-data"' in client.get("/upload").text


@pytest.mark.parametrize(("given", "expected"), [
    ("../../etc/passwd.html", "passwd.html"), ("C:\\Users\\a\\page.txt", "page.txt"), ("", "upload-3"),
    ("<script>.html", "_script_.html"), ("..", "upload-3"),
])
def test_web_upload_files_keep_only_a_plain_base_name(given: str, expected: str) -> None:
    assert safe_name(given, 3) == expected


def test_web_upload_files_refuses_an_oversized_batch_before_reading_it(writable: tuple[TestClient, str]) -> None:
    client, _ = writable
    response = client.post("/api/v1/upload/files", content=b"x", headers={
        "X-Narrascope-Token": TOKEN, "content-type": "multipart/form-data; boundary=b",
        "content-length": str(2**30 + 1)})
    assert response.status_code == 413
