"""Name keys that survive transliteration: "Sergei" = "Sergey", "Dmitriy" = "Dmitry".

The rules fold the usual differences between romanisations of Russian, Arabic and Persian
names in English news (BGN/PCGN vs. ALA-LC vs. press spellings of Cyrillic: ey/ei, y/i,
final -iy/-y, kh/h, dzh/j, ks/x, doubled letters).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from narrascope.claims import cues

# Ordered: longer patterns first so "dzh" is folded before "zh".
_FOLDS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("kh", "h"),
    ("x", "ks"),
    ("ph", "f"),
    ("ou", "u"),
    ("ey", "ei"),
    ("yi", "i"),
    ("y", "i"),
    ("ii", "i"),
    ("ee", "i"),
)
_HONORIFICS = frozenset(
    ("mr", "mrs", "ms", "dr", "sir", "mawlawi", "mullah", "sheikh", "gen", "lt", "col", "maj", "sen", "rep", "gov")
)


# Pure functions of short strings, called for every pair of candidate names (a million times when 10k
# pages are placed among 125k stored speakers): cached, as names repeat.
@lru_cache(maxsize=1 << 16)
def ascii_fold(text: str) -> str:
    """Return lower-case ASCII letters and spaces of `text` (diacritics dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z ]+", " ", plain.replace("’", "'").replace("'s ", " ")).strip()


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """Return the transliteration key of one name word."""
    key = ascii_fold(word).replace(" ", "")
    for pattern, replacement in _FOLDS:
        key = key.replace(pattern, replacement)
    return re.sub(r"(.)\1+", r"\1", key)


def strip_role(name: str) -> str:
    """Drop a role written before a name: "Defence Minister Pavel Ivanov" -> "Pavel Ivanov"."""
    words = name.split()
    last_role = -1
    for index, word in enumerate(words):
        if word.lower().strip(",.") in cues.ROLE_NOUNS:
            last_role = index
    if 0 <= last_role < len(words) - 1:
        words = words[last_role + 1 :]
    while len(words) > 1 and words[0].lower().strip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def person_words(name: str) -> list[str]:
    """Return the name words of a person, role and honorifics removed."""
    return [w for w in strip_role(name).split() if ascii_fold(w)]


def edit_distance(left: str, right: str) -> int:
    """Return the Levenshtein distance between two short strings."""
    previous = list(range(len(right) + 1))
    for i, left_char in enumerate(left, 1):
        current = [i]
        for j, right_char in enumerate(right, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left_char != right_char)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=1 << 18)
def same_given_name(left: str, right: str) -> bool:
    """Return whether two given names are spellings of one name (same key or one edit apart)."""
    left_key, right_key = word_key(left), word_key(right)
    if left_key == right_key:
        return True
    return min(len(left_key), len(right_key)) >= 4 and edit_distance(left_key, right_key) <= 1


def org_key(name: str) -> str:
    """Return the matching key of an organisation name ("the Taliban" = "Taliban")."""
    folded = ascii_fold(name)
    return re.sub(r"^the ", "", folded)
