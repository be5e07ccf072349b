"""Text variants of one processed article: its sentences in another order, its people under other names.

Used by bench/synthetic_corpus.py to turn a few hundred processed real pages into a million distinct
articles without running the pipeline a million times. Every claim's span is carried through both
rewrites, so `body[start:end] == text` holds for the variant as it did for the original (checked).
"""

from __future__ import annotations

import bisect
import functools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A cut between two sentences (after . ! ? and an optional closing quote) or at a line break.
_CUT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))[ \t]+|[ \t]*\n\s*")
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")

Span = tuple[int, int]


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


@dataclass(frozen=True)
class Names:
    """A person-name rewrite: full names ("First Last") and bare surnames to their replacements.

    Capitalised words are found with one small regex and looked up (a regex alternation of hundreds of
    names would try each of them at every character).
    """

    mapping: dict[str, str]
    _texts: dict[str, str] = field(default_factory=dict)  # texts renamed so far (claims recur in every copy)

    def renamed(self, text: str) -> str:
        """`rewrite(text)`'s text, remembered."""
        if text not in self._texts:
            self._texts[text] = self.rewrite(text)[0]
        return self._texts[text]

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        words = [(m.start(), m.end()) for m in _CAPITALISED.finditer(text)] if self.mapping else []
        found: list[tuple[int, int, str]] = []
        index = 0
        while index < len(words):
            start, end = words[index]
            if index + 1 < len(words) and words[index + 1][0] == end + 1 and text[end] == " ":
                pair = text[start:words[index + 1][1]]
                if pair in self.mapping:
                    found.append((start, words[index + 1][1], self.mapping[pair]))
                    index += 2
                    continue
            if text[start:end] in self.mapping:
                found.append((start, end, self.mapping[text[start:end]]))
            index += 1
        return found

    def rewrite(self, text: str) -> tuple[str, Callable[[int, bool], int]]:
        """The text with names replaced, and a map from old offsets (start or end of a span) to new ones."""
        found = self._matches(text)
        if not found:
            return text, lambda position, _is_end: position
        pieces: list[str] = []
        starts = [start for start, _, _ in found]
        ends = [end for _, end, _ in found]
        shifts: list[int] = []  # total length change after each replacement
        shift, last = 0, 0
        for start, end, new in found:
            pieces += [text[last:start], new]
            shift += len(new) - (end - start)
            shifts.append(shift)
            last = end
        pieces.append(text[last:])

        def moved(position: int, is_end: bool) -> int:
            index = bisect.bisect_right(ends, position) - 1  # replacements wholly before `position`
            before = shifts[index] if index >= 0 else 0
            inside = index + 1
            if inside < len(starts) and starts[inside] < position:  # a span edge inside a name: snap to it
                return starts[inside] + before + (len(found[inside][2]) if is_end else 0)
            return position + before

        return "".join(pieces), moved


def person_names(speaker_names: Sequence[str]) -> list[tuple[str, str]]:
    """(first, last) of the speakers whose names look like a person's: two or three capitalised words."""
    found: dict[str, tuple[str, str]] = {}
    for name in speaker_names:
        words = name.split()
        if 2 <= len(words) <= 3 and all(_NAME_WORD.match(word) for word in words):
            found.setdefault(name, (words[0], words[-1]))
    return [found[name] for name in sorted(found)]


