"""Catalogue matching: the right entry matches with evidence; parents come with children; confidence in [0, 1].

A hand-made embedder (bag of keywords -> axes) keeps these tests free of models.
"""

from __future__ import annotations

import numpy as np

from narrascope.narratives.catalogue import (
    Catalogue,
    CatalogueEntry,
    confidence,
    match_article,
    match_catalogue,
)

_AXES = ("nazi", "corrupt", "climate", "sanction", "football")


def _embed(texts: list[str]) -> np.ndarray:
    rows = np.zeros((len(texts), len(_AXES) + 1), dtype=np.float32)
    for row, text in enumerate(texts):
        lowered = text.lower()
        for column, word in enumerate(_AXES):
            rows[row, column] = lowered.count(word)
        rows[row, -1] = 0.2  # a shared direction, so unrelated texts are not orthogonal
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


CATALOGUE = Catalogue((
    CatalogueEntry("Corrupt Ukraine", "Ukraine is corrupt"),
    CatalogueEntry("Nazi Ukraine", "", ("Kyiv glorifies nazi collaborators",),
                   parent="Corrupt Ukraine"),
    CatalogueEntry("Sanction backfire", "Western sanction policy hurts the West"),
), threshold=0.8)


def test_catalogue_match_names_entry_parent_and_evidence() -> None:
    texts = ["The officials said the nazi battalions are heroes there.", "The football cup final is on Sunday."]
    matches = match_catalogue(texts, CATALOGUE, _embed)
    names = [match.name for match in matches[0]]
    assert names[0] in {"Nazi Ukraine", "Corrupt Ukraine"}
    assert set(names) == {"Nazi Ukraine", "Corrupt Ukraine"}
    child = next(m for m in matches[0] if m.name == "Nazi Ukraine")
    assert child.evidence[0].probe in {"Nazi Ukraine", "Kyiv glorifies nazi collaborators"}
    assert child.evidence[0].similarity > 0.8
    assert "nazi" in child.evidence[0].passage
    parent = next(m for m in matches[0] if m.name == "Corrupt Ukraine")
    assert parent.evidence[0].via == "Nazi Ukraine"
    assert matches[1] == []
    assert all(0.0 <= m.confidence <= 1.0 for m in matches[0])


def test_catalogue_threshold_override_changes_what_matches() -> None:
    texts = ["Sanction talk and football talk in one sentence here."]
    assert match_catalogue(texts, CATALOGUE, _embed)[0] == []
    loose = match_catalogue(texts, CATALOGUE, _embed, threshold=0.5)[0]
    assert [m.name for m in loose][:1] == ["Sanction backfire"]


def test_catalogue_article_pools_sentences_and_keeps_evidence() -> None:
    sentences = ["A nazi symbol was seen.", "The weather was fine today.", "Officials are corrupt, critics say."]
    matches = match_article(sentences, CATALOGUE, _embed)
    by_name = {m.name: m for m in matches}
    assert set(by_name) == {"Nazi Ukraine", "Corrupt Ukraine"}
    evidence_texts = {e.text_index for e in by_name["Corrupt Ukraine"].evidence}
    assert evidence_texts == {0, 2}


def test_catalogue_confidence_is_half_at_threshold_and_monotone() -> None:
    assert confidence(0.6, 0.6) == 0.5
    assert confidence(0.7, 0.6) > 0.5 > confidence(0.5, 0.6)
    assert 0.0 <= confidence(-1.0, 0.6) < confidence(1.0, 0.6) <= 1.0
