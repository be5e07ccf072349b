"""The content span of a cue in the parse: its clausal complement or object, bounded as PolNeAR does.

PolNeAR's Content (Newell et al. 2018, after PARC 3.0) is the whole stretch attributed to the
source: for reported speech the complement clause of the cue verb with what the parser hung on
it, cut where a second attribution or an aside of the writer begins.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from narrascope.claims import cues
from narrascope.claims.quotes import Quote, word_count
from narrascope.claims.sentences import sentence_of

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_LEADING = frozenset({"that", "for", "on", "about"})
_CLOSERS = frozenset({"”", '"', "’"})
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "obj", "parataxis"})


def is_cue(token: Token) -> bool:
    """Return whether a token is a verb of saying."""
    if token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VBD", "VBZ", "VBP", "VBG", "VBN", "VB"}:
        return False
    return cues.is_cue_lemma(token.lemma_)


def _content_children(token: Token) -> list[Token]:
    children = [c for c in token.children if c.dep_ in _CONTENT_DEPS or c.dep_ == "oprd"]
    clauses = [c for c in children if c.dep_ in {"ccomp", "parataxis"}]
    if clauses:
        return clauses
    if token.lemma_.lower() in cues.OBJECT_CONTENT_VERBS:
        # "calling them rapists": a pronoun object counts when a predicate follows it.
        if not any(c.dep_ in {"oprd", "xcomp"} for c in children):
            children = [c for c in children if c.pos_ != "PRON"]
        for child in token.children:
            if child.dep_ == "prep" and child.text.lower() in {"for", "on", "about", "of"}:
                children.append(child)
        return children
    return [c for c in children if c.dep_ in {"xcomp", "oprd"} and token.lemma_.lower() != "say"]


_TAIL_DEPS = frozenset({"npadvmod", "appos", "dep", "punct", "attr", "oprd"})


def _sentence_tail(token: Token, last: int) -> int:
    """Extend content over what the parser hung on the cue after it ("..., the first time they met").

    Only loose attachments (appositions, noun adverbials) are taken; clauses of their own
    ("..., referring to ...", "and added that ...") are not the content.
    """
    doc = token.doc
    end = last
    for child in token.rights:
        if child.i <= last:
            continue
        if child.dep_ not in _TAIL_DEPS:
            break
        end = child.right_edge.i
    while end > last and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return end


def parse_content(token: Token) -> tuple[int, int] | None:
    children = _content_children(token)
    doc = token.doc
    if not children and token.dep_ == "parataxis":
        # "..., Barden says, far too many lives ..." / "The bridge will reopen, Petrova said.":
        # the clause the cue hangs from is the content.
        head = token.head
        first, last = head.left_edge.i, head.right_edge.i
        if last <= token.right_edge.i:
            last = token.left_edge.i - 1
        elif token.left_edge.i - first <= 2:
            first = token.right_edge.i + 1
        return _trimmed_span(doc, first, last)
    if not children:
        return None
    first = min(c.left_edge.i for c in children)
    last = max(c.right_edge.i for c in children)
    if first < token.i < last:  # the cue sits inside: keep the side after it
        first = min(c.left_edge.i for c in children if c.i > token.i)
    if first > token.i:
        last = _sentence_tail(token, last)
        last = _attached_tail(token, last)
    for word in doc[first : last + 1]:
        # "... said A, and more than 4 in 10 said B" / "says A and calls her B": a coordinated
        # cue with a subject, or in the cue's own tense, starts an attribution of its own.
        # ("says he'd sit Putin down and tell him ...": "tell" is part of what he says.)
        if word.i != token.i and word.dep_ == "conj" and is_cue(word):
            has_subject = any(c.dep_ in _SUBJECT_DEPS for c in word.children)
            if has_subject or word.tag_ == token.tag_:
                last = min(last, word.left_edge.i - 1)
                break
    last = _before_aside(doc, first, last)
    return _trimmed_span(doc, first, last)


_ASIDE_OPENERS = frozenset({"however", "while", "whereas", "though", "although", "meanwhile"})
_FINITE = frozenset({"VBD", "VBZ", "VBP"})


def _before_aside(doc: Doc, first: int, last: int) -> int:
    """Cut a content where the writer's words begin after a comma or dash.

    "..., however this time ...", "..., putting them ahead of ..." (a participle clause on the
    content) and "..., and more than 4 in 10 said ..." (another group's answer, whatever the
    parser made of "said") are not what the source said.
    """
    for word in doc[first + 1 : last + 1]:
        if word.text not in {",", "—", "–", ";"}:
            continue
        following = doc[word.i + 1 : min(word.i + 10, last + 1)]
        if len(following) == 0:
            continue
        opener = following[0]
        if opener.lower_ in _ASIDE_OPENERS or (opener.tag_ == "VBG" and opener.dep_ in {"advcl", "conj", "xcomp"}):
            return word.i - 1
        if opener.lower_ in {"and", "but"}:
            for later in following[1:]:
                if later.pos_ in {"VERB", "AUX"} and later.tag_ in _FINITE:
                    if cues.is_cue_lemma(later.lemma_):
                        return word.i - 1
                    break
    return last


# What the parser hangs on the cue but belongs to the content ("praised the efforts of a donor
# to attack ...", "says “the wind is at our backs” despite his loss").
_ATTACHED_DEPS = frozenset({"prep", "advcl", "xcomp", "acl", "dobj", "npadvmod", "advmod", "pobj"})


def _attached_tail(token: Token, last: int) -> int:
    """Extend content over modifiers the parser attached to the cue after the content.

    A modifier set off by a comma that is a participle clause ("..., citing low growth"), a
    cue of its own or a coordination ends the content: those are the writer's words.
    """
    doc = token.doc
    end = last
    for child in token.rights:
        if child.i <= end:
            continue
        if child.dep_ not in _ATTACHED_DEPS or is_cue(child):
            break
        comma_before = doc[child.left_edge.i - 1].text in {",", ";", "—", "–"}
        if comma_before and (child.tag_ == "VBG" or child.dep_ in {"advcl", "npadvmod", "advmod"}):
            break
        if any(is_cue(word) for word in doc[child.left_edge.i : child.right_edge.i + 1]):
            break
        end = child.right_edge.i
    while end > last and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return end


def extend_over_colon(token: Token, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Carry a content on over a colon that elaborates it, to the end of the sentence.

    "emphasizing the need for joint action ...: success in the fight is impossible without ..."
    says what the need is; stopping at the colon loses the claim itself.
    """
    if span is None:
        return None
    doc = token.doc
    sentence = sentence_of(token)
    colons = [t for t in sentence if t.text == ":" and t.idx >= span[1] and t.i > token.i]
    if not colons:
        return span
    gap = [t for t in sentence if span[1] <= t.idx < colons[0].idx]
    # Words between the content and the colon must hang on the cue ("and refraining from ...").
    if any(not token.is_ancestor(t) or (t.dep_ in _SUBJECT_DEPS) or is_cue(t) for t in gap):
        return span
    extended = _trimmed_span(doc, colons[0].i + 1, sentence.end - 1)
    return (span[0], extended[1]) if extended is not None else span


def _trimmed_span(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    while first <= last and (doc[first].is_punct or doc[first].is_space or doc[first].lower_ in _LEADING):
        first += 1
    while last >= first and (
        doc[last].is_space
        or (doc[last].is_punct and doc[last].text not in _CLOSERS)
        or doc[last].lower_ in {"and", "but", "or"}
    ):
        last -= 1
    if last < first:
        return None
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def quote_cover(text: str, quotes: list[Quote], start: int, end: int) -> Quote | None:
    """Return a quote that makes up a content span, but for two words (then the claim is direct).

    A quote inside a longer complement ("says no matter what he does, “his word ...”") leaves
    the claim reported: the content is the whole clause.
    """
    for quote in quotes:
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap <= 0 or overlap < 0.7 * (end - start):
            continue
        before, after = text[start : max(start, quote.open_mark)], text[min(end, quote.outer_end) : end]
        outside = word_count(before) + word_count(after)
        if outside <= 2:
            return quote
    return None
