"""Text-mode title block: bylines split over two lines, names printed without "By", credit lines."""

from __future__ import annotations

from narrascope.clean import clean_page
from narrascope.clean.lines import split_lines
from narrascope.ingest import page_from_text
from narrascope.metadata import extract_metadata
from narrascope.metadata.people import bare_name
from narrascope.metadata.title import is_meta_line
from narrascope.models import CleanedPage, Metadata

BODY = "\n\n".join([
    "The minister said on Monday that the talks would resume next week in the capital, after a pause of months.",
    "Officials from both countries confirmed the date, adding that the agenda had not yet been agreed upon.",
    "Analysts said the meeting could reopen trade routes that were closed during the dispute last year.",
])
TITLE = "Talks between the two neighbours to resume next week"


def metadata_of(text: str) -> Metadata:
    page = page_from_text("test.txt", text)
    return extract_metadata(page, clean_page(page))


def test_metadata_text_byline_label_then_name_on_next_line() -> None:
    meta = metadata_of(f"Menu\n\n{TITLE}\n\nWritten by\n  * Jane Doe\nMarch 30, 2023 | 5 min read\n\n" + BODY)
    assert meta.title == TITLE
    assert meta.author == "Jane Doe"
    assert meta.published == "2023-03-30"


def test_metadata_text_name_without_by_under_title() -> None:
    meta = metadata_of(f"Menu\n\n{TITLE}\nA standfirst that sums up the story for readers\nJane Doe\nDec 04, 2025\n\n"
                       + BODY)
    assert meta.author == "Jane Doe"


def test_metadata_text_credit_lines_are_title_block_meta() -> None:
    for text in ("By", "Written by:", "Edited by: Jane Doe", "Reviewed by John Roe", "8 min read", "5-minute read"):
        assert is_meta_line(split_lines(text)[0]), text
    assert not is_meta_line(split_lines(TITLE)[0])


def test_metadata_text_bare_name_is_not_a_sentence_or_an_outlet() -> None:
    assert bare_name("Jane Doe October 14, 2025") == "Jane Doe"
    assert bare_name("Example News") is None
    assert bare_name("Read more about it") is None


def test_metadata_text_date_line_opening_the_body_is_the_title_blocks() -> None:
    cleaned_header = f"Menu\n\n{TITLE}"
    page = page_from_text("test.txt", cleaned_header + "\n\nJanuary 17, 2025\n\n" + BODY)
    meta = extract_metadata(page, CleanedPage(body="January 17, 2025\n\n" + BODY, header=cleaned_header))
    assert meta.title == TITLE
    assert meta.published == "2025-01-17"
