"""Stable ids as news arrives: new groups inherit the ids of the old groups they continue, and the changes
that no id can express (a group split in two, two groups merged, a group dissolved) are recorded.

Each run of the global stages re-clusters every claim; `keep_ids` then gives a new claim cluster or
narrative the id of the old one it mostly continues, so adding pages leaves old ids in place, and
`group_changes` says what happened to the rest. BERTopic users ask for exactly this: topic ids that
survive a refit, with a record of what merged and split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

from narrascope.models import GroupChange


class Grouping(Protocol):
    """A claim cluster or a narrative: an id and its claims."""

    @property
    def id(self) -> str: ...

    @property
    def claim_ids(self) -> tuple[str, ...]: ...


Group = TypeVar("Group", bound=Grouping)


def keep_ids(new: Sequence[Group], old: Sequence[Grouping]) -> list[Group]:
    """Give each new group the id of the old group it mostly continues.

    A new group keeps an old id when they share more than half of the larger one's claims; each old id
    goes to at most one new group (the one sharing most). Groups are frozen dataclasses (ids replaced).
    """
    owners = {claim_id: group.id for group in old for claim_id in group.claim_ids}
    sizes = {group.id: len(group.claim_ids) for group in old}
    candidates: list[tuple[int, int, str]] = []
    for index, group in enumerate(new):
        for old_id, count in _shared(group.claim_ids, owners).items():
            if count * 2 > max(len(group.claim_ids), sizes[old_id]):
                candidates.append((count, index, old_id))
    result = list(new)
    taken: set[str] = set()
    assigned: set[int] = set()
    for _, index, old_id in sorted(candidates, reverse=True):
        if old_id not in taken and index not in assigned:
            result[index] = replace(result[index], id=old_id)  # type: ignore[type-var]
            taken.add(old_id)
            assigned.add(index)
    return result


def group_changes(level: str, old: Sequence[Grouping], new: Sequence[Grouping]) -> list[GroupChange]:
    """Splits, merges and dissolutions from the old groups to the new ones (after `keep_ids`).

    An old group whose surviving claims now sit in two or more new groups split; a new group holding
    claims of two or more old groups is a merge; an old group none of whose claims is in any new group
    dissolved (its claims are gone or no longer grouped). A group that only grew or shrank is no change.
    """
    new_owner = {claim_id: group.id for group in new for claim_id in group.claim_ids}
    old_owner = {claim_id: group.id for group in old for claim_id in group.claim_ids}
    changes: list[GroupChange] = []
    for group in sorted(old, key=lambda g: g.id):
        pieces = _shared(group.claim_ids, new_owner)
        if not pieces:
            changes.append(GroupChange(level, "dissolved", (group.id,), (), len(group.claim_ids)))
        elif len(pieces) > 1:
            changes.append(GroupChange(level, "split", (group.id,), tuple(sorted(pieces)), sum(pieces.values())))
    for group in sorted(new, key=lambda g: g.id):
        sources = _shared(group.claim_ids, old_owner)
        if len(sources) > 1:
            changes.append(GroupChange(level, "merge", tuple(sorted(sources)), (group.id,), sum(sources.values())))
    return changes


def _shared(claim_ids: Sequence[str], owner: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for claim_id in claim_ids:
        if claim_id in owner:
            counts[owner[claim_id]] = counts.get(owner[claim_id], 0) + 1
    return counts
