"""Cross-lingual matching embeds the narratives' claims and a bounded sample, not every English claim (issue 7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from narrascope.models import Article, Claim, Narrative
from narrascope.narratives.crosslingual import centring_claims, foreign_evidence
from tests.helpers import make_article, make_claim, make_page

FOREIGN_BODY = "\n".join(f"Foreign sentence number {n} with words." for n in range(10))


def _corpus(count: int) -> tuple[list[Article], list[Claim], Narrative]:
    english = make_article(make_page("English page with enough words.", source="e.txt"), "Body.", outlet="A")
    foreign = replace(make_article(make_page("Foreign page.", source="f.txt"), FOREIGN_BODY, outlet="B"),
                      language="ru")
    claims = [make_claim(english.id, n, f"English claim number {n} about a subject.") for n in range(count)]
    narrative = Narrative("n1", "label", (), (claims[3].id, claims[7].id), (), (english.id,), (), (), None, None)
    return [english, foreign], claims, narrative


def _recording_embed(seen: list[str]) -> Callable[[list[str]], npt.NDArray[np.float32]]:
    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        seen.extend(texts)
        rng = np.random.default_rng(len(seen))
        vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    return embed


def test_crosslingual_sample_embeds_matchable_claims_and_a_bounded_sample() -> None:
    articles, claims, narrative = _corpus(200)
    seen: list[str] = []
    foreign_evidence(articles, claims, [narrative], _recording_embed(seen), english_sample=20)
    english = [text for text in seen if text.startswith("English claim")]
    assert len(english) == 2 + 20
    assert claims[3].text in english and claims[7].text in english
    assert len([text for text in seen if text.startswith("Foreign")]) == 10  # every foreign sentence still


def test_crosslingual_sample_is_stable_and_keeps_small_corpora_whole() -> None:
    _, claims, narrative = _corpus(30)
    chosen = centring_claims(claims, narrative.claim_ids, 10)
    assert [c.id for c in chosen[:2]] == list(narrative.claim_ids)
    assert centring_claims(list(reversed(claims)), narrative.claim_ids, 10)[2:] == chosen[2:]  # not input order
    assert {c.id for c in centring_claims(claims, narrative.claim_ids, 64)} == {c.id for c in claims}
    assert len(centring_claims(claims, narrative.claim_ids, 0)) == 2
