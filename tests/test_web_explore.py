"""Overview growth and rejections, narrative filters, counter-claims and text reuse, speaker roles and the
merge/split forms, page-size caps: through FastAPI's TestClient over the seed pages ingested for real."""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from narrascope.config import Settings
from narrascope.models import Rejection
from narrascope.pipeline import ingest
from narrascope.store import Store
from narrascope.views import MAX_PAGE_SIZE
from narrascope.web import create_app

pytestmark = pytest.mark.slow
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TOKEN = "explore-token-7"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    db = str(tmp_path_factory.mktemp("explore") / "seeds.db")
    with Store(db) as store:
        assert ingest([str(SEEDS)], store, Settings(db=db)).stored == 5
        store.record_rejection(Rejection("batch/empty.txt", "too_small", "0 characters of text"))
        store.record_rejection(Rejection("batch/menu.html", "empty_extraction", "no article text found"))
        store.record_rejection(Rejection("batch/blank.txt", "too_small", "3 characters of text"))
        store.sync_search_index()
    return db


@pytest.fixture(scope="module")
def client(seeds_db: str) -> TestClient:
    return TestClient(create_app(seeds_db))


@pytest.fixture(scope="module")
def narrative(client: TestClient) -> dict[str, Any]:
    largest = client.get("/api/v1/narratives?limit=1").json()["items"][0]
    return dict(client.get(f"/api/v1/narratives/{largest['id']}").json())


def _speaker_id(client: TestClient, name: str) -> str:
    items = client.get("/api/v1/speakers?limit=500").json()["items"]
    return str(next(s["id"] for s in items if s["name"] == name))


def test_web_explore_overview_shows_growth_and_rejections_by_reason(client: TestClient,
                                                                     narrative: dict[str, Any]) -> None:
    data = client.get("/api/v1/overview").json()
    growing = data["growing_narratives"]
    assert growing["window_end"] == "2023-05-26" and growing["window_start"] == "2023-04-26"
    top = growing["items"][0]
    assert top["id"] == narrative["id"]
    assert top["recent"] >= 1 and top["recent"] + top["before"] == top["article_count"] == 5
    assert data["rejection_reasons"] == [{"reason": "too_small", "pages": 2},
                                         {"reason": "empty_extraction", "pages": 1}]
    page = client.get("/").text
    assert "Fastest-growing narratives" in page and "<code>too_small</code> 2" in page
    assert "batch/menu.html" in page and "no article text found" in page


def test_web_explore_rejections_list_is_paginated(client: TestClient) -> None:
    first = client.get("/api/v1/rejections?limit=2").json()
    assert first["total"] == 3 and len(first["items"]) == 2 and first["has_more"]
    rest = client.get("/api/v1/rejections?limit=2&offset=2").json()
    sources = {r["source"] for r in first["items"] + rest["items"]}
    assert sources == {"batch/empty.txt", "batch/menu.html", "batch/blank.txt"}
    assert "batch/blank.txt" in client.get("/rejections").text


@pytest.mark.parametrize(("query", "expected"), [
    ("min_articles=5", 1), ("min_articles=6", 0), ("since=2023-05-01", 1), ("since=2023-06", 0),
    ("since=2023-05-01&min_articles=5&sort=recent", 1), ("language=en&min_articles=2", 1),
])
def test_web_explore_narratives_filter_by_size_and_recency(client: TestClient, narrative: dict[str, Any],
                                                           query: str, expected: int) -> None:
    data = client.get(f"/api/v1/narratives?{query}").json()
    assert [n["id"] for n in data["items"]] == [narrative["id"]] * expected
    assert (f'href="/narratives/{narrative["id"]}"' in client.get(f"/narratives?{query}").text) == bool(expected)


def test_web_explore_narratives_reject_malformed_filters(client: TestClient) -> None:
    for query in ("since=yesterday", "since=2023-5-1", "min_articles=0", "min_articles=x"):
        assert client.get(f"/api/v1/narratives?{query}").status_code == 422, query


def test_web_explore_narrative_lists_counter_claims(client: TestClient, narrative: dict[str, Any]) -> None:
    counters = narrative["counter_claims"]
    assert any(c["speaker"] == "Taliban" and "presence" in c["text"] for c in counters)
    assert all(c["counter"] for c in counters)
    page = client.get(f"/narratives/{narrative['id']}").text
    section = page.split('id="counter-claims"')[1].split('id="text-reuse"')[0]
    assert "Taliban" in section and "denial cue" in section


def test_web_explore_narrative_shows_text_reuse_with_both_spans(seeds_db: str, client: TestClient,
                                                                narrative: dict[str, Any]) -> None:
    reuse = narrative["reuse"]
    assert reuse, "the seeds share Kabulov's words between two outlets"
    with Store(seeds_db, read_only=True) as store:
        bodies = {a.id: a.body for a in store.articles()}
    for passage in reuse:
        for side in (passage["a"], passage["b"]):
            assert side["text"] == bodies[side["article_id"]][side["start"]:side["end"]]
        assert passage["a"]["article_id"] != passage["b"]["article_id"]
    longest = reuse[0]
    assert longest["words"] >= 15 and "avenge" in longest["a"]["text"] and "avenge" in longest["b"]["text"]
    page = client.get(f"/narratives/{narrative['id']}").text
    section = unescape(page.split('id="text-reuse"')[1].split('id="stance"')[0])
    assert f"/articles/{longest['a']['article_id']}" in section and f"/articles/{longest['b']['article_id']}" in section
    assert f"body characters {longest['a']['start']}–{longest['a']['end']}" in section


def test_web_explore_narrative_keeps_a_place_for_stance(client: TestClient, narrative: dict[str, Any]) -> None:
    assert re.search(r'<section id="stance"', client.get(f"/narratives/{narrative['id']}").text)


