"""Bylines: "By Jane Doe - February 12 2023" -> "Jane Doe"."""

from __future__ import annotations

import re

from narrascope.clean.lines import Line
from narrascope.metadata.dates import find_dates

_BYLINE = re.compile(r"^(?:by|written by|posted by|author|authored by|reported by)\s*:?\s+(?P<name>.+)$",
                     re.IGNORECASE)
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


def find_author(lines: list[Line]) -> str | None:
    """The first byline name among `lines`."""
    for line in lines:
        name = byline_name(line.text)
        if name:
            return name
    return None
