"""What a narrative accuses whom of, read from its claims: actor entities and key terms.

The actor is the party the narrative's claims make the grammatical subject of what they say ("the
United States intends to use ...", "the terrorists redeployed ... by the United States"): an own-voice
sentence that makes the same party the subject of the same acts carries the accusation itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Span, Token

from narrascope.claims.cues import BELIEF_VERBS, SPEECH_VERBS

_ENTITY_TYPES = frozenset({"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "conj", "appos", "nmod"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_SHARE_OF_CLAIMS = 0.2  # an actor is the subject in at least this share of the narrative's claims
_MAX_PROFILE_CLAIMS = 300  # a large narrative's profile is read from a sample of its claims
_FEW_CLAIMS = 5
_PUNCT = re.compile(r"[.\u2019']")
GENERIC_LEMMAS = SPEECH_VERBS | BELIEF_VERBS | frozenset({"be", "have", "do", "make", "get", "go", "come", "take",
                                                          "year", "time", "also", "other", "new", "country"})


@dataclass(frozen=True)
class NarrativeProfile:
    """The actors a narrative accuses and the terms its claims share."""

    actors: frozenset[str]
    terms: frozenset[str]
    acts: frozenset[str]  # what the claims say the actors do: the words of the actors' clauses
    negated: tuple[bool, ...] = ()  # per claim text read (in order): whether its main verb is negated
    words: frozenset[str] = frozenset()  # every lower-case word of the claims

    def is_actor(self, key: str) -> bool:
        """Whether a name is one of the actors; a demonym matches its country ("german" ~ "germany")."""
        return any(key == actor or (min(len(key), len(actor)) >= 5 and key[:5] == actor[:5]) for actor in self.actors)


def entity_key(text: str) -> str:
    """One key for the spellings of a name: "the United States", "U.S." and "US" -> "us"."""
    cleaned = re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I)
    cleaned = re.sub(r"(?:['\u2019]s?)$", "", cleaned)
    words = [word for word in cleaned.split() if word]
    if len(words) > 1 and all(word[:1].isupper() for word in words):
        return "".join(word[0] for word in words).lower()
    return _PUNCT.sub("", cleaned).lower()


def token_key(token: Token) -> str | None:
    """The entity key of the named entity a token belongs to (or of a proper noun the tagger left), or None."""
    if token.ent_type_ not in _ENTITY_TYPES:
        return entity_key(token.text) if token.pos_ == "PROPN" and not token.ent_type_ else None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return entity_key(doc[start:end].text)


def subject_keys(sentence: Span) -> set[str]:
    """Entities that are the subject (or passive agent) of a verb of the sentence, or modify its head."""
    keys: set[str] = set()
    for token in sentence:
        heads: list[Token] = []
        if token.dep_ in _SUBJECT_DEPS:
            heads.append(token)
        elif token.dep_ == "agent":
            heads.extend(child for child in token.children if child.dep_ == "pobj")
        for head in heads:
            keys.update(key for member in subject_members(head) if (key := token_key(member)))
    return keys


def subject_members(head: Token) -> list[Token]:
    """A subject's head and the words that name it: its modifiers, and theirs ("German Foreign Minister X")."""
    members = [head]
    for child in head.children:
        if child.dep_ in _MODIFIER_DEPS:
            members.append(child)
            members.extend(grandchild for grandchild in child.children if grandchild.dep_ in _MODIFIER_DEPS)
    return members


def actor_clauses(sentence: Span, actors: frozenset[str]) -> list[Token]:
    """Tokens of the clauses whose subject (or passive agent) is one of the actors, subjects left out."""
    found: list[Token] = []
    for token in sentence:
        if token.dep_ in _SUBJECT_DEPS:
            subject, verb = token, token.head
        elif token.dep_ == "agent":
            subject, verb = token, token.head
            # "the terrorists redeployed ... by X": the act's object is the noun the participle modifies
            if verb.dep_ == "acl":
                found.append(verb.head)
        else:
            continue
        keys = {token_key(member) for member in (subject, *subject.subtree)
                if member.dep_ in _MODIFIER_DEPS or member is subject or member.dep_ == "pobj"}
        if keys & actors:
            skip = set(subject.subtree) if subject is not token else set(token.subtree)
            found.extend(member for member in verb.subtree if member not in skip and member is not verb)
            found.append(verb)
    return found


def content_lemmas(tokens: Iterable[Token]) -> set[str]:
    """Lower-case lemmas of the content words, entity keys for names."""
    lemmas: set[str] = set()
    for token in tokens:
        key = token_key(token)
        if key:
            lemmas.add(key)
        elif token.pos_ in _CONTENT_POS and not token.is_stop and len(token.text) > 2:
            lemma = token.lemma_.lower()
            if lemma not in GENERIC_LEMMAS:
                lemmas.add(lemma)
    return lemmas


def narrative_profile(claim_texts: Sequence[str], nlp: Language) -> NarrativeProfile:
    """Actors and shared terms of a narrative's claims (denials left out by the caller)."""
    texts = list(claim_texts)[:_MAX_PROFILE_CLAIMS]
    if not texts:
        return NarrativeProfile(frozenset(), frozenset(), frozenset())
    actor_counts: Counter[str] = Counter()
    term_counts: Counter[str] = Counter()
    docs = list(nlp.pipe(texts))
    for doc in docs:
        actor_counts.update(subject_keys(doc[:]))
        term_counts.update(content_lemmas(doc))
    floor = max(1, math.ceil(_SHARE_OF_CLAIMS * len(texts)))
    term_floor = 1 if len(texts) < _FEW_CLAIMS else 2  # a term of a small narrative may appear once
    actors = frozenset(key for key, count in actor_counts.items() if count >= floor)
    act_counts: Counter[str] = Counter()
    for doc in docs:
        act_counts.update(content_lemmas(actor_clauses(doc[:], actors)) - actors)
    terms = frozenset(term for term, count in term_counts.items() if count >= term_floor)
    acts = frozenset(term for term, count in act_counts.items() if count >= term_floor)
    return NarrativeProfile(actors=actors, terms=terms, acts=acts if actors else terms,  # no named actor: all terms
                            negated=tuple(is_negated(doc[:]) for doc in docs),
                            words=frozenset(token.lower_ for doc in docs for token in doc))


def is_negated(sentence: Span) -> bool:
    """Whether the sentence's main verb is negated ("did not", "never")."""
    return any(token.dep_ == "neg" and token.head.dep_ == "ROOT" for token in sentence) or any(
        token.lower_ == "never" for token in sentence)
