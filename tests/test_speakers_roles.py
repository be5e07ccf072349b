"""Speakers keep every role with the dates of the articles that give it; the latest is the current one."""

from __future__ import annotations

from narrascope.models import Claim, SpeakerRole
from narrascope.speakers import resolve_speakers
from narrascope.speakers.overrides import merge_roles


def _claim(claim_id: str, article_id: str, speaker: str, role: str | None) -> Claim:
    return Claim(claim_id, article_id, speaker, speaker, "person", role, "said", "text", "reported", 0, 4)


def test_speakers_roles_dated_and_current_is_latest() -> None:
    claims = [
        _claim("c1", "a1", "Oleg Varga", "Energy Minister"),
        _claim("c2", "a2", "Oleg Varga", "Energy Minister"),
        _claim("c3", "a3", "Oleg Varga", "Prime Minister"),
        _claim("c4", "a4", "Varga", None),
    ]
    published = {"a1": "2025-01-10", "a2": "2025-03-02", "a3": "2025-09-30", "a4": "2025-10-01"}
    (speaker,) = resolve_speakers(claims, published).speakers
    assert speaker.roles == (
        SpeakerRole("Energy Minister", "2025-01-10", "2025-03-02", 2),
        SpeakerRole("Prime Minister", "2025-09-30", "2025-09-30", 1),
    )
    assert speaker.role == "Prime Minister"


def test_speakers_roles_without_dates_keep_the_most_frequent() -> None:
    claims = [_claim("c1", "a1", "Oleg Varga", "Envoy"), _claim("c2", "a1", "Oleg Varga", "Envoy"),
              _claim("c3", "a2", "Oleg Varga", "Adviser")]
    (speaker,) = resolve_speakers(claims).speakers
    assert speaker.role == "Envoy"
    assert {r.role for r in speaker.roles} == {"Envoy", "Adviser"}
    assert all(r.first_seen is None for r in speaker.roles)


def test_speakers_roles_merge_spans_both() -> None:
    merged = merge_roles([SpeakerRole("Envoy", "2025-02-01", "2025-04-01", 2),
                          SpeakerRole("Envoy", "2025-01-01", "2025-03-01", 1)])
    assert merged == (SpeakerRole("Envoy", "2025-01-01", "2025-04-01", 3),)
