"""Speakers stage: one identity per person or organisation across articles.

Public API: `resolve_speakers`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from narrascope.models import Claim, Speaker, SpeakerKind, SpeakerResolution, SpeakerRole
from narrascope.speakers.names import org_key, person_words, same_given_name, strip_role, word_key

__all__ = ["resolve_speakers", "speaker_id"]

logger = logging.getLogger(__name__)

_MAX_ALIAS_WORDS = 10
_PRONOUNS = frozenset(("he", "she", "it", "they", "him", "her", "them", "i", "we"))


@dataclass
class _Group:
    kind: SpeakerKind
    surname: str  # transliteration key of the last name word ("" for organisations)
    given: list[str] = field(default_factory=list)  # given-name spellings seen
    names: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    claim_ids: list[str] = field(default_factory=list)
    role_dates: dict[str, list[str]] = field(default_factory=dict)  # role -> dates of the articles stating it

    def add_role(self, role: str, published: str | None) -> None:
        self.roles[role] += 1
        dates = self.role_dates.setdefault(role, [])
        if published:
            dates.append(published)

    def absorb(self, other: _Group) -> None:
        """Take in another group of the same speaker: its names, roles with their dates, aliases, claims."""
        self.names.update(other.names)
        self.roles.update(other.roles)
        for role, dates in other.role_dates.items():
            self.role_dates.setdefault(role, []).extend(dates)
        self.aliases |= other.aliases
        self.claim_ids.extend(other.claim_ids)

    def dated_roles(self) -> tuple[SpeakerRole, ...]:
        """Every role with the first and last article date that gives it, oldest first."""
        found = [
            SpeakerRole(role, min(self.role_dates.get(role) or [""]) or None,
                        max(self.role_dates.get(role) or [""]) or None, count)
            for role, count in self.roles.items()
        ]
        return tuple(sorted(found, key=lambda r: (r.first_seen is None, r.first_seen or "", -r.claims, r.role)))


def speaker_id(kind: SpeakerKind, key: str) -> str:
    """Return the stable id of a speaker from its kind and matching key."""
    return hashlib.sha256(f"speaker|{kind}|{key}".encode()).hexdigest()[:16]


def _kind(claim: Claim) -> SpeakerKind:
    return claim.speaker_kind or "person"


def _find_person_group(groups: list[_Group], words: list[str]) -> _Group | None:
    surname = word_key(words[-1])
    candidates = [g for g in groups if g.kind == "person" and g.surname == surname]
    if len(words) == 1:
        full = [g for g in candidates if g.given]
        if len(full) == 1:
            return full[0]
        return next((g for g in candidates if not g.given), None)
    given = words[0]
    for group in candidates:
        if any(same_given_name(given, seen) for seen in group.given):
            return group
    return None


def _group_claims(claims: Sequence[Claim]) -> list[tuple[_Group, Claim]]:
    """Assign every claim with a speaker to a group; full names first, surnames after."""
    groups: list[_Group] = []
    orgs: dict[str, _Group] = {}
    assigned: list[tuple[_Group, Claim]] = []
    with_speaker = [c for c in claims if c.speaker and c.speaker.strip()]
    ordered = sorted(with_speaker, key=lambda c: (_kind(c) != "person", len(person_words(c.speaker or "")) < 2))
    for claim in ordered:
        name = (claim.speaker or "").strip()
        kind = _kind(claim)
        if kind == "organization" or not person_words(name):
            key = org_key(name) or name.lower()
            group = orgs.get(key)
            if group is None:
                group = orgs[key] = _Group(kind, "")
        else:
            words = person_words(name)
            found = _find_person_group(groups, words)
            if found is None:
                found = _Group("person", word_key(words[-1]))
                groups.append(found)
            group = found
            if len(words) > 1:
                group.given.append(words[0])
        assigned.append((group, claim))
    return assigned


def _canonical(group: _Group) -> str:
    if group.kind == "person":
        full = Counter({n: c for n, c in group.names.items() if len(n.split()) > 1})
        pool = full or group.names
    else:
        pool = group.names
    return max(pool.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]


def _current_role(group: _Group, dated: tuple[SpeakerRole, ...]) -> str | None:
    """The role of the latest article that gives one (roles change); else the most frequent."""
    with_dates = [r for r in dated if r.last_seen]
    if with_dates:
        return max(with_dates, key=lambda r: (r.last_seen or "", r.claims)).role
    return group.roles.most_common(1)[0][0] if group.roles else None


def _identity_key(kind: SpeakerKind, canonical: str) -> str:
    """Return the key a speaker id hashes: transliteration-folded, so Sergei and Sergey agree."""
    if kind == "person":
        return " ".join(word_key(w) for w in person_words(canonical))
    return org_key(canonical)


def resolve_speakers(claims: Sequence[Claim], published: Mapping[str, str | None] | None = None) -> SpeakerResolution:
    """Merge the speakers of claims from many articles into one identity each.

    Args:
        claims: claims from `extract_claims`, from any number of articles.
        published: article id -> ISO publication date, to date each role a speaker is given.

    Returns:
        The speakers (canonical name, every surface form as aliases, most frequent
        role, kind) and, for each claim with a speaker, its speaker id.

    Example:
        >>> resolution = resolve_speakers(claims)  # doctest: +SKIP
        >>> resolution.speaker_of_claim[claims[0].id]  # doctest: +SKIP
    """
    by_identity: dict[int, _Group] = {}
    for group, claim in _group_claims(claims):
        name = re.sub(r"^(?:the|The)\s+", "", strip_role((claim.speaker or "").strip()))
        group.names[name] += 1
        group.aliases.add((claim.speaker or "").strip())
        mention = (claim.speaker_mention or "").strip()
        if mention and mention.lower() not in _PRONOUNS and len(mention.split()) <= _MAX_ALIAS_WORDS:
            group.aliases.add(" ".join(mention.split()))
        if claim.speaker_role:
            group.add_role(claim.speaker_role, (published or {}).get(claim.article_id))
        group.claim_ids.append(claim.id)
        by_identity[id(group)] = group
    # Two groups whose canonical names fold to the same key (a surname-only group beside a full-name one,
    # an organisation spelled two ways) are one speaker: merge them under the one id.
    merged: dict[str, _Group] = {}
    canonical_of: dict[str, str] = {}
    for group in by_identity.values():
        canonical = _canonical(group)
        identifier = speaker_id(group.kind, _identity_key(group.kind, canonical))
        if identifier in merged:
            target = merged[identifier]
            target.absorb(group)
            canonical_of[identifier] = _canonical(target)
        else:
            merged[identifier] = group
            canonical_of[identifier] = canonical
    speakers: list[Speaker] = []
    speaker_of_claim: dict[str, str] = {}
    for identifier, group in merged.items():
        dated = group.dated_roles()
        current = _current_role(group, dated)
        speakers.append(Speaker(identifier, canonical_of[identifier], tuple(sorted(group.aliases)), current,
                                group.kind, dated))
        for claim_id in group.claim_ids:
            speaker_of_claim[claim_id] = identifier
    speakers.sort(key=lambda s: (s.name.lower(), s.id))
    logger.debug("%d claims -> %d speakers", len(speaker_of_claim), len(speakers))
    return SpeakerResolution(speakers=tuple(speakers), speaker_of_claim=speaker_of_claim)
