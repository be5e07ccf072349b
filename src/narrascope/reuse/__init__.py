"""Text reuse between articles: shared passages with spans on both sides, and near-duplicate groups."""

from narrascope.reuse.duplicates import near_duplicate_groups
from narrascope.reuse.passages import SharedPassage, shared_passages

__all__ = ["SharedPassage", "near_duplicate_groups", "shared_passages"]
