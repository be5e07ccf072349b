"""Story clustering metrics and the ECB+ URL strip, on small inputs written here."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.evaluation.clusters import bcubed, strip_source_url
from narrascope.narratives.stories import StorySettings, average_link, cluster_stories, names_and_numbers


def test_clusters_bcubed_perfect_and_all_in_one() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed([[0, 1], [2, 3]], gold).f1 == 1.0
    merged = bcubed([[0, 1, 2, 3]], gold)
    assert merged.recall == 1.0 and merged.precision == pytest.approx(0.5)
    singletons = bcubed([[0], [1], [2], [3]], gold)
    assert singletons.precision == 1.0 and singletons.recall == pytest.approx(0.5)
    assert singletons.f1 == pytest.approx(2 / 3)


def test_clusters_bcubed_worked_example() -> None:
    # Items 0-2 gold "a", 3 gold "b"; predicted {0,1} {2,3}: P = (1+1+.5+.5)/4, R = (2/3+2/3+1/3+1)/4.
    score = bcubed([[0, 1], [2, 3]], ["a", "a", "a", "b"])
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_clusters_bcubed_rejects_bad_cover() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        bcubed([[0, 1], [1]], ["a", "a"])
    with pytest.raises(ValueError, match="cover"):
        bcubed([[0]], ["a", "b"])


def test_clusters_strip_source_url_only_leading_urls() -> None:
    sentences = ["http: / / www. foxnews. com / 2013 / 05 / lohan /", "Lindsay Lohan checks into rehab",
                 "See www.x.com"]
    assert strip_source_url(sentences) == ("Lindsay Lohan checks into rehab", "See www.x.com")
    assert strip_source_url(["Tara Reid enters rehab"]) == ("Tara Reid enters rehab",)


def test_clusters_average_link_cuts_at_threshold() -> None:
    similarity = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    assert average_link(similarity, 0.5) == [[0, 1], [2]]
    assert average_link(similarity, 0.95) == [[0], [1], [2]]


def test_stories_names_tell_same_topic_events_apart() -> None:
    texts = [
        "Tara Reid checked into Promises Treatment Center in Malibu in 2008, her rep said.",
        "Actress Tara Reid has entered Promises rehab in Malibu, People reported in 2008.",
        "Lindsay Lohan checked into the Betty Ford Center in 2013, her lawyer Shawn Holley said.",
        "Lohan entered Betty Ford rehab in May 2013, lawyer Shawn Holley confirmed.",
    ]

    def embed(batch: list[str]) -> np.ndarray:  # every text means "an actress goes to rehab"
        return np.ones((len(batch), 4), dtype=np.float32) / 2.0

    assert "tara reid" in names_and_numbers(texts[0]).replace(" checked", "")
    clusters = cluster_stories(texts, embed, StorySettings(threshold=0.5))
    assert clusters == [[0, 1], [2, 3]]
    assert cluster_stories([], embed) == []
