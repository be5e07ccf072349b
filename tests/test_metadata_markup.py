"""HTML metadata from the page's own markup: the agreeing <h1>, JSON-LD people, publication <meta>."""

from __future__ import annotations

from narrascope.metadata.markup import markup_fields

PAGE = """<html><head><title>Floods close the valley road | Example Times</title>
<meta property="og:title" content="Floods close the valley road">
<meta property="article:published_time" content="2025-03-04T10:00:00Z">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Floods close the valley road", "datePublished": "2025-03-05",
 "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Organization", "name": "Example Times"}]}</script>
</head><body><h1>Example Times</h1><article><h1>Floods close the valley road</h1><p>Text.</p></article></body></html>"""


def test_metadata_markup_prefers_the_h1_the_title_agrees_with() -> None:
    fields = markup_fields(PAGE)
    assert fields.title == "Floods close the valley road"
    assert fields.author == "Ana Ruiz"
    assert fields.date == "2025-03-05"


def test_metadata_markup_byline_element_is_cleaned() -> None:
    page = ('<html><head><title>A page</title></head><body><h1>Rain returns to the coast</h1>'
            '<span class="byline">By Jane Doe<span> - May 2, 2024</span></span></body></html>')
    fields = markup_fields(page)
    assert fields.author == "Jane Doe"
    assert fields.title == "Rain returns to the coast"


def test_metadata_markup_unparseable_page_gives_nothing() -> None:
    fields = markup_fields("")
    assert (fields.title, fields.author, fields.date) == (None, None, None)


def test_metadata_markup_placeholder_dates_give_way_to_the_next_source() -> None:
    # Seen on real pages: JSON-LD "datePublished": "0001-01-01T00:00:00Z" (Go's zero time). It once set
    # the article's date to year 1, and counting a weekday back from it crashed the timeline stage.
    page = PAGE.replace('"datePublished": "2025-03-05"', '"datePublished": "0001-01-01T00:00:00Z"')
    assert markup_fields(page).date == "2025-03-04"  # article:published_time
    epoch = page.replace("2025-03-04T10:00:00Z", "1970-01-01T00:00:00Z")
    assert markup_fields(epoch).date is None
