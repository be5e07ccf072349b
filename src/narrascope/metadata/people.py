"""Bylines: "By Jane Doe - February 12 2023" -> "Jane Doe"."""

from __future__ import annotations

import itertools
import re

from narrascope.clean.lines import Line
from narrascope.metadata.dates import find_dates
from narrascope.metadata.outlet import has_media_word
from narrascope.metadata.title import is_meta_line

_BYLINE = re.compile(r"^(?:by|written by|posted by|author|authored by|reported by|contributors?)\s*:?\s+(?P<name>.+)$",
                     re.IGNORECASE)
# A byline label whose name is printed on the next line ("By" / "Jane Doe", "Written by:" / "* Jane Doe").
_LABEL = re.compile(r"^(?:by|written by|posted by|authors?|authored by|reported by|contributors?)\s*:?$",
                    re.IGNORECASE)
# A name printed alone in the title block, without "By": "Jane Doe", "Mary K. Smith", "Acme Team",
# or with the date after it ("Jane Doe October 14, 2025").
_BARE_NAME = re.compile(r"^[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|de|van|von|da|del)){1,3}$")
# What follows a name in a byline: a date, a separator, "on <date>", a role after a comma or a pipe.
_AFTER_NAME = re.compile(r"\s+(?:[-–—|•·/]|on\s|published|posted|updated)\s*|\s*[,|•·]\s*|\s+\d", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[\w.'’-]+$")


def byline_name(text: str) -> str | None:
    """The name of a byline line, or None when the line is no byline.

    Example:
        >>> byline_name("By News Desk - February 12 2023")
        'News Desk'
    """
    match = _BYLINE.match(text.strip())
    if not match:
        return None
    name = match.group("name")
    dates = find_dates(name)
    if dates:
        name = name[: dates[0].start]
    cut = _AFTER_NAME.search(name)
    if cut:
        name = name[: cut.start()]
    name = name.strip(" -–—|,:;")
    words = name.split()
    if not 1 <= len(words) <= 6 or not all(_NAME_WORD.match(word) for word in words):
        return None
    if not any(word[0].isupper() for word in words if word[0].isalpha()):
        return None
    return name


def find_author(lines: list[Line], title_block: list[Line] | None = None) -> str | None:
    """The first byline name among `lines`, else a name under a byline label or standing alone
    in `title_block` (the few lines under the title)."""
    for line in [*lines, *(title_block or [])]:
        name = byline_name(line.text)
        if name:
            return name
    for block in (lines, title_block or []):
        for line, following in itertools.pairwise(block):
            if _LABEL.match(line.text.strip()) and following.index == line.index + 1:
                name = byline_name("By " + following.text)
                if name:
                    return name
    block = title_block or []
    for position, line in enumerate(block):
        name = bare_name(line.text)
        # A capitalised pair alone is as often a topic tag ("Climate Policy"): a name without "By"
        # is taken only with a date on its line or a date/credit line right beside it.
        beside = [other for other in block[max(0, position - 1): position + 2] if other is not line]
        if name and (find_dates(line.text) or any(is_meta_line(other) for other in beside)):
            return name
    return None


def bare_name(text: str) -> str | None:
    """A person's name printed alone (or before a date) on a line of the title block, else None.

    Example:
        >>> bare_name("Jane Doe October 14, 2025")
        'Jane Doe'
    """
    dates = find_dates(text)
    if dates:
        text = text[: dates[0].start]
    text = text.strip(" -–—|,·•")
    # "Example News" alone under a title is the outlet's name, not a person's.
    return text if _BARE_NAME.match(text) and not has_media_word(text) else None
