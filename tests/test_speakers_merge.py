"""Speaker merging rules on hand-built claims (no model needed)."""

from __future__ import annotations

from narrascope.models import Claim, SpeakerKind
from narrascope.speakers import resolve_speakers
from narrascope.speakers.names import same_given_name, strip_role, word_key


def claim(number: int, speaker: str, kind: SpeakerKind = "person", role: str | None = None) -> Claim:
    return Claim(
        id=f"c{number}",
        article_id=f"a{number}",
        speaker=speaker,
        speaker_mention=speaker,
        speaker_kind=kind,
        speaker_role=role,
        cue="said",
        text="something",
        kind="reported",
        start=0,
        end=9,
    )


def test_speakers_merge_transliteration_rules() -> None:
    assert word_key("Sergei") == word_key("Sergey")
    assert word_key("Dmitriy") == word_key("Dmitry")
    assert word_key("Mikhail") == word_key("Mihail")
    assert word_key("Dzhokhar") == word_key("Jokhar")
    assert word_key("Aleksandr") == word_key("Alexandr")
    assert same_given_name("Aleksandr", "Aleksander")  # one edit apart
    assert not same_given_name("Sergey", "Maria")


def test_speakers_merge_strip_role() -> None:
    assert strip_role("Russian Defense Minister Sergei Shoigu") == "Sergei Shoigu"
    assert strip_role("Zamir Kabulov") == "Zamir Kabulov"


def test_speakers_merge_variants_and_surname_into_one() -> None:
    claims = [
        claim(1, "Sergei Shoigu", role="Russian Defense Minister"),
        claim(2, "Sergey Shoigu", role="Russian Defense Minister"),
        claim(3, "Shoigu"),
        claim(4, "Russian Defense Minister Sergei Shoigu", role="Defense Minister"),
    ]
    resolution = resolve_speakers(claims)
    assert len(resolution.speakers) == 1
    speaker = resolution.speakers[0]
    assert speaker.role == "Russian Defense Minister"
    assert {"Sergei Shoigu", "Sergey Shoigu", "Shoigu"} <= set(speaker.aliases)
    assert set(resolution.speaker_of_claim) == {"c1", "c2", "c3", "c4"}


def test_speakers_merge_ids_are_stable_across_spellings() -> None:
    first = resolve_speakers([claim(1, "Sergei Shoigu")]).speakers[0].id
    second = resolve_speakers([claim(2, "Sergey Shoigu")]).speakers[0].id
    assert first == second


def test_speakers_merge_keeps_different_people_apart() -> None:
    claims = [claim(1, "Hillary Clinton"), claim(2, "Bill Clinton"), claim(3, "Clinton")]
    resolution = resolve_speakers(claims)
    names = sorted(s.name for s in resolution.speakers)
    assert names == ["Bill Clinton", "Clinton", "Hillary Clinton"]  # an ambiguous surname stays alone


def test_speakers_merge_organisations_and_people_never_mix() -> None:
    claims = [
        claim(1, "Taliban", kind="organization"),
        claim(2, "the Taliban", kind="organization"),
        claim(3, "John Taliban"),
    ]
    resolution = resolve_speakers(claims)
    kinds = sorted((s.kind, s.name) for s in resolution.speakers)
    assert kinds == [("organization", "Taliban"), ("person", "John Taliban")]
    assert resolution.speaker_of_claim["c1"] == resolution.speaker_of_claim["c2"]


def test_speakers_merge_claim_without_speaker_is_not_mapped() -> None:
    empty = Claim("c9", "a9", None, None, None, None, "said", "x", "direct", 0, 1)
    resolution = resolve_speakers([empty])
    assert resolution.speakers == ()
    assert resolution.speaker_of_claim == {}


def test_speakers_groups_folding_to_one_key_merge_into_one_id() -> None:
    """Regression: two groups with the same identity key crashed the store (UNIQUE speakers.id)."""
    from narrascope.speakers import resolve_speakers
    from tests.helpers import make_claim

    claims = [make_claim("a", 1, "x", "Ministry of Defence"), make_claim("b", 2, "y", "the Ministry of Defence"),
              make_claim("c", 3, "z", "MINISTRY OF DEFENCE")]
    claims = [c.__class__(**{**c.__dict__, "speaker_kind": "organization"}) for c in claims]
    resolution = resolve_speakers(claims)
    ids = [s.id for s in resolution.speakers]
    assert len(ids) == len(set(ids))
    assert len(set(resolution.speaker_of_claim.values())) == len(ids)
