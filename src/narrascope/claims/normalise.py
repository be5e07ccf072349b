"""Text as the parser should see it: odd Unicode spaces made plain, offsets unchanged.

Pages carry no-break and thin spaces ("the\\u00a0Republican"); the spaCy models read them as
a token of their own and mis-parse the clause around it (the subject becomes an object and the
attribution is lost). Each such character is replaced by one plain space, so every character
offset into the parsed text is an offset into the original text too.
"""

from __future__ import annotations

import unicodedata

_ODD_SPACES = {
    ord(char): " "
    for char in map(chr, range(0x80, 0x3001))
    if unicodedata.category(char) == "Zs" and char != " "
}
_ODD_SPACES[0xFEFF] = " "  # a byte-order mark left inside the text


def parser_text(text: str) -> str:
    """Return `text` with every Unicode space separator replaced by a plain space (same length).

    Example:
        >>> parser_text("the\\u00a0Republican")
        'the Republican'
    """
    return text.translate(_ODD_SPACES)
