"""Find quoted spans in a text, whatever the marks, across sentences and paragraphs.

Rules (from news style guides, AP/Reuters): a quote that runs on into the next paragraph
leaves its closing mark off at the paragraph end and reopens the next paragraph; marks may
be mixed (an opening curly mark closed by a straight one); single marks double as
apostrophes, so a single closing mark only counts when a single quote is open and it is
not inside a word (``Russia’s``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPENERS = frozenset('"“«„')
DOUBLE_CLOSERS = frozenset('"”»')
SINGLE_OPENERS = frozenset("‘'")
SINGLE_CLOSERS = frozenset("’'")
ALL_MARKS = DOUBLE_OPENERS | DOUBLE_CLOSERS | SINGLE_OPENERS | SINGLE_CLOSERS

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Quote:
    """One quoted stretch: `start`/`end` bound the words inside the marks."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when the paragraph ended before a closing mark
    paragraph: int

    @property
    def outer_end(self) -> int:
        """Return the offset just after the closing mark (or the content end)."""
        return self.close_mark + 1 if self.close_mark is not None else self.end


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph (blocks split by blank lines)."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return [(start, end) for start, end in bounds if text[start:end].strip()]


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing commas from a quote's inside."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """Return the quoted spans of `text` in order.

    Example:
        >>> [text[q.start:q.end] for q in find_quotes(text)]  # doctest: +SKIP
    """
    quotes: list[Quote] = []
    for index, (para_start, para_end) in enumerate(paragraph_bounds(text)):
        quotes.extend(_paragraph_quotes(text, para_start, para_end, index))
    return quotes


def _paragraph_quotes(text: str, para_start: int, para_end: int, index: int) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    is_single = False
    for position in range(para_start, para_end):
        char = text[position]
        if char not in ALL_MARKS:
            continue
        before = text[position - 1] if position > para_start else " "
        after = text[position + 1] if position + 1 < para_end else " "
        if open_at is None:
            if char in DOUBLE_OPENERS:
                if char == '"' and _is_word_char(before) and not _is_word_char(after):
                    continue  # a stray closing straight mark (unbalanced): ignore it
                open_at, is_single = position, False
            elif char in SINGLE_OPENERS and not _is_word_char(before) and _is_word_char(after):
                open_at, is_single = position, True
            continue
        if is_single:
            if char in SINGLE_CLOSERS and not (_is_word_char(before) and _is_word_char(after)):
                found.append(_make(text, open_at, position, index))
                open_at = None
            elif char in DOUBLE_OPENERS and char != '"':
                open_at, is_single = position, False  # the single mark was an apostrophe
            continue
        if char in DOUBLE_CLOSERS:
            found.append(_make(text, open_at, position, index))
            open_at = None
    if open_at is not None and not is_single:
        start, end = _trimmed(text, open_at + 1, para_end)
        if end - start > 0:
            found.append(Quote(start, end, open_at, None, index))
    return [quote for quote in found if quote.end > quote.start]


def _make(text: str, open_at: int, close_at: int, index: int) -> Quote:
    start, end = _trimmed(text, open_at + 1, close_at)
    return Quote(start, end, open_at, close_at, index)


def word_count(text: str) -> int:
    """Return the number of word tokens in `text`."""
    return len(re.findall(r"\w+", text))
