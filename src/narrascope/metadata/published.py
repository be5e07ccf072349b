"""The publication date of a text page: the first dated line of the title block.

Dates are read only between the title and the body (the byline block), so that a masthead's
today's date, the dates of a "Most Read" sidebar and the dates inside the article are not
taken for the publication date.
"""

from __future__ import annotations

import re

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line
from narrascope.metadata.dates import find_dates

_UPDATED = re.compile(r"\b(?:updated|modified|last updated|edited)\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(?:published|posted|first published|date)\b", re.IGNORECASE)
# Without a title, the dated line must be this close to the body.
_WINDOW = 8
# A kicker date printed just above the headline ("Dec 19, 2025" / title).
_ABOVE_TITLE = 3
# A "Published ..." line right under the article (blog themes put the post meta there).
_FOOTER_LINES = 8


def find_published(header: list[Line], title: Line | None, footer: list[Line] | None = None) -> str | None:
    """ISO date of the title block: the first dated meta line after the title (or in the last
    header lines), else a date just above the title, else a labelled date just under the body."""
    zone = [line for line in header if line.index > title.index] if title else header[-_WINDOW:]
    found = _first_in(zone)
    if found is None and title is not None:
        above = [line for line in header if line.index < title.index][-_ABOVE_TITLE:]
        found = _first_in([line for line in above if line.words <= 8])
    if found is None and footer:
        found = _first_in(footer[:_FOOTER_LINES], labelled_only=True)
    return found


def _first_in(zone: list[Line], labelled_only: bool = False) -> str | None:
    fallback: str | None = None
    for line in zone:
        if boilerplate.is_caption(line) or line.words > 30:
            continue
        dates = find_dates(line.text)
        if not dates:
            continue
        if _PUBLISHED.search(line.text) and not _UPDATED.search(line.text):
            return dates[0].iso
        if _UPDATED.search(line.text):
            fallback = fallback or dates[0].iso
            continue
        if not labelled_only:
            return dates[0].iso
    return fallback
