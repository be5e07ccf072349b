"""Clean a text page: the article region, its furniture removed, each paragraph once.

Choices worth knowing:
- The body starts after the byline/date block: a standfirst printed above the byline or above
  the lead photo stays in the header with the title (it repeats the article, and keeping it
  out makes every page start the same way: at the first paragraph of running text).
- A dateline ("Example News – ...") is part of the first paragraph and is kept as printed.
- Each line is a paragraph (browser copies, w3m and inscriptis print one per line); a page
  hard-wrapped at a fixed width (plain-text exports, mail) is first unwrapped: a line that stops
  mid-sentence and is followed by a line starting in lower case continues on that line.
"""

from __future__ import annotations

import logging
import re

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line, split_lines
from narrascope.clean.regions import best_region, discount_comments, score_line, ticker_lines
from narrascope.models import CleanedPage

logger = logging.getLogger(__name__)

# Letters of the scripts we tell apart, to spot a short line in another script than the article
# (an untranslated UI label such as a thumbnail's alt text).
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def clean_text(text: str) -> CleanedPage | None:
    """The article in a page's text, or None when no line reads like article text."""
    text = unwrap_hard_wrapped(text)
    lines = split_lines(text)
    if not lines:
        return None
    tickers = ticker_lines(lines)
    scores = discount_comments(lines, [score_line(line, line.index in tickers) for line in lines])
    region = best_region(scores)
    if region is None:
        return None
    paragraphs = _keep_paragraphs(lines, region.start, region.end, tickers)
    if not paragraphs:
        return None
    logger.debug("article region: lines %d-%d of %d, score %.1f", region.start, region.end, len(lines), region.score)
    header = text[: lines[region.start].start].rstrip()
    footer = text[lines[region.end - 1].end:].strip()
    return CleanedPage(body="\n\n".join(paragraphs), header=header, footer=footer)


# A wrapped line stops without closing punctuation and is long enough to have been wrapped; the next one
# carries on in lower case. Menus and lists have short lines or capitalised items, so they are left alone.
_WRAPPED = re.compile(r"(?<=[^\s.!?:;\"”’)\]])[ \t]*\n[ \t]*(?=[a-z(“\"'‘])")
_MIN_WRAPPED_LINE = 40


def unwrap_hard_wrapped(text: str) -> str:
    """Join lines that a fixed-width wrap split in the middle of a sentence."""
    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        return " " if match.start() - line_start >= _MIN_WRAPPED_LINE else match.group()

    return _WRAPPED.sub(join, text)


def _keep_paragraphs(lines: list[Line], start: int, end: int, tickers: set[int]) -> list[str]:
    """The region's lines that are article text, each once, in page order."""
    seen_before = {line.key for line in lines[:start] if line.key}
    script = _main_script(lines[start:end])
    kept: list[str] = []
    kept_keys: set[str] = set()
    # Keys hold no newline, so a search of " key " in this text cannot run across two paragraphs.
    kept_text = ""
    for position in range(start, end):
        line = lines[position]
        key = line.key
        if not key or position in tickers or _is_furniture(line):
            continue
        if _is_image_pair(lines, position):
            continue
        if key in kept_keys:
            # The page repeats a block (a mobile and a desktop copy): keep the first.
            continue
        if line.words < 20 and key in seen_before:
            # A short line already shown above the article (the title again, a section name).
            continue
        if _inside_kept(key, kept_text):
            # A summary sentence cut from a paragraph above (teaser of the same article).
            continue
        if line.words <= 3 and not line.is_sentence and _other_script(line.text, script):
            continue
        if line.is_bullet and line.words < 4 and not line.is_sentence:
            continue
        kept.append(line.text)
        kept_keys.add(key)
        kept_text += f" {key} \n"
    return kept


def _is_furniture(line: Line) -> bool:
    return (boilerplate.is_chrome(line) or boilerplate.is_caption(line) or boilerplate.is_end_heading(line)
            or boilerplate.is_breadcrumb(line.text) or boilerplate.is_byline(line.text))


def _is_image_pair(lines: list[Line], position: int) -> bool:
    """A line printed twice in a row: an image's alt text followed by the same caption."""
    line = lines[position]
    if line.words < 4:
        return False
    neighbours = [lines[p] for p in (position - 1, position + 1) if 0 <= p < len(lines)]
    return any(other.key == line.key for other in neighbours)


def _inside_kept(key: str, kept_text: str) -> bool:
    """`key` is whole words of a kept paragraph (`kept_text`: their keys, each as " key " on its own line)."""
    if len(key.split()) < 5:
        return False
    return f" {key} " in kept_text


def _main_script(lines: list[Line]) -> str:
    # One pass over the joined text counts the same letters as one pass per line, with fewer calls.
    text = "\n".join(line.text for line in lines)
    counts = {"latin": len(_LATIN.findall(text)), "arabic": len(_ARABIC.findall(text)),
              "cyrillic": len(_CYRILLIC.findall(text))}
    return max(counts, key=lambda name: counts[name])


def _other_script(text: str, script: str) -> bool:
    patterns = {"latin": _LATIN, "arabic": _ARABIC, "cyrillic": _CYRILLIC}
    own = len(patterns[script].findall(text))
    others = sum(len(pattern.findall(text)) for name, pattern in patterns.items() if name != script)
    return others > 0 and own == 0


