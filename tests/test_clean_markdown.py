"""Markdown renderings are reduced to plain text before line scoring; other text is left alone."""

from __future__ import annotations

from narrascope.clean import clean_page
from narrascope.clean.markdown import looks_like_markdown, plain_text
from narrascope.ingest import page_from_text

PARAGRAPHS = [
    "The minister said on Monday that the talks would resume next week in the capital, after a pause of months.",
    "Officials from both countries confirmed the date, adding that the agenda had not yet been agreed upon.",
    "Analysts said the meeting could reopen trade routes that were closed during the dispute last year.",
]
MENU = "\n".join(f"  * [Section {n}](/section-{n}/)" for n in range(8))


def test_clean_markdown_links_images_headings_emphasis_removed() -> None:
    text = (MENU + "\n\n# Talks to resume next week\n\n![Photo of the port](https://x.org/a.jpg)\n\n"
            "**By Jane Doe**\n\nThe minister [said](https://x.org/s \"title\") on _Monday_ that the talks "
            "would resume at [the port (east)](https://x.org/wiki/Port_(east)).\n\n* * *\n\nA | B\n---|---\n"
            "1 \\- 2 | 3\\. ok\n")
    plain = plain_text(text).splitlines()
    assert "  * Section 0" in plain
    assert "Talks to resume next week" in plain
    assert "By Jane Doe" in plain
    assert "The minister said on Monday that the talks would resume at the port (east)." in plain
    assert "1 - 2 | 3. ok" in plain
    assert not any("](" in line or "* * *" in line or line.startswith("---") for line in plain)


def test_clean_markdown_plain_text_is_untouched() -> None:
    text = "Home\n  * News\n\n" + "\n\n".join(PARAGRAPHS) + "\nA [bracket] and 2*3*4 = 24, snake_case_name.\n"
    assert not looks_like_markdown(text)
    assert plain_text(text) == text
    # A few link-like marks in a long page are not enough to rewrite it.
    assert not looks_like_markdown("[a](b)\n" * 2 + "plain line\n" * 200)


def test_clean_markdown_page_body_has_no_link_syntax() -> None:
    text = MENU + "\n\n## Talks to resume next week\n\n" + "\n\n".join(
        paragraph.replace("talks", "[talks](https://example.org/talks)") for paragraph in PARAGRAPHS) + "\n"
    body = clean_page(page_from_text("page.md.txt", text)).body
    assert "](" not in body and "https://" not in body
    assert PARAGRAPHS[0] in body
