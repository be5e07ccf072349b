"""Pages and their JSON twins over a hand-built seed-like database (issue 6)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from narrascope.models import Rejection
from narrascope.store import Store
from narrascope.web import create_app
from narrascope.web.text import highlight, timeline_bars
from tests.browser.handmade import KABULOV_QUOTE, KABULOV_QUOTE_2, Seedlike, build_seedlike
from tests.helpers import make_article, make_page


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, Seedlike]:
    db = str(tmp_path_factory.mktemp("pages") / "seeds.db")
    corpus = build_seedlike(db)
    return TestClient(create_app(db)), corpus


def _marked_text(page: str, claim_id: str) -> str:
    pieces = re.findall(rf'<mark class="claim" data-claims="[^"]*\b{re.escape(claim_id)}\b[^"]*">(.*?)</mark>',
                        page, flags=re.S)
    return unescape("".join(pieces))


def test_web_pages_overview_counts_narratives_and_rejections(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    page = client.get("/").text
    assert "<strong>5</strong> articles" in page
    assert f'href="/narratives/{corpus.narrative_id}"' in page
    assert "binary" in page and "the file is not text" in page
    data = client.get("/api/v1/overview").json()
    assert data["counts"]["articles"] == 5 and data["counts"]["rejections"] == 1
    assert data["largest_narratives"][0]["article_count"] == 5 and data["unindexed_articles"] == 0


@pytest.mark.parametrize(("query", "expected"), [
    ("", 1), ("?outlet=Bayan+News", 1), ("?outlet=Nobody", 0), ("?speaker=spk-kabulov", 1), ("?speaker=spk-x", 0),
    ("?language=en", 1), ("?language=fr", 0), ("?sort=recent", 1), ("?sort=oldest&outlet=AT+News", 1),
])
def test_web_pages_narratives_filter_and_sort(seeds: tuple[TestClient, Seedlike], query: str, expected: int) -> None:
    client, corpus = seeds
    data = client.get(f"/api/v1/narratives{query}").json()
    assert len(data["items"]) == expected and data["total"] in (expected, None) and not data["has_more"]
    page = client.get(f"/narratives{query}").text
    assert (f'href="/narratives/{corpus.narrative_id}"' in page) == bool(expected)


@pytest.mark.parametrize("share", [0.0, 1.0], ids=["walk-narratives", "collect-claims"])
def test_web_pages_narrative_filters_agree_in_both_query_plans(
    seeds: tuple[TestClient, Seedlike], monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    from narrascope.store import browsing as sqlite

    monkeypatch.setattr(sqlite, "BROAD_FILTER_SHARE", share)
    served, corpus = seeds
    client = TestClient(create_app(served.app.state.web.db_path))  # its own response cache: plans differ per run
    for query, expected in (("?outlet=Bayan+News", 1), ("?outlet=Nobody", 0), ("?language=en", 1),
                            ("?language=fr", 0)):
        data = client.get(f"/api/v1/narratives{query}").json()
        assert [n["id"] for n in data["items"]] == [corpus.narrative_id] * expected
        assert data["total"] == (expected if share == 1.0 or expected == 0 else None), query


def test_web_pages_narrative_has_timeline_speakers_outlets_and_evidence(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    page = client.get(f"/narratives/{corpus.narrative_id}").text
    assert "<svg" in page and page.count("<rect") == 5  # five publication dates
    for name in ("Zamir Kabulov", "Sergey Lavrov", "Sergey Shoigu", "Al Mayadeen English", "AT News", "Bayan News"):
        assert name in page
    for claim_id, article_id in zip(corpus.kabulov_claims, corpus.kabulov_articles, strict=True):
        assert f'href="/articles/{article_id}#claim-{claim_id}"' in page
    data = client.get(f"/api/v1/narratives/{corpus.narrative_id}").json()
    kabulov = next(c for c in data["clusters"] if c["id"] == "cluster-1")
    assert kabulov["articles"] == 2 and {c["article_id"] for c in kabulov["claims"]} == set(corpus.kabulov_articles)
    assert [c["published"] for c in data["timeline"]] == sorted(c["published"] for c in data["timeline"])


def test_web_pages_article_highlights_each_claim_at_its_span(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    for article_id in corpus.article_ids:
        data = client.get(f"/api/v1/articles/{article_id}").json()
        page = client.get(f"/articles/{article_id}").text
        for claim in data["claims"]:
            assert data["body"][claim["start"]:claim["end"]] == claim["text"]
            assert f'id="claim-{claim["id"]}"' in page
            assert _marked_text(page, claim["id"]) == claim["text"]


def test_web_pages_kabulov_claim_links_both_articles(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    first, second = corpus.kabulov_articles
    page = client.get(f"/articles/{first}").text
    assert KABULOV_QUOTE in _marked_text(page, corpus.kabulov_claims[0])
    assert f'href="/articles/{second}#claim-{corpus.kabulov_claims[1]}"' in page
    other = client.get(f"/articles/{second}").text
    assert KABULOV_QUOTE_2 in _marked_text(other, corpus.kabulov_claims[1])
    assert f'href="/articles/{first}#claim-{corpus.kabulov_claims[0]}"' in other


def test_web_pages_speaker_and_outlet_profiles(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    speaker = client.get(f"/api/v1/speakers/{corpus.kabulov_id}").json()
    assert speaker["claims"] == 2 and "Kabulov" in speaker["aliases"]
    assert [m["month"] for m in speaker["per_month"]] == ["2023-02"]
    assert "Russian presidential envoy" in client.get(f"/speakers/{corpus.kabulov_id}").text
    outlet = client.get(f"/api/v1/outlets/{quote('Al Mayadeen English')}").json()
    assert outlet["articles"] == 2 and outlet["speakers"][0]["name"] == "Zamir Kabulov"
    assert outlet["narratives"][0]["id"] == corpus.narrative_id
    assert "Al Mayadeen English" in client.get(f"/outlets/{quote('Al Mayadeen English')}").text
    assert [o["name"] for o in client.get("/api/v1/outlets").json()["items"]][:2] == ["AT News", "Al Mayadeen English"]


def test_web_pages_search_finds_words_and_phrases(seeds: tuple[TestClient, Seedlike]) -> None:
    client, corpus = seeds
    found = client.get("/api/v1/search", params={"q": "Anglo-Saxons sponsor"}).json()["items"]
    assert [item["id"] for item in found] == [corpus.kabulov_articles[0]]
    both = client.get("/api/v1/search", params={"q": "anglo saxons daesh"}).json()["items"]
    assert {item["id"] for item in both} == set(corpus.kabulov_articles)
    assert any(part["match"] for part in both[0]["snippet_parts"])
    phrase = client.get("/api/v1/search", params={"q": '"covertly sponsoring"'}).json()["items"]
    assert [item["id"] for item in phrase] == [corpus.kabulov_articles[1]]
    page = client.get("/search", params={"q": "Daesh"}).text
    assert "<mark>Daesh</mark>" in page


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(a b", "*", "title:x^", "a' OR 1=1 --", ""])
def test_web_pages_search_syntax_never_errors(seeds: tuple[TestClient, Seedlike], query: str) -> None:
    client, _ = seeds
    assert client.get("/api/v1/search", params={"q": query}).status_code == 200
    assert client.get("/search", params={"q": query}).status_code == 200


def test_web_pages_lists_are_paginated(seeds: tuple[TestClient, Seedlike]) -> None:
    client, _ = seeds
    first = client.get("/api/v1/articles?limit=2").json()
    second = client.get("/api/v1/articles?limit=2&offset=2").json()
    assert len(first["items"]) == 2 and first["has_more"] and first["total"] == 5
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    assert client.get("/api/v1/articles?limit=2&offset=4").json()["has_more"] is False
    page = client.get("/articles?limit=2&offset=2").text
    assert 'rel="next" href="/articles?offset=4&amp;limit=2"' in page and 'rel="prev"' in page


def test_web_pages_every_page_has_a_json_twin_in_the_openapi_schema(seeds: tuple[TestClient, Seedlike]) -> None:
    client, _ = seeds
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/overview", "/api/v1/narratives", "/api/v1/narratives/{narrative_id}", "/api/v1/articles",
                 "/api/v1/articles/{article_id}", "/api/v1/speakers", "/api/v1/speakers/{speaker_id}",
                 "/api/v1/outlets", "/api/v1/outlets/{name}", "/api/v1/search", "/api/v1/upload"):
        assert path in paths, path
    limit = next(p for p in paths["/api/v1/articles"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_web_pages_highlight_splits_overlapping_spans() -> None:
    segments = highlight("abcdefgh", [("x", 1, 5), ("y", 3, 7)])
    assert [(s.text, s.claim_ids, s.anchors) for s in segments] == [
        ("a", (), ()), ("bc", ("x",), ("x",)), ("de", ("x", "y"), ("y",)), ("fg", ("y",), ()), ("h", (), ())]
    assert "".join(s.text for s in highlight("abc", [("z", 2, 99), ("bad", 5, 1)])) == "abc"


def test_web_pages_timeline_bars_scale_to_the_largest_day() -> None:
    bars = timeline_bars([{"published": "2023-01-02"}, {"published": "2023-01-02"}, {"published": "2023-01-01"},
                          {"published": None}])
    assert [(b.label, b.count) for b in bars] == [("2023-01-01", 1), ("2023-01-02", 2)]
    assert bars[1].height > bars[0].height


def test_web_pages_timeline_places_bars_in_time() -> None:
    bars = timeline_bars([{"published": d} for d in ("2023-01-01", "2023-01-02", "2023-12-31", "not a date")])
    assert [b.label for b in bars] == ["2023-01-01", "2023-01-02", "2023-12-31"]
    assert bars[0].x == 0 and bars[1].x >= bars[0].x + bars[0].width and bars[2].x + bars[2].width <= 640
    assert bars[1].x < 100 < bars[2].x  # a year later is far to the right, not the next slot
    months = timeline_bars([{"month": "2023-02", "claims": 3}, {"month": None, "claims": 9}], key="month")
    assert [(b.label, b.count) for b in months] == [("2023-02", 3)]


def test_web_pages_cached_aggregates_follow_database_writes(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    client = TestClient(create_app(db))
    assert client.get("/api/v1/overview").json()["counts"]["rejections"] == 1
    assert client.get("/api/v1/overview").json()["counts"]["rejections"] == 1  # served from the cache
    with Store(db) as store:
        store.record_rejection(Rejection("other.txt", "too_small", "too small"))
    assert client.get("/api/v1/overview").json()["counts"]["rejections"] == 2
    assert "other.txt" in client.get("/").text


def test_web_pages_serve_indexes_new_articles_then_serves_read_only(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from narrascope.cli import main

    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    page = make_page("A late page about the Hindu Kush pass.", "late.txt")
    with Store(db) as store:
        store.save_article(page, make_article(page, "A late page about the Hindu Kush pass."), [])
        assert store.unindexed_articles() == 1
    served: list[tuple[object, str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: served.append((app, host, port)))
    assert main(["serve", "--db", db, "--port", "8123"]) == 0
    app, host, port = served[0]
    assert (host, port) == ("127.0.0.1", 8123)
    client = TestClient(app, base_url="http://127.0.0.1:8123")  # type: ignore[arg-type]
    assert [item["id"] for item in client.get("/api/v1/search?q=Hindu+Kush").json()["items"]] == [page.id]
    assert client.post("/api/v1/upload", json={"source": "a", "text": "b"}).status_code == 403


class _WordsEmbedder:
    """A stand-in embedding: unit vectors over a tiny vocabulary (no model)."""

    model_id = "test-words"
    vocabulary = ("anglo", "sponsor", "daesh", "threats", "afghanistan", "military", "central", "asia")

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.array([[float(word in text.lower()) for word in self.vocabulary] for text in texts],
                        dtype=np.float32) + 1e-3
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_web_pages_semantic_search_ranks_claims_by_meaning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope import narratives
    from narrascope.web.semantic import text_key

    db = str(tmp_path / "seeds.db")
    corpus = build_seedlike(db)
    embedder = _WordsEmbedder()
    with Store(db) as store:
        texts = [claim.text for claim in store.claims()]
        store.cache_vectors({text_key(t): v for t, v in zip(texts, embedder.embed(texts), strict=True)},
                            embedder.model_id)
    monkeypatch.setattr(narratives, "load_embedder", lambda _name: embedder)
    client = TestClient(create_app(db))
    data = client.get("/api/v1/search/semantic", params={"q": "who sponsors Daesh, the Anglo world?"}).json()
    assert data["claims_searched"] == len(texts) == 6
    assert {item["id"] for item in data["items"][:2]} == set(corpus.kabulov_claims)
    assert data["items"][0]["score"] >= data["items"][-1]["score"]
    page = client.get("/search", params={"q": "sponsor daesh", "mode": "meaning"}).text
    assert f'href="/articles/{corpus.kabulov_articles[0]}#claim-{corpus.kabulov_claims[0]}"' in page


def test_web_pages_semantic_index_builds_under_its_own_time_limit(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The once-per-state index and aggregates get AGGREGATE_TIMEOUT, not a page's limit (at 200k articles the page
    limit failed every semantic search: bench/README.md "One million articles")."""
    from contextlib import contextmanager

    from narrascope import narratives
    from narrascope.web import deps

    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    monkeypatch.setattr(narratives, "load_embedder", lambda _name: _WordsEmbedder())
    limits: list[float | None] = []
    real = Store.query_deadline

    @contextmanager
    def recording(self: Store, seconds: float | None):  # type: ignore[no-untyped-def]
        limits.append(seconds)
        with real(self, seconds):
            yield

    client = TestClient(create_app(db, query_timeout=0.5))
    monkeypatch.setattr(Store, "query_deadline", recording)
    assert client.get("/api/v1/search/semantic", params={"q": "sponsor"}).status_code == 200
    assert deps.AGGREGATE_TIMEOUT in limits
    for aggregate in ("/api/v1/overview", "/api/v1/outlets", "/narratives"):  # each computes an aggregate first
        limits.clear()
        assert client.get(aggregate).status_code == 200
        assert deps.AGGREGATE_TIMEOUT in limits, aggregate
