"""The catalogue of known narratives kept in the database: shown read-only, edited with writes and the
token, matched with the real embedding model, evidence spans pointing at the words (issue 6, issue 9)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narrascope.cli import main
from narrascope.narratives import load_embedder
from narrascope.narratives.catalogue import CatalogueError
from narrascope.narratives.catalogue_store import parse_catalogue_text, save_catalogue
from narrascope.store import Store
from narrascope.web import create_app
from tests.browser.handmade import KABULOV_QUOTE, Seedlike, build_seedlike

pytestmark = pytest.mark.slow
TOKEN = "catalogue-token-3"
CATALOGUE = """# known narratives, as an analyst keeps them
threshold = 0.45

[[narratives]]
name = "The West sponsors terrorism"
description = "Western countries are said to fund or arm terrorist groups."
examples = ["the Anglo-Saxons sponsor the Daesh terrorists"]

[[narratives]]
name = "Threats come from Afghanistan"
parent = "The West sponsors terrorism"
examples = ["the main threats to the region come from Afghanistan"]
"""
YAML = """narratives:
  - name: Central Asia is being destabilised
    examples: ["the US wants to return its military to Central Asia"]
"""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Seedlike]:
    db = str(tmp_path_factory.mktemp("catalogue") / "seeds.db")
    return db, build_seedlike(db)


def _copy(db: str, tmp_path: Path) -> str:
    target = str(tmp_path / "copy.db")
    with sqlite3.connect(db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def test_web_catalogue_parse_names_the_entry_that_is_wrong() -> None:
    with pytest.raises(CatalogueError, match=r"web: entry 2 \('B'\): parent 'Nobody' is not in the catalogue"):
        parse_catalogue_text('[[narratives]]\nname = "A"\n[[narratives]]\nname = "B"\nparent = "Nobody"\n',
                             "toml", "web")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        parse_catalogue_text("[[narratives]\nname=", "toml")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        parse_catalogue_text("narratives: [", "yaml")
    assert parse_catalogue_text(YAML, "yaml").entries[0].name == "Central Asia is being destabilised"


def test_web_catalogue_read_only_server_shows_the_stored_catalogue(seeds: tuple[str, Seedlike],
                                                                   tmp_path: Path) -> None:
    db, corpus = seeds
    db = _copy(db, tmp_path)
    embedder = load_embedder()
    with Store(db) as store:
        saved = save_catalogue(store, CATALOGUE, "toml", embedder.embed, embedder.model_id)
    assert saved.entries == 2 and saved.articles_read == 5 and saved.articles_matched >= 2
    client = TestClient(create_app(db))
    data = client.get("/api/v1/catalogue").json()
    assert data["catalogue"]["text"] == CATALOGUE and data["catalogue"]["matched_model"] == embedder.model_id
    west = next(e for e in data["entries"] if e["name"] == "The West sponsors terrorism")
    matched = {m["article_id"]: m for m in west["matches"]}
    assert set(corpus.kabulov_articles) <= set(matched)
    with Store(db, read_only=True) as store:
        bodies = {a.id: a.body for a in store.articles()}
    for article_id, claim_id in zip(corpus.kabulov_articles, corpus.kabulov_claims, strict=True):
        best = matched[article_id]["evidence"][0]
        assert best["claim_id"] == claim_id and best["field"] == "body"
        assert KABULOV_QUOTE.split()[1] in bodies[article_id][best["start"]:best["end"]]
        assert 0.5 < matched[article_id]["confidence"] <= 1.0
    child = client.get("/api/v1/catalogue/entries/Threats come from Afghanistan?limit=2").json()
    assert child["parent"] == "The West sponsors terrorism" and child["matches_page"]["limit"] == 2
    page = client.get("/catalogue").text
    assert "The West sponsors terrorism" in page and f"#claim-{corpus.kabulov_claims[0]}" in page
    assert "<form" not in page.split('id="edit"')[1]  # read-only: the text is shown, no editor
    assert "known narratives, as an analyst keeps them" in page
    assert client.put("/api/v1/catalogue", json={"text": YAML, "format": "yaml"},
                      headers={"X-Narrascope-Token": TOKEN}).status_code == 403


def test_web_catalogue_edit_needs_writes_and_the_token(seeds: tuple[str, Seedlike], tmp_path: Path) -> None:
    db = _copy(seeds[0], tmp_path)
    client = TestClient(create_app(db, allow_writes=True, token=TOKEN))
    editor = client.get("/catalogue").text
    assert 'action="/catalogue"' in editor and "[[narratives]]" in editor and TOKEN not in editor
    assert client.post("/catalogue", data={"text": CATALOGUE, "format": "toml"}).status_code == 403
    assert client.post("/catalogue", data={"text": CATALOGUE, "token": "nope"}).status_code == 403
    bad = client.post("/catalogue", data={"text": '[[narratives]]\nname = ""\n', "format": "toml", "token": TOKEN})
    assert bad.status_code == 422 and "entry 1: &#39;name&#39; is missing or empty" in bad.text
    assert "[[narratives]]\nname = &#34;&#34;" in bad.text  # the text is kept in the editor to fix
    saved = client.post("/catalogue", data={"text": CATALOGUE, "format": "toml", "token": TOKEN},
                        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/catalogue?saved=1"
    assert "Catalogue saved and matched" in client.get("/catalogue?saved=1").text
    put = client.put("/api/v1/catalogue", json={"text": YAML, "format": "yaml"}, headers={"X-Narrascope-Token": TOKEN})
    assert put.status_code == 200 and put.json()["entries"] == 1
    names = [e["name"] for e in client.get("/api/v1/catalogue").json()["entries"]]
    assert names == ["Central Asia is being destabilised"]
    assert client.get("/api/v1/catalogue/entries/The West sponsors terrorism").status_code == 404


def test_web_catalogue_match_save_from_the_command_line(seeds: tuple[str, Seedlike], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = _copy(seeds[0], tmp_path)
    path = tmp_path / "known.yaml"
    path.write_text(YAML, encoding="utf-8")
    assert main(["match", str(path), "--db", db, "--save"]) == 0
    assert "1 entries" in capsys.readouterr().err
    with Store(db, read_only=True) as store:
        stored = store.catalogue_row()
        assert stored is not None and stored["format"] == "yaml" and stored["articles_read"] == 5
    (tmp_path / "broken.toml").write_text("[[narratives]]\n", encoding="utf-8")
    assert main(["match", str(tmp_path / "broken.toml"), "--db", db, "--save"]) == 2
    assert "broken.toml" in capsys.readouterr().err


def test_web_catalogue_article_page_lists_its_known_narratives(seeds: tuple[str, Seedlike], tmp_path: Path) -> None:
    db, corpus = seeds
    db = _copy(db, tmp_path)
    embedder = load_embedder()
    with Store(db) as store:
        save_catalogue(store, CATALOGUE, "toml", embedder.embed, embedder.model_id)
    client = TestClient(create_app(db))
    article = client.get(f"/api/v1/articles/{corpus.kabulov_articles[0]}").json()
    names = [m["name"] for m in article["catalogue_matches"]]
    assert "The West sponsors terrorism" in names
    page = client.get(f"/articles/{corpus.kabulov_articles[0]}").text
    assert "Known narratives" in page and f'href="#claim-{corpus.kabulov_claims[0]}"' in page
