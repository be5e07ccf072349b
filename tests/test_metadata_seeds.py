"""The metadata stage on the five seed pages (read from ../shared/seeds, never copied)."""

from __future__ import annotations

import pytest

from narrascope.clean import clean_page
from narrascope.ingest import page_from_text
from narrascope.metadata import extract_metadata
from narrascope.models import Metadata
from tests.seeds import seed_path


def seed_metadata(prefix: str) -> Metadata:
    """Clean the seed page `prefix` and read its metadata."""
    path = seed_path(prefix)
    page = page_from_text(str(path), path.read_text(encoding="utf-8"))
    return extract_metadata(page, clean_page(page))


EXPECTED = {
    "000": Metadata(title="US seeking to use terrorists in Afghanistan to upset region: Russia",
                    outlet="Al Mayadeen English", published="2023-05-26", author="Al Mayadeen English", language="en"),
    "001": Metadata(title="Russia Claims US Interference in Afghanistan’s Fragile Stability",
                    outlet=None, published=None, author=None, language="en"),
    "002": Metadata(title="Russian Defense Minister: Security threats against regional countries originate from "
                          "Afghanistan", outlet="Bayan News", published=None, author=None, language="en"),
    "003": Metadata(title="US and its allies are against the stability of Afghanistan, says Russia",
                    outlet="AT News", published=None, author=None, language="en"),
    "004": Metadata(title="Russian envoy to Afghanistan alleges US support for ISIS-K",
                    outlet=None, published="2023-02-12", author="News Desk", language="en"),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_metadata_seed_fields(prefix: str) -> None:
    assert seed_metadata(prefix) == EXPECTED[prefix]


def test_metadata_seed_000_date_is_not_from_sidebar() -> None:
    assert not seed_metadata("000").published.startswith("2025")  # type: ignore[union-attr]


def test_metadata_seed_004_desk_is_author_not_outlet() -> None:
    meta = seed_metadata("004")
    assert meta.author == "News Desk"
    assert meta.outlet is None
