"""Attributions a colon makes: transcript labels and a name introducing a quote.

Interview transcripts label each turn ("TAPPER: Do you think ...", "Sen. Graham: ..."), and news
copy introduces a quote with a name and a colon ("... surprised Republican pollster Daron Shaw:
“Historically, ...”"). The colon is the cue; the label or name is the speaker.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from narrascope.claims import cues
from narrascope.claims.content import quote_cover
from narrascope.claims.quotes import Quote, paragraph_bounds, word_count

_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}):\s+(?P<content>\S.*)$", re.S)
_MIN_CONTENT_WORDS = 4


def _label_is_speaker(label: Span) -> bool:
    """A turn label is upper case ("TAPPER", "JAKE TAPPER") or a person's name, never a section word."""
    words = [t for t in label if not t.is_punct]
    if not words:
        return False
    if all(t.is_upper and len(t.text) > 1 for t in words):
        return not any(t.lower_ in cues.ORG_HEADS or t.lower_ in {"update", "note", "editor", "watch", "read"}
                       for t in words)
    return any(t.ent_type_ == "PERSON" for t in words) and all(t.ent_type_ == "PERSON" or t.is_title for t in words)


def transcript_turns(doc: Doc) -> list[tuple[Span, int, int]]:
    """Return (label, content start, content end) for paragraphs that open with a speaker label."""
    text = doc.text
    turns: list[tuple[Span, int, int]] = []
    for start, end in paragraph_bounds(text):
        match = _LABEL.match(text[start:end])
        if match is None or word_count(match["content"]) < _MIN_CONTENT_WORDS:
            continue
        label = doc.char_span(start, start + match.end("label"), alignment_mode="expand")
        if label is None or not _label_is_speaker(label):
            continue
        content_end = end
        while content_end > start and text[content_end - 1].isspace():
            content_end -= 1
        turns.append((label, start + match.start("content"), content_end))
    return turns


def introduced_quotes(doc: Doc, quotes: list[Quote]) -> list[tuple[Span, Quote]]:
    """Return (name, quote) where a person's name and a colon lead straight into the quote."""
    text = doc.text
    found: list[tuple[Span, Quote]] = []
    for quote in quotes:
        before = text[max(0, quote.open_mark - 3) : quote.open_mark]
        if not before.rstrip().endswith(":"):
            continue
        colon = text.rfind(":", 0, quote.open_mark)
        tokens = doc.char_span(colon, colon + 1, alignment_mode="expand")
        if tokens is None or tokens.start == 0:
            continue
        last = doc[tokens.start - 1]
        if last.ent_type_ != "PERSON":
            continue
        first = last.i
        while first > 0 and doc[first - 1].ent_type_ == "PERSON" and doc[first - 1].ent_iob_ != "O":
            first -= 1
            if doc[first].ent_iob_ == "B":
                break
        found.append((doc[first : last.i + 1], quote))
    return found


def is_direct(text: str, quotes: list[Quote], start: int, end: int) -> Quote | None:
    """Return the quote that makes up a turn's content, if one does."""
    return quote_cover(text, quotes, start, end)
