"""The Scrapinghub shingle metric and the metadata match, on hand-made pairs."""

from __future__ import annotations

import pytest

from narrascope.evaluation.extraction import page_counts, same_field, score_field, score_pages, shingles


def test_extraction_eval_shingles_are_lowercased_word_4grams() -> None:
    assert shingles("The cat, sat on; THE mat") == {("the", "cat", "sat", "on"): 1, ("cat", "sat", "on", "the"): 1,
                                                    ("sat", "on", "the", "mat"): 1}
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}


def test_extraction_eval_page_counts_normalised() -> None:
    counts = page_counts("a b c d e f", "a b c d e")
    # prediction shingles: abcd bcde cdef; gold: abcd bcde -> TP 2, FP 1, FN 0
    assert counts.tp == pytest.approx(2 / 3)
    assert counts.fp == pytest.approx(1 / 3)
    assert counts.fn == 0


def test_extraction_eval_macro_average_then_f1() -> None:
    perfect = ("a b c d e", "a b c d e")
    half = ("a b c d e", "x y z w v")  # nothing shared: P 0, R 0
    scores = score_pages([perfect, half])
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.5)
    assert scores.pages == 2


def test_extraction_eval_empty_prediction_counts_for_recall_only() -> None:
    scores = score_pages([("", "a b c d e"), ("a b c d e", "a b c d e")])
    assert scores.precision == pytest.approx(1.0)  # the empty page has no TP+FP: left out of precision
    assert scores.recall == pytest.approx(0.5)


def test_extraction_eval_bag_of_words() -> None:
    assert score_pages([("b a", "a b c d")], size=1).precision == pytest.approx(1.0)
    assert score_pages([("b a", "a b c d")], size=1).recall == pytest.approx(0.5)


def test_extraction_eval_field_match_folds_case_and_punctuation() -> None:
    assert same_field("US seeking to use terrorists: Russia", "us seeking to use terrorists — russia")
    assert not same_field(None, "Jane Doe")
    assert same_field("2023-05-26", "2023-05-26T11:39:00", is_date=True)
    row = score_field("title", [("A b", "a B"), (None, "c"), ("x", None)])
    assert (row.matched, row.with_gold, row.found, row.pages) == (1, 2, 2, 3)
    assert row.rate == pytest.approx(0.5)
