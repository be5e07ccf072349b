"""Presentation helpers: claim highlighting by span, safe links, sanitised HTML, a server-side SVG timeline."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import nh3

SAFE_SCHEMES = frozenset({"http", "https"})
# Tags an article view may keep (W2): text structure only; no images, forms, frames, scripts or <base>.
_ALLOWED_TAGS = {"a", "p", "br", "b", "i", "em", "strong", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
                 "h4", "h5", "h6", "pre", "code", "table", "thead", "tbody", "tr", "td", "th", "span", "div"}


@dataclass(frozen=True)
class Segment:
    """A run of text, the claims whose spans cover it, and the claims whose spans start here."""

    text: str
    claim_ids: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


def highlight(text: str, spans: Sequence[tuple[str, int, int]]) -> list[Segment]:
    """Cut `text` at every span boundary so each piece knows which claims (id, start, end) cover it.

    Example:
        >>> [s.text for s in highlight("ab cd", [("c1", 3, 5)])]
        ['ab ', 'cd']
    """
    valid = [(cid, max(0, start), min(len(text), end)) for cid, start, end in spans if 0 <= start < end]
    cuts = sorted({0, len(text), *(s for _, s, _ in valid), *(e for _, _, e in valid)})
    segments: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        covering = tuple(cid for cid, start, end in valid if start <= left and right <= end)
        anchors = tuple(cid for cid, start, _ in valid if start == left)
        segments.append(Segment(text[left:right], covering, anchors))
    return segments


def safe_href(url: str | None) -> str | None:
    """The URL if it is http(s) and may be a link target, else None (shown as text instead)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in SAFE_SCHEMES and not any(ord(ch) < 32 for ch in url) else None


def sanitized_html(html: str) -> str:
    """An HTML page reduced by nh3 to text structure and http(s) links (no scripts, handlers, base, data:)."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes=set(SAFE_SCHEMES),
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     clean_content_tags={"script", "style", "template", "noscript", "svg", "math", "iframe",
                                         "object", "embed", "title"})


@dataclass(frozen=True)
class Bar:
    """One bar of the timeline chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


def _day(value: str) -> int | None:
    """Days since 0001-01-01 of an ISO date or month ("2023-02-12", "2023-02"); None if unreadable."""
    try:
        return date.fromisoformat(value if len(value) > 7 else value + "-01").toordinal()
    except ValueError:
        return None


def timeline_bars(items: Sequence[dict[str, Any]], *, key: str = "published", width: int = 640,
                  height: int = 120) -> list[Bar]:
    """Claims per date as bars placed on a linear time axis (undated items left out).

    Each bar carries its date and count; bars are at least 3 units wide and never overlap.
    """
    counts: dict[str, int] = {}
    for item in items:
        value = item.get(key)
        if value and _day(str(value)) is not None:
            counts[str(value)] = counts.get(str(value), 0) + int(item.get("claims", 1))
    if not counts:
        return []
    dates = sorted(counts)
    first, last = _day(dates[0]) or 0, _day(dates[-1]) or 0
    span = max(1, last - first)
    bar_width = max(3.0, min(40.0, width / (len(dates) * 2)))
    usable = width - bar_width
    tallest = max(counts.values())
    bars: list[Bar] = []
    for value in dates:
        x = usable * ((_day(value) or first) - first) / span if len(dates) > 1 else usable / 2
        if bars:
            x = max(x, bars[-1].x + bars[-1].width + 1)
        bar_height = max(2.0, (height - 20) * counts[value] / tallest)
        bars.append(Bar(x=round(min(x, width - bar_width), 1), y=round(height - 16 - bar_height, 1),
                        width=round(bar_width, 1), height=round(bar_height, 1), label=value, count=counts[value]))
    return bars
