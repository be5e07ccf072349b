"""The article title in a text page: the headline-like line of the header's title block."""

from __future__ import annotations

import re

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line
from narrascope.metadata.dates import find_dates

# Titles are rarely longer than this (news style guides cap headlines around 15 words).
_MAX_TITLE_WORDS = 24
# How far above the body the title block is looked for (lines of the header).
_WINDOW = 60
# A person's name on its own line ("Jane Doe", "Mary K. Smith"): an author line of the title block.
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+(?:[A-Z]\.|[A-Z][a-z'’-]+)){1,2}$")
_LOOKS_LIKE_META = re.compile(r"^(?:source|published|posted|updated|modified|last updated|date)\s*:", re.IGNORECASE)
# The rest of a title block's meta: a "By" whose name is on the next line, the editors and reviewers
# of the piece, a reading time.
_CREDIT = re.compile(r"^(?:(?:written|posted|edited|reviewed|fact[- ]checked|updated|published)\s+(?:by|on)\b"
                     r"|by\s*:?$|\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b)", re.IGNORECASE)


def is_meta_line(line: Line) -> bool:
    """A byline, a date line, a "Source:" label, a reading time: the block right under a title."""
    if boilerplate.is_byline(line.text) or _LOOKS_LIKE_META.match(line.text) or _CREDIT.match(line.text):
        return True
    dates = find_dates(line.text)
    return bool(dates) and line.words <= 8


def is_person_name(line: Line) -> bool:
    """A line that is only a capitalised two- or three-word name (an author line without "By")."""
    return bool(_PERSON_NAME.match(line.text.strip()))


def _is_candidate(line: Line, tickers: set[int]) -> bool:
    """A line that could be the title (meta lines are ruled out by the caller)."""
    if line.index in tickers or line.is_bullet or not 2 <= line.words <= _MAX_TITLE_WORDS:
        return False
    return not (boilerplate.is_chrome(line) or boilerplate.is_end_heading(line) or boilerplate.is_caption(line)
                or boilerplate.is_breadcrumb(line.text) or boilerplate.is_ticker_heading(line))


def find_title(header: list[Line], page: list[Line], tickers: set[int]) -> Line | None:
    """The title among the header lines, or None.

    Scores each candidate in the last lines of the header: a title sits right above the
    byline/date block, is repeated elsewhere on the page (breadcrumb tail, the page's own
    repeat, "share" widgets), is a handful of words and does not end with a full stop.
    """
    window = header[-_WINDOW:]
    meta = [is_meta_line(line) for line in window]
    best: tuple[float, Line] | None = None
    for offset, line in enumerate(window):
        if meta[offset] or not _is_candidate(line, tickers):
            continue
        score = 0.0
        followers = meta[offset + 1: offset + 7]
        if any(followers[:3]):
            score += 3.0
        elif any(followers):
            # A standfirst or a share bar between the headline and its byline.
            score += 2.0
        if _is_repeated(line, page):
            score += 2.0
        if 4 <= line.words <= 20:
            score += 1.0
        if line.text.rstrip().endswith("."):
            score -= 2.0
        if line.words <= 3:
            score -= 1.0
        if is_person_name(line):
            # An author's name under the headline, printed without "By".
            score -= 1.5
        # Closer to the body is likelier; the small weight only breaks ties.
        score += 0.05 * offset
        if best is None or score > best[0]:
            best = (score, line)
    return best[1] if best else None


def _is_repeated(line: Line, page: list[Line]) -> bool:
    key = line.key
    if len(key) < 12:
        return False
    return any(other.index != line.index and key in other.key for other in page)
