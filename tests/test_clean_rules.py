"""Each clean rule on small pages written for the test."""

from __future__ import annotations

import pytest

from narrascope.clean import clean_page
from narrascope.errors import PageError
from narrascope.ingest import page_from_text
from narrascope.models import RawPage

PARAGRAPHS = [
    "The minister said on Monday that the talks would resume next week in the capital, after a pause of months.",
    "Officials from both countries confirmed the date, adding that the agenda had not yet been agreed upon.",
    "Analysts said the meeting could reopen trade routes that were closed during the dispute last year.",
]


def text_page(text: str) -> RawPage:
    return page_from_text("test.txt", text)


def body_of(text: str) -> list[str]:
    return clean_page(text_page(text)).body.split("\n\n")


def article(*extra_between: str) -> str:
    """The three paragraphs with `extra_between` lines after the first one."""
    return "\n\n".join([PARAGRAPHS[0], *extra_between, *PARAGRAPHS[1:]])


def test_clean_keeps_paragraphs_in_order_and_drops_menu() -> None:
    text = "Home\n  • News\n  • Sports\n  • Contact\n\n" + article() + "\n\nPrivacy Policy\nTerms\n"
    assert body_of(text) == PARAGRAPHS


def test_clean_drops_breaking_ticker() -> None:
    ticker = "\n".join([
        "BREAKING",
        "Ministry says the storm has left thousands of homes without power across the north.",
        "Central bank holds its rates steady for a third month, citing persistent inflation risks.",
        "Court adjourns the hearing of the former governor until next month, lawyers say today.",
    ])
    text = "Site\n" + ticker + "\n\nTalks to resume next week\n\n" + article()
    body = body_of(text)
    assert body == PARAGRAPHS


def test_clean_keeps_repeated_block_once() -> None:
    block = article()
    title = "Talks to resume next week"
    text = f"{title}\n\n{block}\n\n{title}\n\n{block}\n\nShare this post\n"
    assert body_of(text) == PARAGRAPHS


def test_clean_drops_summary_line_cut_from_a_paragraph() -> None:
    summary = "Officials from both countries confirmed the date"
    text = article() + "\n\n" + summary + "\n\n" + PARAGRAPHS[2] + "\n"
    assert summary not in body_of(text)


def test_clean_drops_photo_caption_with_credit_and_image_pair() -> None:
    caption = "The minister arrives for the talks in the capital, May 25, 2023 (Ministry Press Service via AP)"
    text = article(f"  • {caption}\n{caption}", "(Photo Credit: AP)")
    assert body_of(text) == PARAGRAPHS


def test_clean_cuts_at_most_read_heading() -> None:
    sidebar = ("Most Read\n\nA different story about the weather that many readers opened this week, "
               "with lots of words in it.\n\n  • Politics\n  • 28 Nov 2025\n")
    body = body_of(article() + "\n\n" + sidebar)
    assert body == PARAGRAPHS


def test_clean_cuts_at_check_also_and_author_box() -> None:
    teaser = "Check Also\n\nThe mission of another team ended at the airport on Tuesday, the ministry announced …"
    body = body_of(article() + "\n\nAbout admin\n\n" + teaser)
    assert body == PARAGRAPHS


def test_clean_drops_tags_and_thumbnail_and_share_lines() -> None:
    text = "thumbnail\n\n" + article() + "\n\n  • Russia\n  • Trade\n\nShare this post\n\nComment this post\n"
    assert body_of(text) == PARAGRAPHS


def test_clean_keeps_subheading_between_paragraphs() -> None:
    body = body_of(article("What comes next"))
    assert body == [PARAGRAPHS[0], "What comes next", *PARAGRAPHS[1:]]


def test_clean_title_and_byline_go_to_header() -> None:
    cleaned = clean_page(text_page("Talks to resume next week\nBy Jane Doe - May 26, 2023\n\n" + article()))
    assert cleaned.body.split("\n\n") == PARAGRAPHS
    assert cleaned.header.splitlines() == ["Talks to resume next week", "By Jane Doe - May 26, 2023"]


def test_clean_empty_extraction_raises_page_error() -> None:
    with pytest.raises(PageError) as raised:
        clean_page(text_page("Home\nNews\nSports\nContact us\n"))
    assert raised.value.reason == "empty_extraction"
    assert raised.value.source == "test.txt"


def test_clean_html_page_uses_trafilatura() -> None:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    html = (
        "<html><head><title>Talks</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/news'>News</a></li></ul></nav><article><h1>Talks to resume next week</h1>"
        f"{paragraphs}</article><footer>Privacy Policy</footer></body></html>"
    )
    page = RawPage(id="h", source="page.html", kind="html", text=html)
    cleaned = clean_page(page)
    assert cleaned.body.split("\n\n")[-3:] == PARAGRAPHS
    assert "Privacy Policy" not in cleaned.body


def test_clean_html_without_article_raises_page_error() -> None:
    page = RawPage(id="h", source="empty.html", kind="html", text="<html><body><nav>Home</nav></body></html>")
    with pytest.raises(PageError) as raised:
        clean_page(page)
    assert raised.value.reason == "empty_extraction"


def test_clean_drops_truncated_teasers_of_other_articles() -> None:
    teasers = "\n\n".join(
        f"Other headline number {n}\n\nA summary of another story that the site cut short in the middle of a wor..."
        for n in range(6)
    )
    assert body_of(article() + "\n\n" + teasers) == PARAGRAPHS


def test_clean_comments_do_not_outweigh_a_short_post() -> None:
    # Three comments outweigh the three paragraphs at full weight; the comments discount halves them.
    comment = ("I read this twice and I still think the argument about the trade routes misses how much the "
               "closures cost small exporters on both sides of the border, which nobody seems to count.")
    text = article() + "\n\n3 Comments\n\n" + "\n\n".join(f"Reader {n} said:\n\n{comment}" for n in range(3))
    assert body_of(text) == PARAGRAPHS


def test_clean_hard_wrapped_page_is_unwrapped() -> None:
    from narrascope.clean.text import unwrap_hard_wrapped

    wrapped = ("The harbour bridge will reopen to traffic next Monday after repairs, the city's\n"
               "transport office said on Tuesday.\n\nHome\nnews\nShort line\nwith more")
    assert unwrap_hard_wrapped(wrapped) == (
        "The harbour bridge will reopen to traffic next Monday after repairs, the city's transport office said "
        "on Tuesday.\n\nHome\nnews\nShort line\nwith more")