def test_web_explore_speaker_roles_aliases_and_mentions(client: TestClient) -> None:
    kabulov = client.get(f"/api/v1/speakers/{_speaker_id(client, 'Zamir Kabulov')}").json()
    roles = {r["role"]: r for r in kabulov["roles"]}
    assert "Russian presidential envoy to Afghanistan" in roles
    assert sum(r["claims"] for r in kabulov["roles"]) <= kabulov["claims"]
    assert all(r["first_seen"] is None or r["first_seen"] <= (r["last_seen"] or r["first_seen"])
               for r in kabulov["roles"])
    assert "Kabulov" in kabulov["aliases"] and any(m["mention"] == "Kabulov" for m in kabulov["mentions"])
    page = client.get(f"/speakers/{kabulov['id']}").text
    assert "Russian presidential envoy to Afghanistan" in page and "<h2>Roles</h2>" in page
    assert "/merge" not in page and "/split" not in page  # no write forms on a read-only server


def test_web_explore_merge_candidates_share_a_name(client: TestClient) -> None:
    shoigu = client.get(f"/api/v1/speakers/{_speaker_id(client, 'Sergei Shoigu')}").json()
    assert all("Shoig" in c["name"] for c in shoigu["merge_candidates"])


def _writable_copy(seeds_db: str, tmp_path: Path) -> str:
    target = str(tmp_path / "writable.db")
    with sqlite3.connect(seeds_db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def test_web_explore_merge_and_split_through_the_forms(seeds_db: str, tmp_path: Path) -> None:
    db = _writable_copy(seeds_db, tmp_path)
    client = TestClient(create_app(db, allow_writes=True, token=TOKEN))
    emirate, taliban = _speaker_id(client, "Islamic Emirate"), _speaker_id(client, "Taliban")
    page = client.get(f"/speakers/{emirate}").text
    assert f'action="/speakers/{emirate}/merge"' in page and 'name="token"' in page and TOKEN not in page
    url = f"/speakers/{emirate}/merge"
    assert client.post(url, data={"into": taliban}).status_code == 403
    assert client.post(url, data={"into": taliban, "token": "wrong"}).status_code == 403
    assert client.post(url, data={"into": "nobody", "token": TOKEN}).status_code == 422
    done = client.post(url, data={"into": taliban, "token": TOKEN}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/speakers/{taliban}?changed=merged"
    merged = client.get(done.headers["location"]).text
    assert "Merge recorded" in merged and "Islamic Emirate" in merged
    assert client.get(f"/api/v1/speakers/{emirate}").status_code == 404
    split = client.post(f"/speakers/{taliban}/split", data={"token": TOKEN})
    assert split.status_code == 200 and "Split recorded" in split.text
    names = {s["name"] for s in client.get("/api/v1/speakers?limit=500").json()["items"]}
    assert {"Islamic Emirate", "Taliban"} <= names
    read_only = TestClient(create_app(db))
    assert read_only.post(url, data={"into": taliban, "token": TOKEN}).status_code == 403


def test_web_explore_every_list_endpoint_caps_its_page_size(client: TestClient, narrative: dict[str, Any]) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    with_limit = []
    for path, operations in schema["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        limit = next((p for p in parameters if p["name"] == "limit"), None)
        if limit is None:
            continue
        with_limit.append(path)
        assert limit["schema"]["maximum"] == MAX_PAGE_SIZE, path
        concrete = re.sub(r"\{[^}]+\}", narrative["id"], path)
        assert client.get(f"{concrete}?limit={MAX_PAGE_SIZE + 1}").status_code == 422, path
    for expected in ("/api/v1/narratives", "/api/v1/articles", "/api/v1/speakers", "/api/v1/outlets",
                     "/api/v1/search", "/api/v1/rejections", "/api/v1/catalogue",
                     "/api/v1/catalogue/entries/{name}"):
        assert expected in with_limit
    for page in ("/narratives", "/articles", "/speakers", "/outlets", "/rejections", "/search"):
        assert client.get(f"{page}?limit={MAX_PAGE_SIZE + 1}").status_code == 422, page


def test_web_explore_speaker_profile_equals_one_aggregate_per_figure(seeds_db: str) -> None:
    """The one-pass profile gives what a GROUP BY query per figure gives, for every speaker of the seeds."""
    probe = sqlite3.connect(seeds_db)
    per_speaker = "FROM claim_links l JOIN claims c ON c.id = l.claim_id JOIN articles a ON a.id = c.article_id" \
        " WHERE l.speaker_id = ?"
    with Store(seeds_db, read_only=True) as store:
        speakers = [row[0] for row in probe.execute("SELECT id FROM speakers")]
        assert len(speakers) > 5
        for speaker_id in speakers:
            profile = store.speaker_profile(speaker_id, mention_limit=1000)
            assert [tuple(r.values()) for r in profile["roles"]] == probe.execute(
                "SELECT c.speaker_role, count(*), min(a.published) AS first, max(a.published) "
                f"{per_speaker} AND c.speaker_role != '' GROUP BY c.speaker_role"
                " ORDER BY first IS NULL, first, c.speaker_role", (speaker_id,)).fetchall()
            assert [tuple(r.values()) for r in profile["mentions"]] == probe.execute(
                f"SELECT c.speaker_mention, count(*) AS n {per_speaker} AND c.speaker_mention IS NOT NULL"
                " GROUP BY c.speaker_mention ORDER BY n DESC, c.speaker_mention", (speaker_id,)).fetchall()
            assert [tuple(r.values()) for r in profile["per_month"]] == probe.execute(
                f"SELECT substr(a.published, 1, 7) AS m, count(*) {per_speaker} GROUP BY m ORDER BY m",
                (speaker_id,)).fetchall()
