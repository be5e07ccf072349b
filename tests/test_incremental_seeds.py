"""The incremental refresh on the seeds: four seeds refreshed in full, the fifth placed incrementally.

Thresholds are made small (`incremental_above=5` claims) so the incremental path runs on a few dozen
claims; a full refresh of all five seeds is the reference.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from narrascope.config import NarrativeSettings, Settings
from narrascope.pipeline import ingest, ingest_items, refresh_derived
from narrascope.store import Store
from tests.helpers import make_page
from tests.seeds import seed_paths

pytestmark = pytest.mark.slow

HELD_OUT = 4  # the seed added incrementally


def _settings(db: Path) -> Settings:
    return Settings(db=str(db), narratives=replace(NarrativeSettings(), incremental_above=5))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """All five seeds through the full refresh (the default settings)."""
    db = tmp_path_factory.mktemp("full") / "full.db"
    with Store(str(db)) as store:
        ingest([str(p) for p in seed_paths()], store, Settings(db=str(db)))
        assert store.incremental_marker() is None  # below the default threshold nothing extra is kept
        return {"links": store.claim_links(), "clusters": store.clusters(), "narratives": store.narratives()}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seeds refreshed in full above the (small) threshold: the marker and signatures are recorded."""
    db = tmp_path_factory.mktemp("base") / "base.db"
    with Store(str(db)) as store:
        ingest([str(p) for i, p in enumerate(seed_paths()) if i != HELD_OUT], store, _settings(db))
        assert store.incremental_marker() is not None
    return db


def _copy(base: Path, folder: Path) -> Path:
    target = folder / "corpus.db"
    shutil.copy(base, target)
    return target


def _state(store: Store) -> tuple[object, ...]:
    return (store.derived_state(), store.claim_links(), store.clusters(), store.narratives(), store.speakers(),
            store.duplicate_groups(), store.claim_contexts())


def test_incremental_seeds_place_the_fifth_seed_as_a_full_refresh_does(
        base: Path, reference: dict[str, object], tmp_path: Path) -> None:
    db = _copy(base, tmp_path)
    settings = _settings(db)
    with Store(str(db)) as store:
        ingest([str(seed_paths()[HELD_OUT])], store, settings)
        assert str(store.derived_state()).startswith("incremental:")
        links, clusters, narratives = store.claim_links(), store.clusters(), store.narratives()
        history = store.narrative_history()
        assert {c.id for c in store.claims()} == set(links)  # every claim placed
        # The same claims grouped together, cluster for cluster; the same speaker for every claim.
        assert {frozenset(c.claim_ids) for c in clusters} == {frozenset(c.claim_ids) for c in reference["clusters"]}
        assert {c: link[0] for c, link in links.items()} == {c: link[0] for c, link in reference["links"].items()}
        # The narrative every seed tells grows with the fifth seed, under its old id.
        (told,) = reference["narratives"]
        main = narratives[0]
        assert len(main.article_ids) == 5 and set(main.article_ids) == set(told.article_ids)
        # Where placement differs: average linkage over the whole corpus drew two clusters of the fifth seed
        # into the narrative; placed one by one they are less than `same_story` close to it on average, and
        # form a small narrative of their own with another seed's claims (documented in README.md).
        assert len(set(main.claim_ids) & set(told.claim_ids)) >= len(told.claim_ids) - 3
        assert not set(main.claim_ids) - set(told.claim_ids)
        assert any(change.kind == "grew" and change.level == "narrative" and change.old_ids == (main.id,)
                   for change in history)
        # Evidence still traces: every claim of every narrative is a span of its article.
        articles = {a.id: a for a in store.articles()}
        claims = {c.id: c for c in store.claims()}
        for narrative in narratives:
            for claim_id in narrative.claim_ids:
                claim = claims[claim_id]
                article = articles[claim.article_id]
                text = (article.title or "") if claim.section == "title" else article.body
                assert claim.article_id in narrative.article_ids and text[claim.start:claim.end] == claim.text
        index_meta = json.loads(Path(str(db) + ".claims.json").read_text())
        assert index_meta["fingerprint"] == store.derived_state()  # the index follows the state


def test_incremental_seeds_reingest_and_refresh_change_nothing(base: Path, tmp_path: Path) -> None:
    db = _copy(base, tmp_path)
    settings = _settings(db)
    with Store(str(db)) as store:
        ingest([str(seed_paths()[HELD_OUT])], store, settings)
        before = _state(store)
        ingest([str(p) for p in seed_paths()], store, settings)
        assert not refresh_derived(store, settings)
        assert _state(store) == before


