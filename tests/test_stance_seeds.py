"""Stance on the five seed pages (issue 5): who reports the narrative, who amplifies it, who gives denials room.

The rules are general (own-voice sentences, the narrative's actor and acts, denial cues); these tests
check that they find on the seeds what an analyst reading the pages finds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from narrascope import views
from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store
from tests.seeds import SEEDS, seed_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("stance") / "seeds.db")
    seed_paths()
    with Store(db) as store:
        ingest([str(SEEDS)], store, Settings(db=db))
    return db


@pytest.fixture(scope="module")
def stance_of(seeds_db: str) -> dict[str, dict[str, Any]]:
    """seed file prefix ("000" ...) -> that article's stance record toward the seeds' narrative."""
    with Store(seeds_db, read_only=True) as store:
        narratives = views.narrative_records(store)
        prefix = {a["id"]: Path(a["source"]).name[:3] for a in views.article_records(store)}
    assert len(narratives) == 1
    return {prefix[s["article_id"]]: s for s in narratives[0]["stance"]}


def _body(seeds_db: str, prefix: str) -> str:
    with Store(seeds_db, read_only=True) as store:
        return next(a["body"] for a in views.article_records(store) if Path(a["source"]).name.startswith(prefix))


def test_stance_seeds_every_article_of_the_narrative_has_a_stance(stance_of: dict[str, dict[str, Any]]) -> None:
    assert sorted(stance_of) == ["000", "001", "002", "003", "004"]


def test_stance_seeds_al_mayadeen_amplifies_in_its_own_unattributed_voice(
    stance_of: dict[str, dict[str, Any]], seeds_db: str
) -> None:
    record = stance_of["000"]
    assert record["stance"] == "amplifies"
    deciding = [e for e in record["evidence"] if e["role"] == "amplifies"]
    assert len(deciding) == 1
    evidence = deciding[0]
    assert "facing accusations" in evidence["text"] and "transferring ISIS terrorists" in evidence["text"]
    assert evidence["claim_id"] is None  # the outlet's own sentence, not a quote
    assert _body(seeds_db, "000")[evidence["start"]:evidence["end"]] == evidence["text"]
    # Background sentences close to the story (the withdrawal, the frozen assets) decide nothing.
    assert not any("mayhem" in e["text"] or "frozen" in e["text"] for e in record["evidence"])


def test_stance_seeds_001_reports_with_the_islamic_emirate_and_an_analyst_as_counter_voices(
    stance_of: dict[str, dict[str, Any]],
) -> None:
    record = stance_of["001"]
    assert record["stance"] == "reports" and record["counter_room"]
    assert all(e["claim_id"] for e in record["evidence"])
    counter = [e for e in record["evidence"] if e["role"] == "counter"]
    assert any("dismissed" in e["reason"] for e in counter)
    analyst = [e for e in counter if "stand side by side" in e["text"]]
    assert len(analyst) == 1 and "speaks for Islamic Emirate" in analyst[0]["reason"]


def test_stance_seeds_bayan_news_gives_the_taliban_denial_room(stance_of: dict[str, dict[str, Any]]) -> None:
    record = stance_of["002"]
    assert record["stance"] == "reports" and record["counter_room"]
    counter = [e for e in record["evidence"] if e["role"] == "counter"]
    assert any("denies" in e["reason"] for e in counter)
    assert any("no physical presence" in e["text"] for e in counter)


def test_stance_seeds_outlet_profile_has_the_stance_mix_and_days_after_first_seen(seeds_db: str) -> None:
    with Store(seeds_db, read_only=True) as store:
        outlets = {o["outlet"]: o for o in views.outlet_records(store)}
    mayadeen = next(o for name, o in outlets.items() if name.startswith("Al Mayadeen"))
    assert mayadeen["stance_mix"]["amplifies"] == 1 and mayadeen["stance_mix"]["reports"] == 0
    carried = mayadeen["narratives"][0]
    assert carried["days_after_first_seen"] == 103  # 2023-02-12 -> 2023-05-26
    assert carried["stance"][0]["evidence"][0]["role"] == "amplifies"
    bayan = next(o for name, o in outlets.items() if name.startswith("Bayan"))
    assert bayan["stance_mix"]["counter_room"] == 1


def test_stance_seeds_web_narrative_and_outlet_pages_show_stance_with_evidence(seeds_db: str) -> None:
    from urllib.parse import quote

    from fastapi.testclient import TestClient

    from narrascope.web import create_app

    client = TestClient(create_app(seeds_db))
    with Store(seeds_db, read_only=True) as store:
        narrative_id = store.narratives()[0].id
        outlet = next(a.outlet for a in store.articles() if a.outlet and a.outlet.startswith("Al Mayadeen"))
    detail = client.get(f"/api/v1/narratives/{narrative_id}").json()
    amplifying = [s for s in detail["stance"] if s["stance"] == "amplifies"]
    assert len(amplifying) == 1 and amplifying[0]["outlet"] == outlet
    page = client.get(f"/narratives/{narrative_id}").text
    assert "Stance of each article" in page and "gives counter-claims room" in page
    assert f"characters {amplifying[0]['evidence'][0]['start']}–{amplifying[0]['evidence'][0]['end']}" in page
    profile = client.get(f"/api/v1/outlets/{quote(outlet)}").json()
    assert profile["stance_mix"]["amplifies"] == 1
    outlet_page = client.get(f"/outlets/{quote(outlet)}").text
    assert "1 amplify" in outlet_page and "facing accusations" in outlet_page
