"""New claims' speakers placed among the stored speakers, with the stage's own name matching.

A new mention joins the stored speaker its name resolves to by the rules of `resolve_speakers` (same
surname key and given-name spelling for people, same organisation key), else it starts a new speaker,
whose id is the one a full run would give it. Stored speakers keep their canonical name; they gain the
new aliases and roles (a full refresh may pick another canonical name once the new spellings outnumber it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from narrascope.models import Claim, Speaker
from narrascope.speakers import (
    _MAX_ALIAS_WORDS,
    _PRONOUNS,
    _canonical,
    _current_role,
    _find_person_group,
    _Group,
    _identity_key,
    _kind,
    speaker_id,
)
from narrascope.speakers.names import org_key, person_words, strip_role, word_key


@dataclass(frozen=True)
class SpeakerPlacement:
    """Speakers that are new or gained claims (whole rows), and the speaker of each new claim."""

    changed: tuple[Speaker, ...]
    new_ids: frozenset[str]
    speaker_of_claim: dict[str, str]


class _Known:
    """The stored speakers as the groups `resolve_speakers` matches names against."""

    def __init__(self, stored: Sequence[Speaker], surnames: set[str]) -> None:
        """Only people whose surname key is in `surnames` (the new claims' ones) can match: the rest are skipped."""
        self.by_surname: dict[str, list[_Group]] = {}
        self.orgs: dict[str, _Group] = {}
        self.by_id: dict[str, _Group] = {}
        self.stored: dict[int, Speaker] = {}
        for speaker in stored:
            words = person_words(speaker.name)
            surname = word_key(words[-1]) if speaker.kind == "person" and words else ""
            if surname and surname not in surnames:
                continue
            group = _Group(speaker.kind, surname, aliases=set(speaker.aliases))
            for role in speaker.roles:
                group.roles[role.role] = role.claims
                group.role_dates[role.role] = [d for d in (role.first_seen, role.last_seen) if d]
            if surname:
                group.given = [person_words(n)[0] for n in (speaker.name, *speaker.aliases) if len(person_words(n)) > 1]
                self.by_surname.setdefault(group.surname, []).append(group)
            else:
                for name in (speaker.name, *speaker.aliases):
                    self.orgs.setdefault(org_key(name) or name.lower(), group)
            self.by_id[speaker.id] = group
            self.stored[id(group)] = speaker

    def group_for(self, claim: Claim) -> _Group:
        """The group a claim's speaker joins (a new one when no stored or new group matches)."""
        name = (claim.speaker or "").strip()
        kind = _kind(claim)
        if kind == "organization" or not person_words(name):
            key = org_key(name) or name.lower()
            if key not in self.orgs:
                self.orgs[key] = _Group(kind, "")
            return self.orgs[key]
        words = person_words(name)
        candidates = self.by_surname.setdefault(word_key(words[-1]), [])
        found = _find_person_group(candidates, words)
        if found is None:
            found = _Group("person", word_key(words[-1]))
            candidates.append(found)
        if len(words) > 1:
            found.given.append(words[0])
        return found


def place_speakers(claims: Sequence[Claim], stored: Sequence[Speaker],
                   published: Mapping[str, str | None]) -> SpeakerPlacement:
    """Resolve the speakers of new `claims` against the `stored` speakers."""
    with_speaker = [c for c in claims if c.speaker and c.speaker.strip()]
    named = [person_words((c.speaker or "").strip()) for c in with_speaker]
    known = _Known(stored, {word_key(words[-1]) for words in named if words})
    touched: dict[int, _Group] = {}
    for claim in sorted(with_speaker, key=lambda c: (_kind(c) != "person", len(person_words(c.speaker or "")) < 2)):
        group = known.group_for(claim)
        group.names[re.sub(r"^(?:the|The)\s+", "", strip_role((claim.speaker or "").strip()))] += 1
        group.aliases.add((claim.speaker or "").strip())
        mention = (claim.speaker_mention or "").strip()
        if mention and mention.lower() not in _PRONOUNS and len(mention.split()) <= _MAX_ALIAS_WORDS:
            group.aliases.add(" ".join(mention.split()))
        if claim.speaker_role:
            group.add_role(claim.speaker_role, published.get(claim.article_id))
        group.claim_ids.append(claim.id)
        touched[id(group)] = group
    changed: dict[str, Speaker] = {}
    new_ids: set[str] = set()
    speaker_of_claim: dict[str, str] = {}
    for key, group in touched.items():
        speaker = known.stored.get(key)
        if speaker is None:  # a new name; a stored speaker with the id a full run would give it absorbs it
            identifier = speaker_id(group.kind, _identity_key(group.kind, _canonical(group)))
            target = known.by_id.get(identifier)
            if target is not None and id(target) in known.stored:
                target.absorb(group)
                group, speaker = target, known.stored[id(target)]
            else:
                new_ids.add(identifier)
        name = speaker.name if speaker else _canonical(group)
        identifier = speaker.id if speaker else speaker_id(group.kind, _identity_key(group.kind, name))
        dated = group.dated_roles()
        changed[identifier] = Speaker(identifier, name, tuple(sorted(group.aliases)), _current_role(group, dated),
                                      speaker.kind if speaker else group.kind, dated)
        for claim_id in group.claim_ids:
            speaker_of_claim[claim_id] = identifier
    return SpeakerPlacement(tuple(changed.values()), frozenset(new_ids), speaker_of_claim)

