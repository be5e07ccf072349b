"""Find the article in a page's lines: score each line, take the best contiguous region.

The idea is Boilerpipe's and CETR's (Kohlschütter et al. 2010; Weninger et al. 2010): article
text comes in long, punctuated lines that sit together, while menus, tickers and sidebars are
runs of short, link-like lines. Each line gets a score (positive for prose, negative for
furniture) and the body is the maximum-sum contiguous run of lines (Kadane's algorithm), so
that a short subheading between two paragraphs is kept but a menu above the title is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line

# Score of a heading such as "Most Read": a wall the region does not cross.
_WALL = -60.0
# Score of a short line (menu item, label, teaser title): a few of them cost as much as one
# short paragraph, so a region crosses a subheading but not a menu.
_SHORT = -4.0
_BULLET_SHORT = -4.0
_FURNITURE = -6.0
_COMMENT_WEIGHT = 0.5
_ARTICLE_BEFORE_COMMENTS = 40.0


@dataclass(frozen=True)
class Region:
    """The best run of lines: `start` and `end` index lines (end exclusive)."""

    start: int
    end: int
    score: float


def ticker_lines(lines: list[Line]) -> set[int]:
    """Indexes of the lines of a news ticker: the run of lines under a "BREAKING" heading.

    A ticker's flashes follow each other without blank lines, where article paragraphs are
    separated by them; the run ends at the first blank line.
    """
    found: set[int] = set()
    for position, line in enumerate(lines):
        if not boilerplate.is_ticker_heading(line):
            continue
        found.add(position)
        for follower in lines[position + 1:]:
            if follower.gap_before:
                break
            found.add(follower.index)
    return found


def score_line(line: Line, is_ticker: bool) -> float:
    """How much a line looks like article text (words of prose) or like furniture (negative)."""
    if is_ticker:
        return -max(float(line.words), 3.0)
    if boilerplate.is_end_heading(line) or boilerplate.is_byline(line.text):
        # A byline opens the article (or closes it): title and standfirst above it stay in the header.
        return _WALL
    if (boilerplate.is_chrome(line) or boilerplate.is_caption(line) or boilerplate.is_breadcrumb(line.text)):
        return _FURNITURE
    if line.is_truncated:
        # A teaser of another article: its summary cut with an ellipsis (lists of related stories).
        return _SHORT
    if line.is_bullet:
        if line.is_sentence and line.words >= 10:
            return line.words * 0.5
        return _BULLET_SHORT
    if line.is_sentence and line.words >= 8:
        return float(line.words)
    if line.words >= 20:
        return line.words * 0.5
    return _SHORT


def discount_comments(lines: list[Line], scores: list[float]) -> list[float]:
    """Scores with the prose of a comments section (after the article) weighted down.

    Readers' comments are prose too, and on blogs they can outweigh a short post. Once a
    comments heading follows some article-like text, later prose counts a quarter.
    """
    discounted = list(scores)
    prose_before = 0.0
    in_comments = False
    for position, line in enumerate(lines):
        if in_comments and discounted[position] > 0:
            discounted[position] *= _COMMENT_WEIGHT
        elif not in_comments:
            prose_before += max(scores[position], 0.0)
            in_comments = prose_before >= _ARTICLE_BEFORE_COMMENTS and boilerplate.is_comments_heading(line)
    return discounted


def best_region(scores: list[float]) -> Region | None:
    """The contiguous run with the largest positive sum (Kadane), or None if nothing is positive."""
    best: Region | None = None
    run_start = 0
    run_sum = 0.0
    for position, score in enumerate(scores):
        if run_sum <= 0:
            run_start = position
            run_sum = 0.0
        run_sum += score
        if run_sum > 0 and (best is None or run_sum > best.score):
            best = Region(run_start, position + 1, run_sum)
    return best
