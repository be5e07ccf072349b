"""Find attributions in a parsed text: a cue, the words naming the speaker, the content span.

One pass over cue words (verbs of saying from `cues`, "according to"); for each cue the
content is, in order: a quote right after it (``X said: "..."``), a quote right before it
(``"...," he added.``), the text after a colon (``said in a statement: ...``), or the
clausal complement or object in the parse (``X said on Friday that ...``, ``..., X said.``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from narrascope.claims import colon, cues
from narrascope.claims.content import extend_over_colon, is_cue, parse_content, quote_cover
from narrascope.claims.quotes import Quote, paragraph_bounds, word_count
from narrascope.claims.sentences import sentence_of

_MAX_GAP_CHARS = 90  # a cue further than this from a quote is not its attribution
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


@dataclass(frozen=True)
class Candidate:
    """An attribution found in the text, before its speaker is resolved."""

    cue: str
    cue_start: int
    mention: Span | None
    start: int
    end: int
    is_direct: bool
    relay: Span | None = None  # "as per the Interfax news agency", "Channel Nine reported that according to"


def _inside(quotes: list[Quote], offset: int) -> Quote | None:
    for quote in quotes:
        if quote.open_mark < offset < quote.outer_end:
            return quote
    return None


def _subject(token: Token) -> Token | None:
    """Return the subject of a cue verb, climbing through "saying", "adding" and conjuncts."""
    current: Token | None = token
    for _ in range(4):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in _SUBJECT_DEPS:
                is_relative = child.lower_ in {"who", "that", "which"} and current.dep_ == "relcl"
                return current.head if is_relative else child  # "Sanders, who said ...": Sanders
        climbable = {"advcl", "conj", "xcomp", "relcl", "acl", "pcomp", "prep"}
        if current.dep_ in climbable and current.head is not current:
            if current.dep_ == "relcl" and current.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return current.head
            current = current.head
            continue
        return None
    return None


_QUOTE_MARKS = frozenset("\"“”«»‘’'")
_NAME_GLUE = frozenset({"of", "on", "for", "and", "the", "&", "-"})


def _mention(subject: Token, cue: Token) -> Span:
    """Return the subject's words, without a trailing relative clause or text from other lines.

    A name in apposition right before the cue joins the mention ("The UK-funded watchdog,
    Action on Armed Violence noted"), since the parser often leaves it out.
    """
    doc = subject.doc
    end = subject.right_edge.i
    for child in subject.rights:
        if child.dep_ in {"relcl", "acl"}:
            end = min(end, child.left_edge.i - 1)
    start = subject.left_edge.i
    for index in range(start, subject.i):
        word = doc[index]
        if "\n" in word.text or "\n" in word.whitespace_ or word.text in _QUOTE_MARKS or word.text in {"–", "—"}:
            start = index + 1  # a mention crosses no line, quote or dateline dash ("Delta News – Sergei ...")
    dashes = [t.i for t in doc[start : subject.right_edge.i + 1] if t.text in {"–", "—"}]
    if dashes and any(t.pos_ == "PROPN" for t in doc[dashes[-1] + 1 : subject.right_edge.i + 1]):
        start = dashes[-1] + 1  # a dateline before the dash: "Delta News – Pavel Ivanov, ..."
    while start < subject.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    if end + 2 < cue.i and doc[end + 1].text == ",":
        between = doc[end + 2 : cue.i]
        words = [t for t in between if not t.is_punct]
        if words and words[0].is_title and all(t.is_title or t.is_upper or t.lower_ in _NAME_GLUE for t in words):
            end = cue.i - 1
    while end > subject.i and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return doc[start : end + 1]


def _gap_is_attribution(doc: Doc, start: int, end: int, mention: Span | None) -> bool:
    """Return whether the text between a quote and its cue holds only speaker words and glue."""
    outside = end - start
    if mention is not None:
        outside -= max(0, min(end, mention.end_char) - max(start, mention.start_char))
    if outside > _MAX_GAP_CHARS:  # a long speaker description is fine, other words are not
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    for token in span:
        if token.is_punct or token.is_space or token.text.lower() in cues.GAP_WORDS:
            continue
        if token.text.lower() == "that":
            continue
        if mention is not None and mention.start <= token.i < mention.end:
            continue
        if token.pos_ in {"ADV", "PART", "NUM"}:  # "Ramos, 58, told AFP": ages sit beside names
            continue
        return False
    return True


def _quote_after(doc: Doc, token: Token, quotes: list[Quote], mention: Span | None) -> Quote | None:
    cue_end = token.idx + len(token.text)
    for quote in quotes:
        if quote.open_mark >= cue_end:
            if _gap_is_attribution_after(doc, cue_end, quote.open_mark, token, mention):
                return quote
            return None
    return None


def _gap_is_attribution_after(doc: Doc, start: int, end: int, cue: Token, mention: Span | None) -> bool:
    """Between a cue and a following quote allow adjuncts of the cue ("in a statement", "that")."""
    if end - start > _MAX_GAP_CHARS:
        return False
    gap = doc.text[start:end].strip()
    if gap and not (gap.endswith((",", ":", "—", "–")) or gap.lower().endswith("that")):
        return False  # "mentioned the efforts of “color revolutions”": a scare quote, not the content
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0:
        return True
    for word in span:
        if mention is not None and mention.start <= word.i < mention.end:
            continue
        if word.pos_ in {"VERB", "AUX"} or word.text in {".", "!", "?"}:
            return False
    return True


def _quote_before(doc: Doc, token: Token, quotes: list[Quote], mention: Span | None) -> Quote | None:
    text = doc.text
    for quote in reversed(quotes):
        if quote.outer_end <= token.idx:
            inner_end = (quote.close_mark or quote.end) - 1
            while inner_end > quote.start and text[inner_end].isspace():
                inner_end -= 1
            after = text[quote.outer_end : token.idx].lstrip()
            joined = text[inner_end] in ",?!-—–" or after.startswith((",", "—", "–"))
            if joined and _gap_is_attribution(doc, quote.outer_end, token.idx, mention):
                return quote
            return None
    return None


def _colon_content(doc: Doc, token: Token, paragraph_end: int) -> tuple[int, int] | None:
    for follower in doc[token.i + 1 : min(token.i + 9, len(doc))]:
        if follower.text == ":":
            start = follower.idx + 1
            text = doc.text
            objects = [c for c in token.children if c.dep_ in {"dobj", "obj"} and c.i < follower.i]
            if objects:  # "emphasizing the need for X: Y" - the object is what the colon spells out
                start = objects[0].left_edge.idx
            end = paragraph_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            return (start, end) if word_count(text[start:end]) >= 3 else None
        if follower.pos_ in {"VERB", "AUX"} or follower.text in {".", ";", '"', "“"}:
            return None
    return None


def _paragraph_end(bounds: list[tuple[int, int]], offset: int) -> int:
    for start, end in bounds:
        if start <= offset < end:
            return end
    return bounds[-1][1] if bounds else offset


def find_candidates(doc: Doc, quotes: list[Quote]) -> list[Candidate]:
    """Return the attributions of a parsed text, in text order."""
    bounds = paragraph_bounds(doc.text)
    found: list[Candidate] = []
    for token in doc:
        if token.text.lower() == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            candidate = _according(token, quotes)
            if candidate is not None:
                found.append(candidate)
            continue
        if not is_cue(token) or _inside(quotes, token.idx) is not None:
            continue
        candidate = _verb_candidate(doc, token, quotes, bounds)
        if candidate is not None:
            found.append(candidate)
    return found + _colon_candidates(doc, quotes, found)


def _colon_candidates(doc: Doc, quotes: list[Quote], found: list[Candidate]) -> list[Candidate]:
    """Transcript turns ("TAPPER: ...") and quotes a name introduces ("pollster Daron Shaw: “...”")."""
    taken = [(c.start, c.end) for c in found]
    extra: list[Candidate] = []
    for label, start, end in colon.transcript_turns(doc):
        if any(min(end, e) > max(start, s) for s, e in taken):
            continue
        covering = colon.is_direct(doc.text, quotes, start, end)
        if covering is not None:
            extra.append(Candidate(":", label.end_char, label, covering.start, covering.end, True))
        else:
            extra.append(Candidate(":", label.end_char, label, start, end, False))
    for name, quote in colon.introduced_quotes(doc, quotes):
        if not any(min(quote.end, e) > max(quote.start, s) for s, e in taken):
            extra.append(Candidate(":", name.end_char, name, quote.start, quote.end, True))
    return extra


def _relay_phrase(token: Token) -> Span | None:
    """Return "as per X" attached near a cue ("..., Ivanov added, as per the Interfax agency")."""
    sentence = sentence_of(token)
    for word in sentence:
        if word.lower_ == "per" and word.i > 0 and word.doc[word.i - 1].lower_ == "as":
            objects = [c for c in word.children if c.dep_ == "pobj"]
            if objects:
                return word.doc[objects[0].left_edge.i : objects[0].right_edge.i + 1]
            return word.doc[word.i + 1 : min(word.i + 6, sentence.end)]
    return None


def _is_interpretation(subject: Token, cue: Token) -> bool:
    """Return whether "X's comments suggest ..." reads someone's words rather than reports them.

    An interpretive verb whose subject is something said and owned by someone ("the envoy's
    comments", "his remarks") is the writer's inference about the speaker.
    """
    if cue.lemma_.lower() not in cues.INTERPRETIVE_VERBS:
        return False
    owned = any(child.dep_ == "poss" for child in subject.children)
    return owned and subject.lemma_.lower() in cues.STATEMENT_NOUNS | {"comment", "remark", "word", "action", "move"}


def _verb_candidate(doc: Doc, token: Token, quotes: list[Quote], bounds: list[tuple[int, int]]) -> Candidate | None:
    subject = _subject(token)
    if token.dep_ in {"amod", "compound"}:
        return None  # "the so-called “smart bridge”": an adjective, not a cue
    if subject is not None and _inside(quotes, subject.idx) is not None:
        subject = None  # the parse climbed into quoted words: their subject is not the speaker
    if subject is not None and (subject.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in token.children)):
        return None  # "It should be noted that ...", "was told": no speaker in the sentence
    if subject is not None and _is_interpretation(subject, token):
        return None
    mention = _mention(subject, token) if subject is not None else None
    cue = token.text
    if token.lemma_.lower() in cues.PHRASAL_PARTICLES:
        particles = [c for c in token.children if c.text.lower() in cues.PHRASAL_PARTICLES[token.lemma_.lower()]]
        if not particles and token.lemma_.lower() != "call":
            return None
        if particles:
            cue = f"{token.text} {particles[0].text}"
    relay = _relay_phrase(token)
    before = _quote_before(doc, token, quotes, mention)
    if before is not None and (mention is None or mention.start_char > before.outer_end - 1):
        return Candidate(cue, token.idx, mention, before.start, before.end, True, relay)
    after = _quote_after(doc, token, quotes, mention)
    if after is not None:
        mixed = _mixed_span(doc, token, after)
        if mixed is None:
            return Candidate(cue, token.idx, mention, after.start, after.end, True, relay)
        if mention is not None:
            return Candidate(cue, token.idx, mention, mixed[0], mixed[1], False, relay)
        return None
    paragraph_end = _paragraph_end(bounds, token.idx)
    span = _colon_content(doc, token, paragraph_end) or extend_over_colon(token, parse_content(token))
    if span is None or word_count(doc.text[span[0] : span[1]]) < 2:
        return None
    if mention is None:
        return None
    covering = quote_cover(doc.text, quotes, *span)
    if covering is not None:
        return Candidate(cue, token.idx, mention, covering.start, covering.end, True, relay)
    return Candidate(cue, token.idx, mention, span[0], span[1], False, relay)


_CLAUSE_GOES_ON = re.compile(r"^,?\s*[a-z(]")


def _mixed_span(doc: Doc, token: Token, quote: Quote) -> tuple[int, int] | None:
    """Return the whole complement when the quote after a cue is only part of it.

    ``said “it gets me mad” every time he thinks ...``: the clause goes on after the closing
    mark in lower case, so the content is the paraphrase with the quoted words inside it.
    """
    inside = doc.text[quote.start : quote.end].rstrip()
    if quote.close_mark is None or inside.endswith((".", "!", "?")):
        return None
    ends_with_comma = (
        doc.text[quote.end : quote.close_mark].strip() == "," or doc.text[quote.outer_end : quote.outer_end + 1] == ","
    )
    if ends_with_comma and word_count(inside) >= 5:
        return None  # '“Russia does not want ...,” while condemning ...': a whole quoted clause, then the writer
    if not _CLAUSE_GOES_ON.match(doc.text[quote.outer_end : quote.outer_end + 4].lstrip(" ")):
        return None
    parsed = parse_content(token)
    start = min(parsed[0], quote.open_mark) if parsed else quote.open_mark
    end = parsed[1] if parsed and parsed[1] > quote.outer_end else None
    if end is None:
        last = sentence_of(token).end - 1
        while last > token.i and ((doc[last].is_punct and doc[last].text not in {"”", '"'}) or doc[last].is_space):
            last -= 1
        end = doc[last].idx + len(doc[last].text)
    if word_count(doc.text[quote.outer_end : end]) < 2:
        return None
    return start, end


def _according(token: Token, quotes: list[Quote]) -> Candidate | None:
    """Read "according to X, CONTENT" and "CONTENT, according to X"."""
    doc = token.doc
    to = doc[token.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    source_end = objects[0].right_edge.i if objects else min(token.i + 4, sentence_of(token).end - 1)
    source = doc[token.i + 2 : source_end + 1]
    while len(source) > 1 and source[-1].is_punct:
        source = source[:-1]
    if len(source) == 0:
        return None
    head = token.head if token.head.i != token.i else sentence_of(token).root
    if head.i in range(token.i, source_end + 1):
        head = sentence_of(token).root
    clause_start, clause_end = head.left_edge.i, head.right_edge.i
    if token.i - clause_start <= 2:  # the phrase leads the clause: content follows it
        first, last = source_end + 1, clause_end
    else:
        first, last = clause_start, token.i - 1
    while first <= last and (doc[first].is_punct or doc[first].lower_ == "that"):
        first += 1
    while last >= first and doc[last].is_punct and doc[last].text not in {"”", '"'}:
        last -= 1
    if last - first < 2:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    covering = quote_cover(doc.text, quotes, start, end)
    mention = source
    if covering is not None:
        return Candidate("according to", token.idx, mention, covering.start, covering.end, True)
    return Candidate("according to", token.idx, mention, start, end, False)
