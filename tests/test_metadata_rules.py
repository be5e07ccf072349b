"""Each metadata rule on small inputs written for the test."""

from __future__ import annotations

import pytest

from narrascope.clean import clean_page
from narrascope.ingest import page_from_text
from narrascope.metadata import extract_metadata
from narrascope.metadata.dates import first_date
from narrascope.metadata.outlet import outlet_from_dateline, outlet_from_url
from narrascope.metadata.people import byline_name
from narrascope.models import Metadata, RawPage

BODY = "\n\n".join([
    "The minister said on Monday that the talks would resume next week in the capital, after a pause of months.",
    "Officials from both countries confirmed the date, adding that the agenda had not yet been agreed upon.",
    "Analysts said the meeting could reopen trade routes that were closed during the dispute on 11 January 2023.",
])


def metadata_of(text: str, url: str | None = None) -> Metadata:
    page = page_from_text("test.txt", text, url=url)
    return extract_metadata(page, clean_page(page))


@pytest.mark.parametrize(("text", "expected"), [
    ("26 May 2023 11:39", "2023-05-26"),
    ("February 12 2023", "2023-02-12"),
    ("Nov. 5, 2023", "2023-11-05"),
    ("2023-05-26", "2023-05-26"),
    ("Published: 2023/05/26 10:00", "2023-05-26"),
    ("on the 3rd of March, 2021", "2021-03-03"),
    ("26.05.2023", "2023-05-26"),
    ("31/12/2022", "2022-12-31"),
])
def test_metadata_date_formats(text: str, expected: str) -> None:
    assert first_date(text) == expected


@pytest.mark.parametrize("text", ["2 hours ago", "Yesterday", "on Friday (April 26)", "03/04/2023", "May 2023",
                                  "February 30 2023"])
def test_metadata_relative_or_ambiguous_dates_not_taken(text: str) -> None:
    assert first_date(text) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("By News Desk - February 12 2023", "News Desk"),
    ("By Jane Doe", "Jane Doe"),
    ("Written by John Smith | Reuters", "John Smith"),
    ("By Jane Doe, Senior Correspondent", "Jane Doe"),
    ("by the way, this is not a byline at all because it keeps going", None),
    ("Bystanders watched the parade", None),
])
def test_metadata_byline_name(line: str, expected: str | None) -> None:
    assert byline_name(line) == expected


def test_metadata_title_author_date_from_title_block() -> None:
    text = ("Menu\nHome\n\nBREAKING\nStorm leaves thousands of homes without power across the north.\n\n"
            "Talks between the two neighbours to resume next week\n\n  • By Jane Doe\n  • 26 May 2023 11:39\n\n"
            + BODY + "\n\nMost Read\n\nAnother story\n  • 28 Nov 2025\n")
    meta = metadata_of(text)
    assert meta.title == "Talks between the two neighbours to resume next week"
    assert meta.author == "Jane Doe"
    assert meta.published == "2023-05-26"
    assert meta.language == "en"


def test_metadata_no_date_from_body_or_sidebar() -> None:
    text = "Talks between the two neighbours to resume next week\n\n" + BODY + "\n\nMost Read\n\nOther\n28 Nov 2025\n"
    meta = metadata_of(text)
    assert meta.published is None
    assert meta.author is None


def test_metadata_outlet_from_dateline_and_not_from_place() -> None:
    assert outlet_from_dateline("Example News – The minister said on Monday ...") == "Example News"
    assert outlet_from_dateline("Kabul: The minister said on Monday ...") is None
    assert outlet_from_dateline("Reuters Staff - The minister said ...") is None


def test_metadata_outlet_line_under_title() -> None:
    meta = metadata_of("Talks between the two neighbours to resume next week\n\nExample Times\n\n" + BODY)
    assert meta.outlet == "Example Times"


def test_metadata_outlet_from_masthead_repeated_in_footer() -> None:
    text = ("Example Chronicle\n\n  • Politics\n  • Sports\n\nTalks between the two neighbours to resume next week\n\n"
            + BODY + "\n\nMost Read\n\nExample Chronicle\n\nPrivacy Policy\n")
    assert metadata_of(text).outlet == "Example Chronicle"


def test_metadata_outlet_falls_back_to_url_domain_then_none() -> None:
    assert outlet_from_url("https://www.example.org/news/1") == "example.org"
    assert metadata_of("Talks to resume next week\n\n" + BODY, url="https://www.example.org/a").outlet == "example.org"
    assert metadata_of("Talks to resume next week\n\n" + BODY).outlet is None


def test_metadata_desk_byline_is_not_outlet() -> None:
    title = "Talks between the two neighbours to resume next week"
    meta = metadata_of(f"{title}\nBy News Desk - February 12 2023\n\n{BODY}")
    assert meta.author == "News Desk"
    assert meta.outlet is None
    assert meta.published == "2023-02-12"


def test_metadata_html_page_uses_trafilatura_metadata() -> None:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in BODY.split("\n\n"))
    html = ("<html><head><title>Talks resume | Example Post</title>"
            "<meta property='og:title' content='Talks between the two neighbours to resume next week'>"
            "<meta property='og:site_name' content='Example Post'>"
            "<meta name='author' content='Jane Doe'>"
            "<meta property='article:published_time' content='2023-05-26T11:39:00Z'></head>"
            f"<body><article><h1>Talks between the two neighbours to resume next week</h1>{paragraphs}</article>"
            "</body></html>")
    page = RawPage(id="h", source="page.html", kind="html", text=html, url="https://example.org/a")
    meta = extract_metadata(page, clean_page(page))
    assert meta.title == "Talks between the two neighbours to resume next week"
    assert meta.outlet == "Example Post"
    assert meta.author == "Jane Doe"
    assert meta.published == "2023-05-26"
    assert meta.language == "en"
