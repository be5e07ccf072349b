"""The pieces of the incremental refresh on hand-built records (no model): speakers, near-duplicates, index."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrascope.models import Claim, SpeakerKind
from narrascope.narratives.claim_index import ClaimIndex
from narrascope.reuse.duplicates import near_duplicate_groups
from narrascope.reuse.incremental import matches, sign
from narrascope.speakers import resolve_speakers
from narrascope.speakers.incremental import place_speakers
from tests.helpers import make_article, make_page


def claim(number: int, speaker: str, kind: SpeakerKind = "person", role: str | None = None,
          article: str | None = None) -> Claim:
    return Claim(id=f"c{number}", article_id=article or f"a{number}", speaker=speaker, speaker_mention=speaker,
                 speaker_kind=kind, speaker_role=role, cue="said", text="something", kind="reported", start=0, end=9)


def test_incremental_speakers_join_the_speaker_a_full_run_gives() -> None:
    stored_claims = [claim(1, "Sergey Lavrov", role="foreign minister"), claim(2, "the Taliban", "organization"),
                     claim(3, "Zamir Kabulov")]
    new_claims = [claim(4, "Sergei Lavrov", role="minister", article="a9"), claim(5, "Lavrov", article="a9"),
                  claim(6, "Taliban", "organization"), claim(7, "Anna Berg"), claim(8, "Berg", article="a7")]
    stored = resolve_speakers(stored_claims)
    placed = place_speakers(new_claims, stored.speakers, {"a9": "2024-05-01"})
    full = resolve_speakers(stored_claims + new_claims, {"a9": "2024-05-01"})
    assert placed.speaker_of_claim == {c.id: full.speaker_of_claim[c.id] for c in new_claims}
    by_id = {s.id: s for s in placed.changed}
    lavrov = by_id[placed.speaker_of_claim["c4"]]
    assert lavrov.name == "Sergey Lavrov" and "Sergei Lavrov" in lavrov.aliases
    assert lavrov.role == "minister"  # the role of the latest dated article
    assert placed.new_ids == {placed.speaker_of_claim["c7"]}  # only Anna Berg is new
    assert "c3" not in placed.speaker_of_claim  # stored claims are not placed again


def test_incremental_speakers_without_names_change_nothing() -> None:
    stored = resolve_speakers([claim(1, "Sergey Lavrov")])
    unnamed = Claim(id="c2", article_id="a2", speaker=None, speaker_mention=None, speaker_kind=None,
                    speaker_role=None, cue=None, text="x", kind="reported", start=0, end=1)
    placed = place_speakers([unnamed], stored.speakers, {})
    assert placed.changed == () and placed.speaker_of_claim == {}


BODY = ("The council met on Tuesday to discuss the new water rules for the valley, and the members argued for "
        "hours about who should pay for the pipes, the pumps and the repairs that the old system needs before "
        "the summer drought arrives in the region and the farmers start to irrigate their fields again")


def test_incremental_near_duplicates_match_the_full_grouping() -> None:
    pages = [make_page(BODY + f" {tail}", f"p{i}.txt") for i, tail in enumerate(["today", "today.", "x"])]
    other = make_page("An entirely different story about football scores and a late goal in the final minute "
                      "that decided the championship for the visiting side after a long season", "q.txt")
    articles = [make_article(p, p.text) for p in [*pages, other]]
    stored, new = sign(articles[:1]), sign(articles[1:])
    rows = [(key, s.article_id, s.signature) for s in stored for key in s.band_keys]
    found = matches(new, lambda keys: [r for r in rows if r[0] in keys])
    pairs = {frozenset((a, b)) for a, b, _ in found}
    full = near_duplicate_groups(articles)
    assert len(full) == 1 and set(full[0]) == {a.id for a in articles[:3]}
    assert all(pair <= set(full[0]) for pair in pairs) and frozenset((articles[1].id, articles[0].id)) in pairs
    assert not any(other.id in pair for pair in pairs)


def _unit(rows: int, seed: int = 1) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 384)).astype(np.float32)
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def test_incremental_index_saved_loaded_and_stale(tmp_path: Path) -> None:
    vectors = _unit(50)
    index = ClaimIndex.build(vectors[:40], [f"claim-{i // 2}" for i in range(40)])
    index.add(vectors[40:], [f"claim-{i // 2}" for i in range(40, 50)])
    path = tmp_path / "corpus.db.claims"
    index.save(path, "state-1")
    loaded = ClaimIndex.load(path, "state-1")
    assert loaded is not None and loaded.size == 50
    similarity, rows = loaded.search(vectors[45:46], 3)
    assert rows[0, 0] == 45 and abs(similarity[0, 0] - 1.0) < 1e-5 and loaded.claim_id(45) == "claim-22"
    assert ClaimIndex.load(path, "state-2") is None  # another derived state: rebuilt
    (tmp_path / "corpus.db.claims.json").write_text("{not json")
    assert ClaimIndex.load(path, "state-1") is None  # torn or damaged: rebuilt, never trusted
    assert ClaimIndex.load(tmp_path / "absent.db.claims", "state-1") is None


def test_incremental_signatures_modulo_without_division_is_exact() -> None:
    from narrascope.reuse.duplicates import _PRIME, _mod_prime

    edges = np.array([0, 1, _PRIME - 1, _PRIME, _PRIME + 1, 2 * _PRIME, 7 * _PRIME + 5, 2**63, 2**64 - 1],
                     dtype=np.uint64)
    drawn = np.random.default_rng(5).integers(0, 2**63, 100_000, dtype=np.uint64) * np.uint64(2)
    for values in (edges, drawn, drawn + np.uint64(1)):
        assert (_mod_prime(values) == values % np.uint64(_PRIME)).all()


def test_incremental_index_built_from_chunks_is_the_index_of_the_joined_rows() -> None:
    # Above the exact limit the build streams chunks into an IVF-SQ8 index (never one joined float copy);
    # the k-means sample is picked over all chunks, so it is the same index as over the rows joined.
    vectors = _unit(20_600, seed=3)
    ids = [f"claim-{i}" for i in range(len(vectors))]
    joined = ClaimIndex.build(vectors, ids)
    chunks = [vectors[:7_000], vectors[7_000:7_001], vectors[7_001:]]
    streamed = ClaimIndex.build_from_chunks(chunks, ids)
    assert chunks == [] and streamed.size == joined.size == len(vectors)
    queries = vectors[::1_000]
    assert np.array_equal(streamed.search(queries, 5)[1], joined.search(queries, 5)[1])
    assert [streamed.claim_id(row) for row in (0, 7_000, 20_599)] == ["claim-0", "claim-7000", "claim-20599"]
    assert streamed.search(queries, 1)[1][:, 0].tolist() == list(range(0, len(vectors), 1_000))