def name_variant(people: Sequence[tuple[str, str]], variant: int) -> Names:
    """Variant `variant` of the name rewrite: each person gets another first name and another surname."""
    count = len(people)
    if count < 2:
        return Names({})
    mapping: dict[str, str] = {}
    for index, (first, last) in enumerate(people):
        # Up to count**2 variants give every person a different (first name, surname) pair.
        new_first = people[(index + variant + 1) % count][0]
        new_last = people[(index + 2 * variant + variant // count + 3) % count][1]
        if new_last == last:
            new_last = people[(index + 2 * variant + variant // count + 4) % count][1]
        mapping.setdefault(f"{first} {last}", f"{new_first} {new_last}")
        mapping.setdefault(last, new_last)
    return Names(mapping)


def _covered(length: int, spans: Sequence[Span]) -> bytearray:
    """1 at each character strictly inside a span (a cut may touch a span's edge, not cross it)."""
    inside = bytearray(length + 1)
    for start, end in spans:
        inside[start:end] = b"\x01" * (end - start)
    return inside


@functools.lru_cache(maxsize=8192)
def _cuts(body: str, spans: tuple[Span, ...]) -> list[Span]:
    """Where the body may be cut: between sentences or lines, never inside a span (the same in every copy)."""
    covered = _covered(len(body), spans)
    return [(s, e) for s, e in (m.span() for m in _CUT.finditer(body))
            if 0 < s < e < len(body) and not covered[s] and not covered[e - 1]]


def reorder(body: str, spans: Sequence[Span], rng: random.Random,
            keep: float = 1.0) -> tuple[str, Callable[[int], int]]:
    """The body's sentences (or lines) shuffled, never cutting a span; and the offset map of span edges.

    Each piece holding no span is kept with probability `keep` (so variants differ in what they leave
    out, as rewrites of one story do). The whitespace between pieces stays in place, so the layout
    (paragraph breaks) keeps its shape.
    """
    cuts = _cuts(body, tuple(spans))
    bounds = [0] + [e for _, e in cuts]
    blocks = [(start, cut[0]) for start, cut in zip(bounds, cuts, strict=False)] + [(bounds[-1], len(body))]
    holding = {max(bisect.bisect_right(bounds, a) - 1, 0) for a, _ in spans}
    order = [index for index in range(len(blocks)) if index in holding or rng.random() < keep]
    rng.shuffle(order)
    pieces: list[str] = []
    new_start = [0] * len(blocks)
    length = 0
    for slot, block in enumerate(order):
        if slot:
            separator = body[cuts[slot - 1][0]:cuts[slot - 1][1]]
            pieces.append(separator)
            length += len(separator)
        new_start[block] = length
        text = body[blocks[block][0]:blocks[block][1]]
        pieces.append(text)
        length += len(text)

    def moved(position: int) -> int:
        block = max(bisect.bisect_right(bounds, position) - 1, 0)
        return new_start[block] + position - bounds[block]

    return "".join(pieces), moved


@dataclass(frozen=True)
class Variant:
    """A variant's title and body, and each claim's (section, start, end, text) in them."""

    title: str | None
    body: str
    claims: list[tuple[str, int, int, str]]
    rewrite: Callable[[str], str]


def make_variant(title: str | None, body: str, claims: Sequence[tuple[str, int, int]], names: Names,
                 rng: random.Random, keep: float = 0.75) -> Variant:
    """Reorder (and thin, see `reorder`) the body's sentences, then rename people in title and body; claims follow both.

    `claims` are (section, start, end) into the original title or body. Raises AssertionError if a
    claim's new span does not read the claim's own text under the same renaming.
    """
    body_spans = [(s, e) for section, s, e in claims if section == "body"]
    shuffled, shift_order = reorder(body, body_spans, rng, keep)
    new_body, shift_names = names.rewrite(shuffled)
    new_title, shift_title = names.rewrite(title) if title is not None else (None, lambda p, _e: p)
    out: list[tuple[str, int, int, str]] = []
    for section, start, end in claims:
        if section == "body":
            old = body[start:end]
            # The end maps through the block holding the start: a span that closes a block would otherwise
            # be read as the start of the next one.
            moved_start = shift_order(start)
            begin, finish = shift_names(moved_start, False), shift_names(moved_start + end - start, True)
            text = new_body[begin:finish]
        else:
            old = (title or "")[start:end]
            begin, finish = shift_title(start, False), shift_title(end, True)
            text = (new_title or "")[begin:finish]
        assert text == names.renamed(old), f"claim span moved off its text: {old!r} -> {text!r}"
        out.append((section, begin, finish, text))
    return Variant(new_title, new_body, out, names.renamed)
