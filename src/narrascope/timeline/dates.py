"""Dates the text gives, resolved against the article's publication date.

News states dates relative to the day of writing: "on Friday (April 26)", "in January", "one month
ago", "on 11 February". Each is resolved to the latest matching day not after the article's date (the
convention of news writing: past events, reported after they happen), and flagged when the article
has no date to resolve against or the year had to be guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
WEEKDAYS = {name: number for number, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1, "an": 1}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? (?P<year>(?:19|20)\d\d)\b", re.I)),
    ("month_day_year", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>(?:19|20)\d\d)\b", re.I)),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)\b")),
    ("weekday_month_day", re.compile(
        rf"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*[(,]\s*{_MONTH} "
        rf"(?P<day>\d{{1,2}})\)?", re.I)),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH}\b(?!,? (?:19|20)\d\d)", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,? (?:19|20)\d\d)(?!\d)", re.I)),
    ("month_year", re.compile(rf"\b(?:in |of )?{_MONTH},? (?P<year>(?:19|20)\d\d)\b", re.I)),
    ("in_month", re.compile(rf"\bin {_MONTH}\b(?!,? (?:\d))", re.I)),
    ("weekday", re.compile(r"\bon (?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
                           r"(?!\s*[(,]\s*[a-z]+ \d)", re.I)),
    ("ago", re.compile(r"\b(?P<count>\d+|one|two|three|four|five|six|seven|eight|nine|ten|an?) "
                       r"(?P<unit>day|week|month|year)s? ago\b", re.I)),
    ("relative_day", re.compile(r"\b(?P<word>yesterday|today|two days ago)\b", re.I)),
    ("year", re.compile(r"\bin (?P<year>(?:19|20)\d\d)\b")),
)


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text and what it resolves to.

    `value` is YYYY-MM-DD, YYYY-MM or YYYY by `precision`; `is_flagged` when it could not be anchored
    (no article date) or its year was inferred from the article's date.
    """

    text: str
    start: int
    end: int
    value: str | None
    precision: str  # day | month | year
    is_flagged: bool
    note: str


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every date expression in `text`, resolved against the article's date `published` (YYYY-MM-DD)."""
    anchor = _parse_iso(published)
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            try:
                mention = _resolve(kind, match, anchor)
            except (OverflowError, ValueError):  # outside the calendar: "a week before" 0001-01-03, "10**9 days ago"
                mention = None
            if mention is not None:
                taken.append((match.start(), match.end()))
                mentions.append(mention)
    return sorted(mentions, key=lambda m: m.start)


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, match: re.Match[str], anchor: date | None) -> DateMention | None:
    groups = match.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower().rstrip("."), 0) or int(groups.get("mon") or 0)
    day = int(groups["day"]) if groups.get("day") else 0
    year = int(groups["year"]) if groups.get("year") else 0

    def found(value: str | None, precision: str, flagged: bool, note: str) -> DateMention:
        return DateMention(match.group(), match.start(), match.end(), value, precision, flagged, note)

    if year and month and day:
        resolved = _safe_date(year, month, day)
        return found(resolved.isoformat(), "day", False, "explicit") if resolved else None
    if year and month:
        return found(f"{year:04d}-{month:02d}", "month", False, "explicit")
    if kind == "year":
        return found(f"{year:04d}", "year", False, "explicit")
    if anchor is None:
        return found(None, "day" if day or kind in ("weekday", "ago", "relative_day") else "month", True,
                     "relative date and the article gives no date to resolve it against")
    if month and day:
        candidate = _safe_date(anchor.year, month, day)
        if candidate and candidate > anchor:
            candidate = _safe_date(anchor.year - 1, month, day)
        if candidate is None:
            return None
        return found(candidate.isoformat(), "day", True, "year inferred from the article's date")
    if month:
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return found(f"{year:04d}-{month:02d}", "month", True, "year inferred from the article's date")
    if kind == "weekday":
        back = (anchor.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        return found((anchor - timedelta(days=back)).isoformat(), "day", False, "weekday before the article's date")
    if kind == "ago":
        count = NUMBERS.get(groups["count"].lower()) or int(groups["count"])
        unit = groups["unit"].lower()
        if unit == "day":
            return found((anchor - timedelta(days=count)).isoformat(), "day", False, "counted back")
        if unit == "week":
            return found((anchor - timedelta(weeks=count)).isoformat(), "day", False, "counted back")
        if unit == "month":
            total = anchor.year * 12 + anchor.month - 1 - count
            return found(f"{total // 12:04d}-{total % 12 + 1:02d}", "month", False, "counted back")
        return found(f"{anchor.year - count:04d}", "year", False, "counted back")
    word = groups["word"].lower()
    delta = {"yesterday": 1, "today": 0, "two days ago": 2}[word]
    return found((anchor - timedelta(days=delta)).isoformat(), "day", False, "counted back")
