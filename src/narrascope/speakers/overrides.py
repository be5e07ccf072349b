"""Analysts' corrections to speaker identity, applied over what the speakers stage resolved.

`merge A B`: speaker A's claims and aliases join speaker B. `split X`: speaker X becomes one speaker per
name the articles credit (each surface name its own identity). An alias file (TOML) declares names that
are one person before any correction: `[[speaker]] name = "..." aliases = ["...", "..."]`.
Corrections are stored in the database and re-applied every time the speakers are recomputed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.models import Claim, Speaker, SpeakerResolution, SpeakerRole


@dataclass(frozen=True)
class Override:
    """One correction: ("merge", from id, into id) or ("split", id, None)."""

    action: str
    speaker_id: str
    into_id: str | None = None


def load_alias_file(path: str) -> dict[str, str]:
    """Surface name (lower-cased) -> canonical name, from a TOML alias file.

    Raises:
        NarrascopeError: the file is missing or malformed, naming the file and the problem.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise NarrascopeError(f"{path}: cannot read the alias file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise NarrascopeError(f"{path}: not valid TOML ({error})") from error
    entries = data.get("speaker", [])
    if not isinstance(entries, list):
        raise NarrascopeError(f"{path}: expected [[speaker]] tables with name and aliases")
    names: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise NarrascopeError(f"{path}: speaker {number} needs a name")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise NarrascopeError(f"{path}: speaker {entry['name']!r}: aliases must be a list of strings")
        for alias in [entry["name"], *aliases]:
            names[alias.strip().lower()] = entry["name"]
    return names


def apply_alias_names(claims: Sequence[Claim], names: dict[str, str]) -> list[Claim]:
    """Claims with each speaker named as the alias file says (before speakers are resolved)."""
    return [replace(c, speaker=names.get((c.speaker or "").strip().lower(), c.speaker)) if c.speaker else c
            for c in claims]


def merge_roles(roles: Sequence[SpeakerRole]) -> tuple[SpeakerRole, ...]:
    """One entry per role: the earliest first date, the latest last date, the claims added up."""
    merged: dict[str, SpeakerRole] = {}
    for role in roles:
        seen = merged.get(role.role)
        if seen is None:
            merged[role.role] = role
            continue
        firsts = [d for d in (seen.first_seen, role.first_seen) if d]
        lasts = [d for d in (seen.last_seen, role.last_seen) if d]
        merged[role.role] = SpeakerRole(role.role, min(firsts) if firsts else None, max(lasts) if lasts else None,
                                        seen.claims + role.claims)
    return tuple(sorted(merged.values(), key=lambda r: (r.first_seen is None, r.first_seen or "", r.role)))


def apply_overrides(
    resolution: SpeakerResolution, claims: Sequence[Claim], overrides: Sequence[Override]
) -> SpeakerResolution:
    """The resolution after the analysts' merges and splits, in the order they were made."""
    from narrascope.speakers import speaker_id as make_id  # the package imports this module

    speakers = {s.id: s for s in resolution.speakers}
    owner = dict(resolution.speaker_of_claim)
    by_id = {c.id: c for c in claims}
    for override in overrides:
        if override.action == "merge" and override.speaker_id in speakers and override.into_id in speakers:
            gone, kept = speakers.pop(override.speaker_id), speakers[override.into_id]
            speakers[kept.id] = replace(kept, aliases=tuple(sorted(set(kept.aliases) | set(gone.aliases)
                                                                  | {gone.name})),
                                        roles=merge_roles(kept.roles + gone.roles))
            owner = {c: (kept.id if s == gone.id else s) for c, s in owner.items()}
        elif override.action == "split" and override.speaker_id in speakers:
            split = speakers.pop(override.speaker_id)
            for claim_id, current in list(owner.items()):
                if current != split.id:
                    continue
                name = (by_id[claim_id].speaker or split.name).strip()
                new_id = make_id(split.kind, f"split|{split.id}|{name.lower()}")
                speakers.setdefault(new_id, Speaker(new_id, name, (name,), split.role, split.kind))
                owner[claim_id] = new_id
    ordered = tuple(sorted(speakers.values(), key=lambda s: (s.name.lower(), s.id)))
    return SpeakerResolution(speakers=ordered, speaker_of_claim=owner)
