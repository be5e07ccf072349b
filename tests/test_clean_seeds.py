"""The clean stage on the five seed pages (read from ../shared/seeds, never copied)."""

from __future__ import annotations

import pytest

from narrascope.clean import clean_page
from narrascope.ingest import page_from_text
from narrascope.models import CleanedPage, RawPage
from tests.seeds import seed_path


def seed_page(prefix: str) -> RawPage:
    """The seed page whose file name starts with `prefix`, as a text RawPage."""
    path = seed_path(prefix)
    return page_from_text(str(path), path.read_text(encoding="utf-8"))


def cleaned(prefix: str) -> CleanedPage:
    return clean_page(seed_page(prefix))


def paragraphs(prefix: str) -> list[str]:
    return cleaned(prefix).body.split("\n\n")


def test_clean_seed_000_body_from_first_paragraph_to_last() -> None:
    body = paragraphs("000")
    # The standfirst sits above the photo block and stays in the header with the title.
    assert body[0].startswith("The United States wants to destabilize Central Asia")
    assert body[-1].endswith("none of the 9/11 hijackers were Afghan.")
    assert len(body) == 15


def test_clean_seed_000_no_ticker_caption_tags_sidebars_or_footer() -> None:
    page = cleaned("000")
    for unwanted in ("Pope Leo", "Sheikh Qassem", "attends a session of the Council", "Most Read", "Read Next",
                     "Yemenis mark", "All Rights Reserved", "Privacy Policy", "3 Min Read"):
        assert unwanted not in page.body, unwanted
    assert "Afghanistan" not in page.body.split("\n\n")  # the tag bullets
    assert "Russia says the United States" in page.header
    assert "Most Read" in page.footer


def test_clean_seed_001_repeated_block_once() -> None:
    body = paragraphs("001")
    assert len(body) == 8
    assert len(set(body)) == len(body)
    assert body[0].startswith("Sergey Lavrov, Russia's Foreign Minister")
    assert body[-1].endswith("economic development, and national unity.")
    text = "\n\n".join(body)
    assert "تصویر" not in text
    assert "Share this post" not in text and "Comment this post" not in text
    # The teaser summary repeats words of the second paragraph: it must not be a paragraph of its own.
    assert "Lavrov stated that the US allies are looking for excuses to resume their military presence in Central " \
           "Asian countries." not in body
    assert "Russia Claims US Interference" not in text


def test_clean_seed_002_dateline_kept_and_teaser_dropped() -> None:
    body = paragraphs("002")
    assert body[0].startswith("Bayan News – Sergei Shoigu, the Defense Minister of Russia")
    assert body[-1] == ("Mawlawi Mohammad Yaqoob Mujahid, the Taliban’s Defense Minister, stated that ISIS has no "
                        "physical presence in Afghanistan.")
    text = "\n\n".join(body)
    for unwanted in ("Former US Generals", "Related Articles", "Back to top"):
        assert unwanted not in text


def test_clean_seed_003_breadcrumb_author_box_and_teaser_dropped() -> None:
    body = paragraphs("003")
    assert body[0].startswith("Kabul: The Russian Foreign Intelligence Service")
    assert body[-1].startswith("Claiming the killing of Ayman al-Zawahiri")
    text = "\n\n".join(body)
    for unwanted in ("Home /", "About admin", "Check Also", "Qatar", "AT News"):
        assert unwanted not in text


def test_clean_seed_004_credit_and_most_popular_dropped() -> None:
    page = cleaned("004")
    body = page.body.split("\n\n")
    assert body[0].startswith("Russian presidential envoy to Afghanistan, Zamir Kabulov, claimed")
    assert body[-1].endswith("to destabilize the then Soviet-backed Afghan government.")
    assert "(Photo Credit: AP)" not in page.body
    assert "Most Popular" not in page.body
    assert "By News Desk - February 12 2023" in page.header


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_clean_seed_body_is_page_wording(prefix: str) -> None:
    page = seed_page(prefix)
    for paragraph in clean_page(page).body.split("\n\n"):
        assert paragraph in page.text
