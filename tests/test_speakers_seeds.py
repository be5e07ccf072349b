"""Speakers across the five seed articles: one identity per person and organisation."""

from __future__ import annotations

import pytest
from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.models import Claim, Speaker, SpeakerResolution
from narrascope.speakers import resolve_speakers
from tests.test_claims_seeds import SEEDS, seed_article

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}"),
]



@pytest.fixture(scope="session")
def seeds(nlp: Language) -> tuple[list[Claim], SpeakerResolution]:
    claims: list[Claim] = []
    for prefix in ("000", "001", "002", "003", "004"):
        claims.extend(extract_claims(seed_article(prefix), nlp))
    return claims, resolve_speakers(claims)


def speakers_named(resolution: SpeakerResolution, surname: str) -> list[Speaker]:
    return [s for s in resolution.speakers if s.name.endswith(surname)]


def test_speakers_seeds_shoigu_is_one_speaker(seeds: tuple[list[Claim], SpeakerResolution]) -> None:
    claims, resolution = seeds
    (shoigu,) = speakers_named(resolution, "Shoigu")
    assert shoigu.kind == "person"
    assert {"Sergey Shoigu", "Sergei Shoigu"} <= set(shoigu.aliases)
    assert shoigu.role is not None and "Defense Minister" in shoigu.role
    ids = {resolution.speaker_of_claim[c.id] for c in claims if c.speaker in {"Sergey Shoigu", "Sergei Shoigu"}}
    assert ids == {shoigu.id}
    articles = {c.article_id for c in claims if resolution.speaker_of_claim.get(c.id) == shoigu.id}
    assert len(articles) == 2


def test_speakers_seeds_kabulov_and_lavrov(seeds: tuple[list[Claim], SpeakerResolution]) -> None:
    claims, resolution = seeds
    (kabulov,) = speakers_named(resolution, "Kabulov")
    assert kabulov.name == "Zamir Kabulov"
    articles = {c.article_id for c in claims if resolution.speaker_of_claim.get(c.id) == kabulov.id}
    assert len(articles) == 2
    (lavrov,) = speakers_named(resolution, "Lavrov")
    assert lavrov.name == "Sergey Lavrov"


def test_speakers_seeds_every_claim_with_a_speaker_is_mapped(seeds: tuple[list[Claim], SpeakerResolution]) -> None:
    claims, resolution = seeds
    known = {s.id for s in resolution.speakers}
    for claim in claims:
        if claim.speaker:
            assert resolution.speaker_of_claim[claim.id] in known
    organisations = {s.name for s in resolution.speakers if s.kind == "organization"}
    assert {"Russian Foreign Intelligence Service", "Taliban", "Islamic Emirate"} <= organisations
