"""Text reuse: passages shared by two articles, exactly or nearly, with spans on both sides.

Method (after the shingle-and-extend approach of plagiarism and syndication detectors such as
Copyfind and passim): tokenise bodies into lower-cased words with character offsets, index every
run of `SEED_WORDS` words, and extend each shared seed into the longest common run of words. Words
are compared without punctuation, so "and, in retaliation," matches "and in retaliation".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from narrascope.models import Article

WORD = re.compile(r"\w+")
_WORD = WORD
SEED_WORDS = 6
MIN_WORDS = 8
# Runs with fewer content words are stock phrases ("said the meeting in the capital of the country").
MIN_CONTENT_WORDS = 6
MAX_POSTINGS = 50  # a seed in more articles than this is boilerplate, not reuse


@dataclass(frozen=True)
class Token:
    """A word and where it is in the body."""

    word: str
    start: int
    end: int


@dataclass(frozen=True)
class SharedPassage:
    """The same words in two articles; `source_id` is the earlier article when dates say so."""

    article_a: str
    start_a: int
    end_a: int
    article_b: str
    start_b: int
    end_b: int
    words: int
    source_id: str | None  # the article the other one likely copied from, None when dates cannot tell


def tokenize(text: str) -> list[Token]:
    """Lower-cased words with character offsets."""
    return [Token(match.group().lower(), match.start(), match.end()) for match in _WORD.finditer(text)]


def shared_passages(articles: Sequence[Article], min_words: int = MIN_WORDS) -> list[SharedPassage]:
    """Every maximal run of at least `min_words` words that two different articles share."""
    tokens = {article.id: tokenize(article.body) for article in articles}
    postings: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for article_id, words in tokens.items():
        for position in range(len(words) - SEED_WORDS + 1):
            postings[tuple(t.word for t in words[position:position + SEED_WORDS])].append((article_id, position))
    dates = {article.id: article.published for article in articles}
    found: dict[tuple[str, str, int, int], SharedPassage] = {}
    # Runs already grown, by (a, b, diagonal a_pos - b_pos): every seed inside one grows into the same
    # maximal run, so it is skipped. Without this a syndicated copy of n words was extended from each of
    # its n seeds over the whole run (n^2 word comparisons: 0.25 s a pair at 1,000 words).
    grown: dict[tuple[str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for occurrences in postings.values():
        if len(occurrences) < 2 or len(occurrences) > MAX_POSTINGS:
            continue
        for index, (first_id, first_pos) in enumerate(occurrences):
            for second_id, second_pos in occurrences[index + 1:]:
                if first_id == second_id:
                    continue
                (a_id, a_pos), (b_id, b_pos) = sorted([(first_id, first_pos), (second_id, second_pos)])
                runs = grown[(a_id, b_id, a_pos - b_pos)]
                if any(start <= a_pos < end for start, end in runs):
                    continue
                start_a, end_a, start_b, end_b, length = _extend(tokens[a_id], a_pos, tokens[b_id], b_pos)
                runs.append((start_a, end_a))
                key = (a_id, b_id, start_a, start_b)
                if key in found or length < min_words or not _has_content(tokens[a_id][start_a:end_a]):
                    continue
                found[key] = SharedPassage(a_id, tokens[a_id][start_a].start, tokens[a_id][end_a - 1].end,
                                           b_id, tokens[b_id][start_b].start, tokens[b_id][end_b - 1].end,
                                           length, _source(a_id, b_id, dates))
    return sorted(found.values(), key=lambda p: (p.article_a, p.article_b, p.start_a))


def _extend(a: list[Token], a_pos: int, b: list[Token], b_pos: int) -> tuple[int, int, int, int, int]:
    """Grow a shared seed both ways; returns token ranges [start, end) in a and b, and the length."""
    back = 0
    while a_pos - back > 0 and b_pos - back > 0 and a[a_pos - back - 1].word == b[b_pos - back - 1].word:
        back += 1
    forward = 0
    while (a_pos + forward < len(a) and b_pos + forward < len(b)
           and a[a_pos + forward].word == b[b_pos + forward].word):
        forward += 1
    return a_pos - back, a_pos + forward, b_pos - back, b_pos + forward, back + forward


def _has_content(run: list[Token]) -> bool:
    return sum(1 for token in run if token.word not in ENGLISH_STOP_WORDS) >= MIN_CONTENT_WORDS


def _source(a_id: str, b_id: str, dates: dict[str, str | None]) -> str | None:
    a_date, b_date = dates.get(a_id), dates.get(b_id)
    if not a_date or not b_date or a_date == b_date:
        return None
    return a_id if a_date < b_date else b_id
