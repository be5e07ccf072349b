"""People an article names, with their roles: the registry coreference resolves against.

Roles are read from the text around a name, following news style (AP): a title before the
name ("Defence Minister Pavel Ivanov") or an appositive beside it ("Anna Orlova,
Russia's Foreign Minister,").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from narrascope.claims import cues
from narrascope.claims.sentences import sentence_of
from narrascope.models import SpeakerKind

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_EDGE_PUNCT = ",;:.()[]\"“”‘’' -–—"


@dataclass(frozen=True)
class Resolved:
    """A speaker mention resolved to a name."""

    name: str | None
    kind: SpeakerKind | None
    role: str | None


@dataclass
class Person:
    """A person named in the article, with the role the text gives them."""

    name: str
    start: int
    role: str | None = None


@dataclass
class Registry:
    """People and organisations seen in one article, and the latest speakers."""

    people: list[Person] = field(default_factory=list)
    last_person: str | None = None
    last_org: str | None = None
    last_speaker: Resolved | None = None
    genders: dict[str, str] = field(default_factory=dict)
    last_person_at: int = -1
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches: not narration

    def is_quoted(self, offset: int) -> bool:
        """Return whether an offset lies inside a quotation."""
        return any(start <= offset < end for start, end in self.quoted)

    def full_name(self, surname: str, before: int) -> Person | None:
        """Return the latest multi-word person before `before` ending with `surname`."""
        wanted = surname.lower()
        match: Person | None = None
        for person in self.people:
            parts = person.name.lower().split()
            if person.start <= before and len(parts) > 1 and parts[-1] == wanted:
                match = person
        return match

    def role_of(self, name: str) -> str | None:
        """Return the latest role recorded for `name`."""
        roles = [p.role for p in self.people if p.name == name and p.role]
        return roles[-1] if roles else None

    def by_role(self, words: set[str], head: str, before: int) -> Person | None:
        """Return the person whose role words best match a role phrase."""
        best: tuple[int, int, Person] | None = None
        for person in self.people:
            if person.start > before or not person.role:
                continue
            role_words = content_words(person.role)
            score = sum(1 for word in words if any(_same_word(word, r) for r in role_words))
            has_head = any(_same_word(head, r) for r in role_words)
            needed = 2 if head in cues.GENERIC_ROLE_NOUNS or not has_head else 1
            if score >= needed and (best is None or (score, person.start) >= best[:2]):
                best = (score, person.start, person)
        if best is None:
            return None
        person = best[2]
        if len(person.name.split()) == 1:
            full = self.full_name(person.name, before)
            if full is not None:
                return Person(full.name, person.start, full.role or person.role)
        return person


def _same_word(left: str, right: str) -> bool:
    """Words match when equal or one extends the other ("russia"/"russian", "defense"/"defence")."""
    if left == right:
        return True
    short, long = sorted((left, right), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 2


def content_words(text: str) -> set[str]:
    """Return lower-case words of a role phrase without articles and prepositions."""
    words = {_POSSESSIVE.sub("", w.lower()) for w in re.findall(r"[\w'’]+", text)}
    return {w for w in words if w and w not in _STOP}


_STOP = frozenset(
    (
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "and",
        "from",
        "with",
        "by",
        "its",
        "his",
        "her",
        "their",
        "our",
    )
)


def clean_name(text: str) -> str:
    """Strip articles, possessives and edge punctuation from a name."""
    text = text.strip(_EDGE_PUNCT)
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    text = re.sub(r"^(?:the|The|THE)\s+", "", text).strip()
    text = re.sub(r"\s+(?:of|for|and|the|on)$", "", text)
    if text.count("(") > text.count(")"):
        text += ")"
    return text


def build_registry(doc: Doc) -> Registry:
    """Collect the people the article names, with the roles written next to them."""
    registry = Registry()
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG"}:
            continue
        name = clean_name(ent.text)
        if not name or not name[0].isupper() or "\n" in name:
            continue
        role = person_role(ent)
        if ent.label_ == "ORG" and not (role and looks_like_person_name(ent)):
            continue
        registry.people.append(Person(name, ent.start_char, role))
    return registry


def looks_like_person_name(span: Span) -> bool:
    """Return whether a span reads as a personal name: 2-4 capitalised words, no organisation head."""
    words = [t for t in span if not t.is_punct]
    return (
        2 <= len(words) <= 4
        and all(t.is_title for t in words)
        and not any(t.lower_ in cues.ORG_HEADS or t.lower_ in cues.ROLE_NOUNS for t in words)
    )


def has_role_noun(tokens: list[Token]) -> bool:
    return any(t.lemma_.lower() in cues.ROLE_NOUNS or t.text.lower() in cues.ROLE_NOUNS for t in tokens)


def _span_text(tokens: list[Token]) -> str:
    doc = tokens[0].doc
    return clean_name(doc[tokens[0].i : tokens[-1].i + 1].text)


def person_role(ent: Span) -> str | None:
    """Return the role written before or beside a person's name, if any.

    Patterns (news style): "Defence Minister Pavel Ivanov" (title before the
    name), "Anna Orlova, the Foreign Minister," and "the special envoy, Oleg
    Petrov," (appositives). A candidate needs a role noun from the lexicon.
    """
    doc = ent.doc
    sent_start = sentence_of(ent).start
    before: list[Token] = []
    index = ent.start - 1
    while index >= sent_start:
        token = doc[index]
        if "\n" in token.whitespace_ or token.is_space:
            break
        if token.pos_ in {"PROPN", "NOUN", "ADJ"} or token.text in {"-"}:
            before.insert(0, token)
            index -= 1
            continue
        break
    if before and has_role_noun(before):
        return _span_text(before)
    if ent.end < len(doc) and doc[ent.end].text == ",":
        after: list[Token] = []
        for token in doc[ent.end + 1 : min(ent.end + 16, sentence_of(ent).end)]:
            if token.text in {",", ".", ";", ":"} or token.pos_ in {"VERB", "AUX"}:
                break
            after.append(token)
        if after and has_role_noun(after) and not any(t.ent_type_ == "PERSON" for t in after):
            return _span_text(after)
    if ent.start - 1 > sent_start and doc[ent.start - 1].text == ",":
        apposed: list[Token] = []
        for token in reversed(list(doc[max(sent_start, ent.start - 14) : ent.start - 1])):
            if token.text in {",", ";", ":"} or token.pos_ in {"VERB", "AUX"}:
                break
            apposed.insert(0, token)
        if apposed and has_role_noun(apposed) and not any(t.ent_type_ == "PERSON" for t in apposed):
            return _span_text(apposed)
    return None
