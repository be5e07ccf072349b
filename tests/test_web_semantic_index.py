"""The semantic index covers every claim: one row per distinct text, its claims by rowid, newest first."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrascope.store import Store
from narrascope.web.semantic import load_claim_vectors, semantic_page, text_key
from tests.helpers import make_article, make_claim, make_page

TEXTS = ("the bridge will open next year", "the budget was cut again", "the bridge will open next year",
         "talks on water rights failed", "the budget was cut again", "no vector was cached for this one")


class _Axes:
    """Each known text on its own axis (no model): the query 'bridge' is closest to the bridge claims."""

    model_id = "test-axes"
    words = ("bridge", "budget", "water")

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.array([[float(w in t) for w in self.words] for t in texts], dtype=np.float32) + 1e-3
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _store_claims(db: str) -> list[str]:
    embedder = _Axes()
    ids = []
    with Store(db) as store:
        for number, text in enumerate(TEXTS):
            page = make_page(f"Page {number}: officials said {text}.", f"p{number}.txt")
            article = make_article(page, f"Officials said {text}.")
            claim = make_claim(article.id, 0, text)
            store.save_article(page, article, [claim])
            ids.append(claim.id)
        cached = [t for t in dict.fromkeys(TEXTS) if t != TEXTS[-1]]
        store.cache_vectors({text_key(t): v for t, v in zip(cached, embedder.embed(cached), strict=True)},
                            embedder.model_id)
    return ids


def test_web_semantic_index_one_row_per_text_every_claim(db_target: str) -> None:
    ids = _store_claims(db_target)
    with Store(db_target, read_only=True) as store:
        index = load_claim_vectors(store, "test-axes")
        assert index.matrix.shape == (3, 3) and index.claims_considered == 6 and index.claims_searched == 5
        page = semantic_page(store, index, _Axes(), "bridge", limit=2)
        assert [item["id"] for item in page["items"]] == [ids[2], ids[0]]  # both carriers, newest first
        assert page["total"] == 5 and page["claims_searched"] == 5
        second = semantic_page(store, index, _Axes(), "bridge", limit=2, offset=2)
        assert {item["id"] for item in second["items"]} <= {ids[1], ids[3], ids[4]}
        assert len(second["items"]) == 2 and ids[5] not in {i["id"] for i in second["items"]}
        assert all(item["text"] == TEXTS[[*ids].index(item["id"])] for item in page["items"] + second["items"])


def test_web_semantic_index_cap_keeps_the_newest_texts(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    ids = _store_claims(db)
    with Store(db, read_only=True) as store:
        index = load_claim_vectors(store, "test-axes", cap=2)
        # newest first: 'no vector' (skipped), 'budget' (ids 4, 1), 'water' (id 3); 'bridge' is past the cap
        assert index.matrix.shape[0] == 2 and index.claims_searched == 3 and index.claims_considered == 6
        found = semantic_page(store, index, _Axes(), "bridge", limit=10)
        assert {item["id"] for item in found["items"]} == {ids[1], ids[3], ids[4]}