def test_incremental_seeds_full_refresh_gives_a_fresh_run(
        base: Path, reference: dict[str, object], tmp_path: Path) -> None:
    db = _copy(base, tmp_path)
    settings = _settings(db)
    with Store(str(db)) as store:
        ingest([str(seed_paths()[HELD_OUT])], store, settings)
        assert refresh_derived(store, settings, full=True)
        assert {frozenset(n.claim_ids) for n in store.narratives()} == {
            frozenset(n.claim_ids) for n in reference["narratives"]}
        assert not str(store.derived_state()).startswith("incremental:")


def test_incremental_seeds_failed_write_leaves_the_previous_state(
        base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _copy(base, tmp_path)
    settings = _settings(db)
    with Store(str(db)) as store:
        before = _state(store)
        history = store.narrative_history()

        def killed(*_: object) -> None:
            raise KeyboardInterrupt  # as a kill between the first rows and the commit

        monkeypatch.setattr("narrascope.store.incremental._set_state", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest([str(seed_paths()[HELD_OUT])], store, settings)
        assert _state(store) == before and store.narrative_history() == history
        monkeypatch.undo()
        assert refresh_derived(store, settings)  # the next refresh places the page
        assert str(store.derived_state()).startswith("incremental:")


RESTATEMENT = """Kabul talks

Sergey Lavrov said on Monday: "the US and its allies are seeking to interfere in Afghanistan's fragile stability."

Maria Lindqvist, who runs a bakery in Uppsala, said: "Our rye bread sales doubled this winter because the cold kept
everyone baking at home instead of going out."
"""


def test_incremental_seeds_restatement_joins_its_cluster_unrelated_claim_starts_one(
        base: Path, tmp_path: Path) -> None:
    db = _copy(base, tmp_path)
    settings = _settings(db)
    with Store(str(db)) as store:
        clusters_before = {c.id: c for c in store.clusters()}
        narrative_ids = {n.id for n in store.narratives()}
        speakers_before = {s.id for s in store.speakers()}
        ingest_items([make_page(RESTATEMENT, "restatement.txt")], store, settings)
        new = [c for c in store.claims() if c.article_id == make_page(RESTATEMENT, "restatement.txt").id]
        links = store.claim_links()
        lavrov = next(c for c in new if "interfere" in c.text)
        baker = next(c for c in new if "rye bread" in c.text)
        assert links[lavrov.id][1] in clusters_before  # joined the stored cluster of the same statement
        assert links[lavrov.id][2] in narrative_ids  # and its narrative
        assert links[lavrov.id][0] in speakers_before  # the stored Lavrov
        assert links[baker.id][1] not in clusters_before and links[baker.id][2] is None
        assert links[baker.id][0] not in speakers_before


def test_incremental_seeds_on_postgresql_match_sqlite(
        base: Path, postgres_cluster: str, tmp_path: Path) -> None:
    """The same placement on PostgreSQL (its index is built in memory: no file beside a URL)."""
    from tests.postgres_server import new_database

    url = new_database(postgres_cluster)
    db = _copy(base, tmp_path)
    results = []
    for target in (url, str(db)):
        settings = _settings(Path(target)) if target == str(db) else replace(_settings(db), db=url)
        with Store(target) as store:
            if target == url:
                ingest([str(p) for i, p in enumerate(seed_paths()) if i != HELD_OUT], store, settings)
            ingest([str(seed_paths()[HELD_OUT])], store, settings)
            assert str(store.derived_state()).startswith("incremental:")
            results.append(({frozenset(c.claim_ids) for c in store.clusters()},
                            {frozenset(n.claim_ids) for n in store.narratives()}, store.duplicate_groups()))
    assert results[0] == results[1]


def test_incremental_seeds_concurrent_refresh_places_each_claim_once(
        base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process refreshes between this one's reads and its write: this write is dropped, not doubled."""
    db = _copy(base, tmp_path)
    settings = _settings(db)
    original = Store.write_incremental
    raced: list[bool] = []

    def racing(self: Store, *args: object) -> bool:
        if not raced:
            raced.append(True)
            with Store(str(db)) as other:  # the other process, on its own connection
                assert refresh_derived(other, settings)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "write_incremental", racing)
    with Store(str(db)) as store:
        ingest([str(seed_paths()[HELD_OUT])], store, settings)
        links = store.claim_links()
        assert {c.id for c in store.claims()} == set(links)
        assert sum(len(c.claim_ids) for c in store.clusters()) == len(links)  # every claim in one cluster
        assert len(store.narrative_history()) == len({(h.level, h.old_ids) for h in store.narrative_history()})
