"""The outlet (site name) a page shows: a dateline, a masthead, a copyright line, else the URL's domain."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line

# Words that name a news medium ("Delta News", "KT News", "The Times"): a short capitalised
# name holding one of them is an outlet.
_MEDIA_WORDS = {
    "news", "times", "post", "press", "tv", "agency", "daily", "herald", "tribune", "journal", "gazette",
    "telegraph", "guardian", "observer", "express", "chronicle", "radio", "media", "network", "wire", "today",
    "review", "monitor", "mirror", "star", "sun", "voice", "insider", "weekly", "magazine", "channel",
    "broadcasting", "online", "info", "courier", "bulletin", "dispatch", "record", "standard", "independent",
    "pravda", "novosti", "akhbar", "khabar", "haber", "nachrichten", "zeitung", "noticias", "nouvelles",
}
# Names of a newsroom team used in bylines, not outlets ("By News Desk", "Web Desk", "Staff").
_DESKS = re.compile(r"\b(?:desk|staff|newsroom|editorial|editor|editors|team|admin|reporter|correspondent)\b",
                    re.IGNORECASE)
# "Delta News – Pavel Ivanov ...": a dateline naming the outlet at the start of the first paragraph.
_DATELINE = re.compile(r"^(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})\s*(?:[–—-]|\|)\s+\S")
_NAME = re.compile(r"^[A-Z0-9][\w&.'’-]*(?:\s+[\w&.'’-]+){0,4}$")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[^.|,©]{2,50})",
                        re.IGNORECASE)
_RIGHTS = re.compile(r"\s*(?:all rights reserved|inc|ltd|llc)\.?\s*$", re.IGNORECASE)


def has_media_word(name: str) -> bool:
    """True when a name holds a word that names a news medium."""
    return any(word.casefold() in _MEDIA_WORDS for word in re.findall(r"\w+", name))


def is_outlet_name(name: str) -> bool:
    """A short capitalised name, not a newsroom desk."""
    return bool(_NAME.match(name.strip())) and not _DESKS.search(name)


def outlet_from_dateline(body: str) -> str | None:
    """The outlet named by a dateline at the start of the body ("Delta News – ...")."""
    match = _DATELINE.match(body)
    if match and has_media_word(match.group("name")) and is_outlet_name(match.group("name")):
        return match.group("name").strip()
    return None


def outlet_near_title(header: list[Line], title: Line | None) -> str | None:
    """A short media name standing alone just under the title ("KT News")."""
    if title is None:
        return None
    for line in header:
        if title.index < line.index <= title.index + 3 and line.words <= 5 and not line.is_bullet:
            text = line.text.strip()
            if has_media_word(text) and is_outlet_name(text) and not boilerplate.is_byline(text):
                return text
    return None


def outlet_from_masthead(page: list[Line], title: Line | None) -> str | None:
    """A site name printed at the top of the page and again near its end (masthead and footer)."""
    top = [line for line in page[:8] if not line.is_bullet and 1 <= line.words <= 5]
    bottom_keys = {line.key for line in page[-30:]}
    for line in top:
        text = line.text.strip()
        if title is not None and line.key == title.key:
            continue
        if boilerplate.is_chrome(line) or boilerplate.is_end_heading(line) or not is_outlet_name(text):
            continue
        if line.words == 1 and not has_media_word(text):
            # A lone word at the top and bottom is as often a menu item ("News", "Home").
            continue
        if line.key in bottom_keys and any(other.key == line.key for other in page[-30:] if other is not line):
            return text
    return None


def outlet_from_copyright(footer: list[Line]) -> str | None:
    """The holder named in a copyright line ("© 2024 Example Times. All rights reserved")."""
    for line in footer:
        match = _COPYRIGHT.search(line.text)
        if match:
            name = _RIGHTS.sub("", match.group("name")).strip(" -–|")
            if name and is_outlet_name(name) and not re.fullmatch(r"[\d\s-]+", name):
                return name
    return None


def outlet_from_url(url: str | None) -> str | None:
    """The domain of the page's URL without "www.", or None."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None
