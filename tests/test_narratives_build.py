"""Narratives: the same statement in other words is one cluster; one story across outlets is one narrative."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.config import NarrativeSettings
from narrascope.models import Article, Claim
from narrascope.narratives import build_narratives, load_embedder
from narrascope.narratives.labels import key_terms, short_label
from narrascope.narratives.passages import split_passages
from narrascope.narratives.similarity import DisjointSets, close_pairs
from tests.helpers import make_article, make_claim, make_page

pytestmark = pytest.mark.slow


def _corpus(texts: list[tuple[str, str, str | None]]) -> tuple[list[Claim], dict[str, Article]]:
    """(article key, claim text, speaker) -> claims and articles, one article per key."""
    articles: dict[str, Article] = {}
    claims: list[Claim] = []
    for number, (key, text, speaker) in enumerate(texts):
        page = make_page(f"Article {key} holds enough words to count as a page.", source=key)
        published = f"2023-0{len(articles) % 9 + 1}-01"
        article = articles.setdefault(page.id, make_article(page, text, published=published, outlet=f"Outlet {key}"))
        claims.append(make_claim(article.id, number, text, speaker))
    return claims, articles


def _embed(texts: list[str]) -> np.ndarray:
    return load_embedder().embed(texts)


def test_narratives_paraphrase_in_long_quote_is_one_cluster() -> None:
    claims, articles = _corpus([
        ("a", "They hide it well, they talk of peace and trade, but in truth the company quietly funds the "
              "rebel militia in the northern hills, and everyone in the capital knows it", "Ana Petrova"),
        ("b", "The company is covertly financing the rebel militia in the northern hills", "Anna Petrova"),
        ("c", "The harvest this year was the best in a decade thanks to the rain", "Farm Union"),
    ])
    result = build_narratives(claims, articles, {}, _embed, NarrativeSettings())
    cluster = {result.cluster_of_claim[c.id] for c in claims[:2]}
    assert len(cluster) == 1
    assert result.cluster_of_claim[claims[2].id] not in cluster


def test_narratives_story_across_speakers_and_outlets() -> None:
    claims, articles = _corpus([
        ("a", "The neighbouring state is arming smugglers to destabilise our southern border", "Defence Minister"),
        ("b", "Our neighbour uses armed smuggling gangs to unsettle the southern frontier region", "Interior Ministry"),
        ("c", "The neighbouring government is behind the gangs that attack the south border", "Border Service"),
        ("d", "A new football stadium will open in the capital next spring", "City Council"),
        ("e", "Bread prices rose by three percent in October, the statistics office said", "Statistics Office"),
    ])
    result = build_narratives(claims, articles, {}, _embed, NarrativeSettings())
    assert len(result.narratives) == 1
    narrative = result.narratives[0]
    assert set(narrative.claim_ids) == {c.id for c in claims[:3]}
    assert len(narrative.article_ids) == 3 and narrative.first_seen == "2023-01-01"
    assert narrative.last_seen == "2023-03-01" and narrative.outlets == ("Outlet a", "Outlet b", "Outlet c")
    assert narrative.representative_claim_id in narrative.claim_ids
    assert any("south" in term for term in narrative.key_terms)


def test_narratives_single_article_is_not_a_narrative() -> None:
    claims, articles = _corpus([
        ("a", "The dam will be finished by the end of the year", "Energy Minister"),
        ("a", "The dam's construction will be completed before the year ends", "Energy Minister"),
    ])
    result = build_narratives(claims, articles, {}, _embed, NarrativeSettings())
    assert result.narratives == ()
    assert len(set(result.cluster_of_claim.values())) == 1


def test_passages_split_long_sentences_into_windows() -> None:
    text = " ".join(f"word{i}" for i in range(40)) + ". Second sentence here is short but fine."
    passages = split_passages([text, "tiny"])
    pieces = [p.text for p in passages if p.claim_index == 0]
    assert pieces[0].startswith("word0") and pieces[0].endswith("fine.")
    assert "Second sentence here is short but fine." in pieces
    assert any(p.startswith("word7 ") for p in pieces)
    assert [p.text for p in passages if p.claim_index == 1] == ["tiny"]


def test_similarity_close_pairs_and_disjoint_sets() -> None:
    vectors = np.array([[1, 0], [0.99, 0.141], [0, 1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert [(i, j) for i, j, _ in close_pairs(vectors, 0.9)] == [(0, 1)]
    sets = DisjointSets(4)
    sets.union(0, 2)
    sets.union(3, 2)
    assert sets.groups() == [[0, 2, 3], [1]]


def test_labels_are_readable() -> None:
    assert short_label("Jo Bloggs", '"We will win," ') == "Jo Bloggs: We will win,"
    assert short_label(None, "x " * 200).endswith("…")
    terms = key_terms(["water shortage hits farms", "water shortage worsens"], ["water shortage hits farms",
                      "water shortage worsens", "elections were held", "farms sold"])
    assert terms[0] == "water shortage"


def test_similarity_average_link_groups_match_all_pairs_linkage() -> None:
    from scipy.cluster.hierarchy import fcluster, linkage

    from narrascope.narratives.similarity import average_link_groups

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(12, 24))
    vectors = np.repeat(centres, 6, axis=0) + rng.normal(scale=0.35, size=(72, 24))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    labels = fcluster(linkage(vectors.astype(np.float64), method="average", metric="cosine"), t=0.5,
                      criterion="distance")
    expected: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        expected.setdefault(label, []).append(index)
    got = average_link_groups(vectors, 0.5, neighbours=100)
    assert sorted(got) == sorted(expected.values())
    assert len(got) > 5
