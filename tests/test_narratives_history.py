"""Stable narrative ids as news streams in, and a recorded history of splits and merges (issue 9)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from narrascope.cli import main
from narrascope.config import Settings
from narrascope.models import ClaimCluster, GroupChange
from narrascope.narratives.history import group_changes, keep_ids
from narrascope.pipeline import refresh_derived
from narrascope.store import Store
from tests.helpers import make_article, make_claim, make_page

STORY = [
    "The neighbouring state is arming smugglers to destabilise our southern border",
    "Our neighbour uses armed smuggling gangs to unsettle the southern frontier region",
    "The neighbouring government is behind the gangs that attack the south border",
]
OTHER_STORY = [
    "The new dam will flood three villages in the valley and nobody asked the farmers",
    "Farmers in the valley say the planned dam will drown their villages without consent",
]


def _cluster(name: str, *claims: str) -> ClaimCluster:
    return ClaimCluster(name, name, tuple(claims))


def test_history_keep_ids_and_changes_by_hand() -> None:
    old = [_cluster("a", "1", "2", "3", "4"), _cluster("b", "5", "6"), _cluster("c", "7", "8"), _cluster("d", "9")]
    fresh = [_cluster("x", "1", "2", "3"), _cluster("y", "4"), _cluster("z", "5", "6", "7", "8", "10")]
    kept = keep_ids(fresh, old)
    assert [group.id for group in kept] == ["a", "y", "z"]  # "z" shares 2 of 5 with b and c: a new id
    changes = {(c.kind, c.old_ids, c.new_ids) for c in group_changes("cluster", old, kept)}
    assert changes == {("split", ("a",), ("a", "y")), ("merge", ("b", "c"), ("z",)), ("dissolved", ("d",), ())}
    grown = keep_ids([_cluster("q", "1", "2", "3", "4", "11")], [old[0]])
    assert grown[0].id == "a" and group_changes("cluster", [old[0]], grown) == []


def _add(store: Store, key: str, texts: list[str]) -> None:
    page = make_page(f"Page {key} holds enough words to count as a page of news.", source=f"{key}.txt")
    article = make_article(page, " ".join(texts), published="2024-03-01", outlet=f"Outlet {key}")
    store.save_article(page, article, [make_claim(article.id, n, text) for n, text in enumerate(texts)])


@pytest.mark.slow
def test_history_ids_stable_when_pages_arrive_and_splits_recorded(tmp_path: Path) -> None:
    settings = replace(Settings(), db=str(tmp_path / "n.db"))
    with Store(settings.db) as store:
        for number, text in enumerate(STORY[:2]):
            _add(store, f"s{number}", [text])
        for number, text in enumerate(OTHER_STORY):
            _add(store, f"o{number}", [text])
        refresh_derived(store, settings)
        first = {n.id: set(n.claim_ids) for n in store.narratives()}
        clusters = {c.id for c in store.clusters()}
        assert len(first) == 2
        refresh_derived(store, settings, force=True)  # the same input again: the same ids, nothing recorded
        assert {n.id: set(n.claim_ids) for n in store.narratives()} == first
        assert {c.id for c in store.clusters()} == clusters and store.narrative_history() == []

        _add(store, "s2", [STORY[2]])  # a new page joins the story
        _add(store, "u", ["The city library will open on Sundays from next month, the mayor said"])
        refresh_derived(store, settings)
        after = {n.id: set(n.claim_ids) for n in store.narratives()}
        assert set(first) <= set(after)
        assert all(first[narrative_id] <= after[narrative_id] for narrative_id in first)
        assert store.narrative_history() == []

        apart = replace(settings, narratives=replace(settings.narratives, same_story=0.995, min_articles=1))
        refresh_derived(store, apart, force=True)  # forced split: every statement its own narrative
        splits = [c for c in store.narrative_history("narrative") if c.kind == "split"]
        assert {c.old_ids[0] for c in splits} == set(first)
        refresh_derived(store, settings, force=True)  # and back together: merges recorded
        merges = [c for c in store.narrative_history("narrative") if c.kind == "merge"]
        assert len(merges) == 2 and all(len(c.old_ids) >= 2 for c in merges)
        current = {n.id for n in store.narratives()}
    code = main(["narratives", "history", "--json", "--db", settings.db])
    assert code == 0
    _check_retired_links(settings.db, merges, current)


def _check_retired_links(db: str, merges: list[GroupChange], current: set[str]) -> None:
    """A link to a narrative that a merge retired leads to the narrative it became (web and API)."""
    from fastapi.testclient import TestClient

    from narrascope.web import create_app

    client = TestClient(create_app(db))
    retired = [(old_id, merge.new_ids) for merge in merges for old_id in merge.old_ids if old_id not in current]
    assert retired
    for old_id, new_ids in retired:
        page = client.get(f"/narratives/{old_id}", follow_redirects=False)
        assert page.status_code == 307 and page.headers["location"] == f"/narratives/{new_ids[0]}"
        assert new_ids[0] in current and client.get(page.headers["location"]).status_code == 200
        answer = client.get(f"/api/v1/narratives/{old_id}")
        assert answer.status_code == 410
        error = answer.json()["error"]
        assert error["change"] == "merge" and [s["id"] for s in error["successors"]] == [new_ids[0]]
        assert "merged into 1 current narrative" in error["message"]
    assert client.get("/narratives/never-was-a-narrative").status_code == 404


def test_history_cli_lists_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "h.db")
    with Store(db) as store:
        change = GroupChange("narrative", "split", ("n1",), ("n1", "n2"), 3)
        store.replace_derived([], [], [], {}, "x", history=[change])
    assert main(["narratives", "history", "--json", "--db", db]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0]["kind"] == "split" and records[0]["new_ids"] == ["n1", "n2"] and records[0]["recorded_at"]
    assert main(["narratives", "history", "--db", db]) == 0
    assert "split" in capsys.readouterr().out
    from fastapi.testclient import TestClient

    from narrascope.web import create_app

    page = TestClient(create_app(db)).get("/narratives/n1")  # neither part is current any more
    assert page.status_code == 410 and "its claims are in no current narrative" in page.text
