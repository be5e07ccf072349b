"""Page text -> typed lines with the features the region decoder scores.

A text page (copied from a browser, printed by w3m or inscriptis) keeps one paragraph per
line, with list items marked by a bullet ("•", "*", "-") and inscriptis indenting nested
blocks. We keep each line's wording and characters and only strip the layout around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bullet markers used by browsers' copy ("•"), w3m ("•", "◦", "▪") and inscriptis ("*").
_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙·*\-–+]|\d{1,2}[.)])\s+")
_BARE_BULLET = re.compile(r"^[•◦▪▫●○■□‣⁃∙·*]\s*")
_WORD = re.compile(r"\w+")
# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;。؟!！？]['\"”’»)\]]*$")
# Scripts written without spaces between words (Han, Kana, Thai): each character counts as
# half a word, about the information of a word in spaced scripts.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# A teaser cut short by the CMS ("... the new Surface Go for familie...").
_TRUNCATED = re.compile(r"\w(?:\.\.\.|…)\s*$|\s(?:\.\.\.|…)$")
_SENTENCE_MARK = re.compile(r"[.!?;。؟]['\"”’»)\]]*(?:\s|$)")


@dataclass(frozen=True)
class Line:
    """One non-blank page line with its layout stripped and its features computed."""

    index: int
    text: str
    start: int
    end: int
    is_bullet: bool
    indent: int
    words: int
    is_sentence: bool
    is_truncated: bool
    sentences: int
    gap_before: bool
    key: str  # the line folded for comparisons (case, spacing and punctuation ignored)


def fold(text: str) -> str:
    """Lower-case words joined by single spaces: how repeated lines are recognised."""
    return " ".join(_WORD.findall(text.casefold()))


def word_count(text: str) -> int:
    """Number of `\\w+` words in `text`, a character of an unspaced script counting as half a word."""
    if not _UNSPACED.search(text):  # most lines: one search instead of collecting every match
        return len(_WORD.findall(text))
    unspaced = len(_UNSPACED.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced // 2


def split_lines(text: str, first_index: int = 0) -> list[Line]:
    """The non-blank lines of `text`, in order, with features; blank lines set `gap_before`.

    Lines are numbered from `first_index` (to number several parts of a page as one run).
    """
    lines: list[Line] = []
    saw_gap = True
    offset = 0
    for raw_with_end in text.splitlines(keepends=True):
        start = offset
        offset += len(raw_with_end)
        raw = raw_with_end.rstrip("\r\n")
        stripped = raw.strip()
        if not stripped:
            saw_gap = True
            continue
        indent = len(raw) - len(raw.lstrip())
        is_bullet = False
        match = _BULLET.match(stripped)
        if match and len(stripped) > match.end():
            is_bullet = True
            stripped = stripped[match.end():].strip()
        elif _BARE_BULLET.fullmatch(stripped):
            # A bullet with nothing after it: w3m prints these for icon-only list items.
            is_bullet = True
            stripped = ""
        words = word_count(stripped)
        lines.append(
            Line(
                index=first_index + len(lines),
                text=stripped,
                start=start,
                end=start + len(raw),
                is_bullet=is_bullet,
                indent=indent,
                words=words,
                is_sentence=bool(_SENTENCE_END.search(stripped)) and words >= 4,
                is_truncated=bool(_TRUNCATED.search(stripped)),
                sentences=len(_SENTENCE_MARK.findall(stripped + " ")),
                gap_before=saw_gap,
                key=fold(stripped),
            )
        )
        saw_gap = False
    return lines
