"""Absolute calendar dates in text -> ISO YYYY-MM-DD.

Only dates that name their year are read: "26 May 2023 11:39", "February 12 2023",
"Nov. 5, 2023", "2023-05-26", "2023/05/26", "26.05.2023". Relative dates ("2 hours ago",
"on Friday (April 26)") are never turned into a date: the page does not say which year.
Slash dates are read only when unambiguous (a part above 12), since 03/04/2023 means
March 4 in the US and 3 April elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<![\w])" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?!\d)"),
    re.compile(r"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?!\d)"),
]


# Defaults that publishing systems write when the real date is missing: Go's zero time (0001-01-01), the
# Unix epoch and the 1900-01-01 of spreadsheets and SQL servers. None of them dates a news page.
_PLACEHOLDER_DATES = frozenset({"1900-01-01", "1970-01-01"})


def is_plausible_published(iso: str) -> bool:
    """Whether a page's machine-readable date (YYYY-MM-DD...) can be its publication date.

    The same years as dates read from text (19xx, 20xx), and not a known placeholder.

    Example:
        >>> is_plausible_published("0001-01-01"), is_plausible_published("2023-05-26")
        (False, True)
    """
    return iso[:2] in ("19", "20") and iso[:10] not in _PLACEHOLDER_DATES


@dataclass(frozen=True)
class FoundDate:
    """A date read from text, where it starts in the text, as ISO."""

    start: int
    iso: str


def find_dates(text: str) -> list[FoundDate]:
    """Every absolute date in `text`, in order of position."""
    found: dict[int, FoundDate] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso and not any(start <= match.start() < start + 12 for start in found):
                found[match.start()] = FoundDate(match.start(), iso)
    return sorted(found.values(), key=lambda item: item.start)


def first_date(text: str) -> str | None:
    """The first absolute date in `text` as YYYY-MM-DD, or None.

    Example:
        >>> first_date("By News Desk - February 12 2023")
        '2023-02-12'
    """
    dates = find_dates(text)
    return dates[0].iso if dates else None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("first") is not None:
        first, second = int(groups["first"]), int(groups["second"])
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        else:
            return None
    else:
        raw_month = groups["month"]
        month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month.casefold().rstrip(".")]
        day = int(groups["day"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
