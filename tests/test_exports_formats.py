"""Exports: CSV, JSON Lines, GEXF and narrative dossiers, from the library, the CLI and the web (issue 6)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narrascope import exports
from narrascope.cli import main
from narrascope.errors import NarrascopeError
from narrascope.store import Store
from narrascope.web import create_app
from tests.browser.handmade import XSS_PAYLOADS, Seedlike, XssCorpus, build_seedlike, build_xss
from tests.browser.htmlcheck import dangerous_markup

GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Seedlike]:
    db = str(tmp_path_factory.mktemp("exports") / "seeds.db")
    return db, build_seedlike(db)


@pytest.fixture(scope="module")
def xss(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, XssCorpus]:
    db = str(tmp_path_factory.mktemp("exports-xss") / "xss.db")
    return db, build_xss(db)


def _export(db: str, kind: str, narrative: str | None = None) -> str:
    with Store(db, read_only=True) as store:
        return exports.export(store, kind, narrative_id=narrative)


def test_exports_claims_csv_and_jsonl_hold_every_claim_with_its_span(seeds: tuple[str, Seedlike]) -> None:
    db, _ = seeds
    rows = list(csv.DictReader(io.StringIO(_export(db, "claims-csv"))))
    lines = [json.loads(line) for line in _export(db, "claims-jsonl").splitlines()]
    assert len(rows) == len(lines) == 6
    assert list(rows[0]) == list(exports.CLAIM_FIELDS)
    articles = {a["id"]: a for a in map(json.loads, _export(db, "articles-jsonl").splitlines())}
    assert len(articles) == 5
    for claim in lines:
        assert articles[claim["article_id"]]["body"][claim["start"]:claim["end"]] == claim["text"]
        assert claim["outlet"] == articles[claim["article_id"]]["outlet"]


def test_exports_narrative_scope_and_unknown_narrative(seeds: tuple[str, Seedlike]) -> None:
    db, corpus = seeds
    assert len(_export(db, "articles-csv", corpus.narrative_id).splitlines()) > 5
    with pytest.raises(NarrascopeError, match="no narrative"):
        _export(db, "articles-csv", "missing")
    with pytest.raises(NarrascopeError, match="--narrative"):
        _export(db, "dossier-md")
    with pytest.raises(NarrascopeError, match="unknown export"):
        _export(db, "pdf")


def test_exports_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    text = exports.to_csv([{"id": "=HYPERLINK(\"http://evil\")", "text": "+1", "cue": "-2", "kind": "@x"}],
                          ("id", "text", "cue", "kind"))
    row = next(csv.DictReader(io.StringIO(text)))
    assert all(value.startswith("'") for value in row.values())


def test_exports_gexf_is_the_speaker_outlet_narrative_graph(seeds: tuple[str, Seedlike]) -> None:
    db, corpus = seeds
    root = ElementTree.fromstring(_export(db, "gexf"))
    nodes = {node.get("id"): node for node in root.iter(f"{GEXF}node")}
    kinds = {node_id.split(":")[0] for node_id in nodes if node_id}
    assert kinds == {"speaker", "outlet", "narrative"}
    assert len([n for n in nodes if n and n.startswith("outlet:")]) == 3
    edges = {(e.get("source"), e.get("target")): int(e.get("weight") or 0) for e in root.iter(f"{GEXF}edge")}
    assert edges[("speaker:spk-kabulov", "outlet:Al Mayadeen English")] == 2
    assert edges[("speaker:spk-kabulov", f"narrative:{corpus.narrative_id}")] == 2
    assert ("narrative:" + corpus.narrative_id) in nodes


def test_exports_gexf_stays_well_formed_with_hostile_names(xss: tuple[str, XssCorpus]) -> None:
    root = ElementTree.fromstring(_export(xss[0], "gexf"))
    labels = {node.get("label") for node in root.iter(f"{GEXF}node")}
    assert f"Outlet {XSS_PAYLOADS[0]}" in labels


def test_exports_dossier_markdown_cites_every_claim(seeds: tuple[str, Seedlike]) -> None:
    db, corpus = seeds
    text = _export(db, "dossier-md", corpus.narrative_id)
    claims = [json.loads(line) for line in _export(db, "claims-jsonl", corpus.narrative_id).splitlines()]
    assert text.startswith("# Narrative dossier: ")
    for claim in claims:
        citation = f"article `{claim['article_id']}`, body characters {claim['start']}–{claim['end']}"
        assert text.count(citation) == 2, claim["id"]  # once under its statement, once in the timeline
        assert claim["published"] in text and claim["outlet"] in text


def test_exports_dossier_markdown_makes_scraped_markup_inert(xss: tuple[str, XssCorpus]) -> None:
    text = _export(xss[0], "dossier-md", xss[1].narrative_id)
    assert "<script" not in text and "<img" not in text and "](javascript" not in text


def test_exports_dossier_html_escapes_and_cites(seeds: tuple[str, Seedlike], xss: tuple[str, XssCorpus]) -> None:
    db, corpus = seeds
    page = _export(db, "dossier-html", corpus.narrative_id)
    assert "Zamir Kabulov" in page and f"article {corpus.kabulov_articles[0]}, body characters" in page
    hostile = _export(xss[0], "dossier-html", xss[1].narrative_id)
    assert dangerous_markup(hostile) == ["<style> element"]  # the dossier's own stylesheet, nothing else
    for payload in XSS_PAYLOADS:
        assert payload not in hostile


def test_exports_cli_writes_files_and_reports_bad_input(seeds: tuple[str, Seedlike], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    db, corpus = seeds
    out = tmp_path / "dossier.md"
    assert main(["export", "dossier-md", "--db", db, "--narrative", corpus.narrative_id, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Narrative dossier")
    assert main(["export", "claims-jsonl", "--db", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6
    assert main(["export", "dossier-html", "--db", db]) == 2
    assert "--narrative" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "pdf", "--db", db])


def test_exports_web_downloads_are_attachments(seeds: tuple[str, Seedlike]) -> None:
    db, corpus = seeds
    client = TestClient(create_app(db))
    response = client.get(f"/exports/dossier-html?narrative={corpus.narrative_id}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"].startswith('attachment; filename="narrative-narr-afghanista')
    assert client.get("/exports/claims-csv").headers["content-type"].startswith("text/csv")
    assert client.get("/exports/dossier-md").status_code == 400
    assert client.get("/exports/dossier-md?narrative=nope").status_code == 404
    assert client.get("/exports/pdf").status_code == 422
