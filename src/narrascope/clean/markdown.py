"""Markdown renderings (html2text, pandoc, "copy as Markdown") reduced to the plain text a browser shows.

A page rendered as Markdown prints every link as `[text](url)`, images as `![alt](src)`, headings
with `#`, emphasis with `**`/`_` and escapes punctuation with backslashes. Left in, the URLs and
markers count as words: menus of links look like prose and the article's own links are noise. So
text that looks like Markdown (many lines with link syntax, not one stray bracket) is turned into
the text the same page shows in a browser before lines are scored: link and image syntax replaced by
the link text (images dropped), heading and emphasis marks, rules and table separators removed.

Example:
    >>> print(markdown_to_plain("## [Storm hits coast](/news/1)\\n\\nThe **storm** hit the [coast](/c) today."))
    Storm hits coast
    <BLANKLINE>
    The storm hit the coast today.
"""

from __future__ import annotations

import re

# `[text](url "title")`: the url may hold one level of parentheses (Wikipedia links do).
_URL = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
_IMAGE = re.compile(r"!\[[^\]]*\]" + _URL)
_LINK = re.compile(r"\[([^\]]*)\]" + _URL)
_REFERENCE_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s+\S+\s*$")
_HEADING = re.compile(r"^(\s*)#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![\w*])")
_QUOTE = re.compile(r"^(\s*)(?:>\s?)+")
_RULE = re.compile(r"^\s*(?:(?:[-*_]\s*){3,}|[|:\s-]*-{3,}[|:\s-]*)$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")

# Looks like Markdown: this many lines with link or image syntax, and this share of the non-blank lines.
# Only links count: "#" starts shell comments and lynx's headings, "**" shows in pages quoting Markdown,
# but an HTML page rendered as Markdown prints every menu entry as "[text](url)".
_MIN_MARKS = 5
_MIN_MARKED_SHARE = 0.05
_MARK = re.compile(r"!?\[[^\]]*\]\([^)\s]*")


def looks_like_markdown(text: str) -> bool:
    """True when the text carries Markdown's link or image syntax throughout.

    Example:
        >>> looks_like_markdown("Home\\nA line of text with a [bracket] in it.\\n")
        False
    """
    if "](" not in text:
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    marked = sum(1 for line in lines if _MARK.search(line))
    return marked >= _MIN_MARKS and marked >= _MIN_MARKED_SHARE * len(lines)


def plain_text(text: str) -> str:
    """`text` with its Markdown syntax removed when it looks like Markdown, else unchanged.

    Lines stay lines (a blank line where a line held only syntax, such as an image or a rule),
    so paragraphs, bullets and indentation read as in any other text rendering.
    """
    return markdown_to_plain(text) if looks_like_markdown(text) else text


def markdown_to_plain(text: str) -> str:
    """`text` with its Markdown syntax removed, line by line."""
    return "\n".join(_plain_line(line) for line in text.splitlines())


def _plain_line(line: str) -> str:
    if _RULE.match(line) or _REFERENCE_DEFINITION.match(line):
        return ""
    line = _IMAGE.sub("", line)
    # Links inside link text ("[![logo](a)](b)" after the image went): innermost first.
    previous = None
    while previous != line:
        previous, line = line, _LINK.sub(r"\1", line)
    line = _QUOTE.sub(r"\1", line)
    line = _HEADING.sub(r"\1\2", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _ESCAPE.sub(r"\1", line)
    return line.rstrip()
