"""Access to the seed pages in ../shared/seeds, read where they are (never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def seed_paths() -> list[Path]:
    """The five seed page files, in name order; skips the test when ../shared is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: the seed tests need ../shared beside the checkout")
    return sorted(SEEDS.glob("*.txt"))


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000" ... "004")."""
    matches = [path for path in seed_paths() if path.name.startswith(prefix)]
    assert len(matches) == 1, f"no single seed file starts with {prefix}"
    return matches[0]
