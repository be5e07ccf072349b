"""Speaker merge and split through the API: only with writes enabled and the token (W4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store
from narrascope.web import create_app
from tests.test_speakers_overrides import PAGE

pytestmark = pytest.mark.slow
TOKEN = "merge-token-1"


def _names(db: str) -> set[str]:
    with Store(db, read_only=True) as store:
        return {speaker.name for speaker in store.speakers()}


def test_web_speakers_merge_and_split_need_the_token(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    db = str(tmp_path / "n.db")
    with Store(db) as store:
        ingest([str(tmp_path / "page.txt")], store, Settings(db=db))
        ids = {speaker.name: speaker.id for speaker in store.speakers()}
    client = TestClient(create_app(db, allow_writes=True, token=TOKEN))
    url = f"/api/v1/speakers/{ids['Mara Lopes']}/merge"
    assert client.post(url, json={"into": ids["Maria Lopez"]}).status_code == 403
    assert client.post(url, json={"into": "nobody"}, headers={"X-Narrascope-Token": TOKEN}).status_code == 422
    response = client.post(url, json={"into": ids["Maria Lopez"]}, headers={"X-Narrascope-Token": TOKEN})
    assert response.status_code == 200, response.text
    assert "Mara Lopes" not in _names(db)
    split = client.post(f"/api/v1/speakers/{ids['Maria Lopez']}/split", headers={"X-Narrascope-Token": TOKEN})
    assert split.status_code == 200
    assert {"Maria Lopez", "Mara Lopes"} <= _names(db)
    read_only = TestClient(create_app(db))
    assert read_only.post(url, json={"into": ids["Maria Lopez"]},
                          headers={"X-Narrascope-Token": TOKEN}).status_code == 403


def test_web_upload_goes_through_the_pipeline(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    Store(db).close()
    client = TestClient(create_app(db, allow_writes=True, token=TOKEN))
    headers = {"X-Narrascope-Token": TOKEN}
    first = client.post("/api/v1/upload", json={"source": "page.txt", "text": PAGE}, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "stored" and first.json()["claims"] >= 2
    again = client.post("/api/v1/upload", json={"source": "page.txt", "text": PAGE}, headers=headers)
    assert again.json() == {"status": "unchanged", "article_id": first.json()["article_id"]}
    menu = client.post("/api/v1/upload", json={"source": "menu.txt", "text": "Home\nNews\nSport\nContact\n"},
                       headers=headers)
    assert menu.status_code == 422
    with Store(db, read_only=True) as store:
        assert [r.source for r in store.rejections()] == ["menu.txt"]
        assert len(store.articles()) == 1 and store.speakers()
