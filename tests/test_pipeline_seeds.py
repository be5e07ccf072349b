"""End to end on the five seed pages: ingest, store, speakers, claim clusters, one narrative (issue 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from narrascope import views
from narrascope.cli import main
from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store
from tests.postgres_server import new_database
from tests.seeds import seed_paths

pytestmark = pytest.mark.slow


_SEEDS_DATABASES: dict[str, str] = {}  # backend -> the seeds ingested once per test process


def _seeds_database(backend: str, request: pytest.FixtureRequest) -> str:
    if backend not in _SEEDS_DATABASES:
        if backend == "sqlite":
            db = str(request.getfixturevalue("tmp_path_factory").mktemp("seeds") / "seeds.db")
        else:
            db = new_database(request.getfixturevalue("postgres_cluster"))
        paths = [str(path) for path in seed_paths()]
        with Store(db) as store:
            report = ingest([str(Path(paths[0]).parent)], store, Settings(db=db))
        assert report.stored == 5 and report.rejected == []
        _SEEDS_DATABASES[backend] = db
    return _SEEDS_DATABASES[backend]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeds_db(request: pytest.FixtureRequest) -> str:
    """The five seed pages ingested into an SQLite file, then into PostgreSQL: every test runs on both."""
    return _seeds_database(request.param, request)


def test_pipeline_seeds_same_results_on_sqlite_and_postgresql(request: pytest.FixtureRequest) -> None:
    """BATTERY.md D10: every listing, the timeline and every export are identical on the two engines."""
    from narrascope.exports import KINDS, export

    results: dict[str, dict[str, Any]] = {}
    for backend in ("sqlite", "postgresql"):
        with Store(_seeds_database(backend, request), read_only=True) as store:
            result: dict[str, Any] = {kind: listing(store) for kind, listing in views.LISTINGS.items()}
            top = result["narratives"][0]["id"]
            result["timeline"] = views.timeline_record(store, top)
            result["exports"] = {kind: export(store, kind, narrative_id=top) for kind in sorted(KINDS)}
            result["counts"] = store.counts()
        results[backend] = result
    for key in results["sqlite"]:
        assert results["postgresql"][key] == results["sqlite"][key], key


def _records(db: str, kind: str) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return views.LISTINGS[kind](store)


def _outlet_of(db: str) -> dict[str, str | None]:
    return {a["id"]: a["outlet"] for a in _records(db, "articles")}


def test_pipeline_seeds_sergei_and_sergey_are_one_speaker_across_two_outlets(seeds_db: str) -> None:
    speakers = [s for s in _records(seeds_db, "speakers") if "Shoigu" in s["name"]]
    assert len(speakers) == 1, speakers
    assert {"Sergei Shoigu", "Sergey Shoigu"} <= set(speakers[0]["aliases"])
    outlets = _outlet_of(seeds_db)
    claims = [c for c in _records(seeds_db, "claims") if c["speaker_id"] == speakers[0]["id"]]
    assert {outlets[c["article_id"]] for c in claims} >= {"Al Mayadeen English", "Bayan News"}


def test_pipeline_seeds_every_claim_span_is_evidence(seeds_db: str) -> None:
    articles = {a["id"]: a for a in _records(seeds_db, "articles")}
    for claim in _records(seeds_db, "claims"):
        field = "title" if claim["section"] == "title" else "body"
        assert articles[claim["article_id"]][field][claim["start"]:claim["end"]] == claim["text"]


def test_pipeline_seeds_kabulov_statement_is_one_cluster_across_two_outlets(seeds_db: str) -> None:
    claims = _records(seeds_db, "claims")
    sponsoring = [c for c in claims if "Anglo-Saxons" in c["text"] and "sponsor" in c["text"]]
    assert len({c["article_id"] for c in sponsoring}) == 2, sponsoring
    assert len({c["cluster_id"] for c in sponsoring}) == 1
    assert all("Kabulov" in (c["speaker"] or "") for c in sponsoring)


def test_pipeline_seeds_one_narrative_over_all_five_pages(seeds_db: str) -> None:
    narratives = _records(seeds_db, "narratives")
    assert narratives, "no narrative found"
    top = narratives[0]
    assert len(top["article_ids"]) == 5
    assert top["first_seen"] == "2023-02-12" and top["last_seen"] == "2023-05-26"
    assert set(top["outlets"]) == {"Al Mayadeen English", "Bayan News", "AT News"}
    assert any("Shoigu" in s for s in top["speakers"]) and any("Kabulov" in s for s in top["speakers"])
    assert top["label"] and top["key_terms"]


def test_pipeline_seeds_reingest_changes_nothing(seeds_db: str) -> None:
    before = {kind: _records(seeds_db, kind) for kind in ("articles", "claims", "speakers", "narratives")}
    with Store(seeds_db) as store:
        report = ingest([str(p) for p in seed_paths()], store, Settings(db=seeds_db))
    assert report.stored == 0 and report.unchanged == 5
    after = {kind: _records(seeds_db, kind) for kind in before}
    assert after == before


def test_pipeline_seeds_cli_json_contract(seeds_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    required = {
        "articles": {"id", "source", "title", "outlet", "published", "author", "language", "body"},
        "claims": {"id", "article_id", "speaker_id", "speaker", "cue", "text", "kind", "start", "end",
                   "cluster_id", "narrative_id"},
        "speakers": {"id", "name", "aliases", "role", "kind"},
        "narratives": {"id", "label", "claim_ids", "article_ids", "speaker_ids", "outlets", "first_seen",
                       "last_seen"},
    }
    for kind, fields in required.items():
        assert main([kind, "--db", seeds_db, "--json"]) == 0
        records = json.loads(capsys.readouterr().out)
        assert records and all(fields <= set(record) for record in records), kind
    assert main(["narratives", "--db", seeds_db]) == 0
    table = capsys.readouterr().out
    first = json.loads(json.dumps(_records(seeds_db, "narratives")[0]))
    assert first["label"] in table and "AT News" in table


def test_pipeline_seeds_statement_dates_events_and_relays(seeds_db: str) -> None:
    articles = {a["id"]: a for a in _records(seeds_db, "articles")}
    claims = _records(seeds_db, "claims")
    by_outlet: dict[str | None, list[dict[str, Any]]] = {}
    for claim in claims:
        by_outlet.setdefault(articles[claim["article_id"]]["outlet"], []).append(claim)
    bayan = [c for c in by_outlet["Bayan News"] if "Shoigu" in (c["speaker"] or "") and c["section"] == "body"]
    body = articles[bayan[0]["article_id"]]["body"]
    dated = [c for c in bayan if c["date_span"]]
    assert dated and all(c["stated_flagged"] and c["stated_on"] is None for c in dated)  # the page gives no year
    assert body[dated[0]["date_span"][0]:dated[0]["date_span"][1]] == "Friday (April 26)"
    assert any("Shanghai Cooperation Organization" in (c["event"] or "") for c in bayan)
    mayadeen = by_outlet["Al Mayadeen English"]
    shoigu = [c for c in mayadeen if "Shoigu" in (c["speaker"] or "")]
    assert any(c["cited_source"] == "TASS" for c in shoigu)
    assert all(c["stated_on"] == "2023-05-26" for c in shoigu if c["section"] == "body")
    assert any("Collective Security Treaty Organization" in (c["event"] or "") for c in shoigu)
    january = [c for c in mayadeen if "Kabulov" in (c["speaker"] or "")]
    assert january and all(c["stated_on"] == "2023-01" and c["stated_flagged"] for c in january)
    assert any(c["cited_source"] == "Press TV" and "Kabulov" in c["speaker"] for c in by_outlet[None])


def test_pipeline_seeds_narrative_counter_claims(seeds_db: str) -> None:
    top = _records(seeds_db, "narratives")[0]
    counters = {c["speaker"] for c in top["counter_claims"]}
    assert "Mohammad Yaqoob Mujahid" in counters and "Taliban" in counters
    assert not any("Shoigu" in s or "Kabulov" in s for s in counters)


def test_pipeline_seeds_kabulov_reuse_relays_and_timeline(seeds_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    claims = {c["id"]: c for c in _records(seeds_db, "claims")}
    assert main(["reuse", "--db", seeds_db, "--json"]) == 0
    reuse = json.loads(capsys.readouterr().out)
    kabulov = [r for r in reuse if "avenge" in r["a"]["text"]]
    assert len(kabulov) == 1
    sides = (kabulov[0]["a"], kabulov[0]["b"])
    assert {s["outlet"] for s in sides} == {"Al Mayadeen English", None}
    for item in sides:  # the shared words sit inside a Kabulov claim on both sides
        assert any("Kabulov" in (claims[c]["speaker"] or "") for c in item["claim_ids"])
    assert kabulov[0]["source_id"] == min(sides, key=lambda s: s["published"])["article_id"]
    top = _records(seeds_db, "narratives")[0]
    assert main(["timeline", top["id"][:8], "--db", seeds_db, "--json"]) == 0
    timeline = json.loads(capsys.readouterr().out)
    assert {(r["cited_source"], r["outlet"]) for r in timeline["relays"]} >= {("TASS", "Al Mayadeen English"),
                                                                             ("Press TV", None)}
    assert timeline["reuse"] and [a["published"] for a in timeline["articles"]][:2] == ["2023-02-12", "2023-05-26"]
    assert main(["outlets", "--db", seeds_db, "--json"]) == 0
    outlets = {o["outlet"]: o for o in json.loads(capsys.readouterr().out)}
    assert outlets["Al Mayadeen English"]["narratives"][0]["narrative_id"] == top["id"]
    assert main(["timeline", "nosuchid", "--db", seeds_db]) == 2


CATALOGUE = '''
[[narratives]]
name = "Foreign power arms militants next door"
description = "A foreign power supports or moves terrorist groups in a neighbouring country to destabilise the region."
examples = ["Washington sponsors militant fighters to threaten neighbouring states"]

[[narratives]]
name = "Vaccines are dangerous"
description = "Vaccines cause autism and are hidden poison."
examples = ["The vaccine causes infertility"]
'''


def test_pipeline_seeds_catalogue_match_with_evidence(
    seeds_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
    assert main(["match", str(tmp_path / "catalogue.toml"), "--db", seeds_db, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 5
    articles = {a["id"]: a for a in _records(seeds_db, "articles")}
    for record in records:
        assert [m["name"] for m in record["matches"]] == ["Foreign power arms militants next door"]
        evidence = record["matches"][0]["evidence"][0]
        text = articles[record["article_id"]][evidence["field"]][evidence["start"]:evidence["end"]]
        assert evidence["passage"] in " ".join(text.split()) or evidence["passage"] in text
