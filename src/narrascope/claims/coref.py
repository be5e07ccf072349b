"""Resolve the words that point at a speaker to a name, within one article.

No neural coreference is available, so this follows the rule-based sieve idea of
Lee et al. (2013, Stanford deterministic coreference): exact names first, then surnames
to the latest full name with that surname, then role nouns to the person introduced with
matching role words, then pronouns to the latest compatible speaker.
"""

from __future__ import annotations

from spacy.tokens import Span

from narrascope.claims import cues
from narrascope.claims.people import (
    Person,
    Registry,
    Resolved,
    build_registry,
    clean_name,
    content_words,
    has_role_noun,
    person_role,
)
from narrascope.claims.sentences import sentence_of

__all__ = ["Registry", "Resolved", "build_registry", "clean_name", "remember", "resolve"]

_EDGE_PUNCT = ",;:.()[]\"“”‘’' -–—"


def _role_from_mention(mention: Span, name_span: Span) -> str | None:
    rest = [t for t in mention if not (name_span.start <= t.i < name_span.end)]
    rest = [t for t in rest if t.pos_ not in {"PUNCT", "DET"} and not t.is_space]
    if rest and has_role_noun(rest):
        return clean_name(" ".join(t.text for t in rest).replace(" 's", "'s").replace(" ’s", "’s"))
    return None


def _org_name(mention: Span) -> str | None:
    """Return an organisation name from a mention, or None if it does not look like one."""
    for ent in mention.ents:
        if ent.label_ in {"ORG", "GPE", "NORP"} and ent.root.i == mention.root.i:
            return clean_name(ent.text)
    for ent in mention.ents:
        if ent.label_ == "ORG":
            return clean_name(ent.text)
    root = mention.root
    if root.lemma_.lower() in cues.ORG_HEADS or root.text.lower() in cues.ORG_HEADS:
        capitalised = [t for t in mention if t.i <= root.i and t.text[:1].isupper()]
        if not (capitalised or root.text[:1].isupper()):
            return None
        end = root.i
        for token in mention[root.i - mention.start + 1 :]:
            if token.is_title or token.is_upper or token.lower_ in {"of", "on", "for", "and", "the"}:
                end = token.i
                continue
            break
        while end > root.i and mention.doc[end].lower_ in {"of", "on", "for", "and", "the"}:
            end -= 1
        return clean_name(mention.doc[mention.start : end + 1].text)
    return None


def _apposed_name(mention: Span) -> tuple[str, str, bool] | None:
    """Split "the UK-funded watchdog, Action on Armed Violence" into (name, description, is_org)."""
    if "," not in mention.text:
        return None
    parts = [part.strip() for part in mention.text.split(",") if part.strip()]
    if len(parts) != 2:
        return None
    for name, description in (parts, parts[::-1]):
        words = name.split()
        if not words or not all(w[:1].isupper() or w in {"of", "on", "for", "and", "the"} for w in words):
            continue
        described = content_words(description)
        if described & cues.ORG_HEADS:
            return clean_name(name), clean_name(description), True
        if described & cues.ROLE_NOUNS:
            return clean_name(name), clean_name(description), False
    return None


def resolve(mention: Span, registry: Registry, before: int | None = None) -> Resolved:
    """Resolve a subject mention to a speaker name, kind and role.

    `before` bounds which people may be meant (default: those named before the mention).
    """
    root = mention.root
    limit = mention.start_char if before is None else before
    lowered = mention.text.lower().strip(_EDGE_PUNCT)
    if len(mention) == 1 and root.pos_ == "PRON":
        resolved = _resolve_pronoun(lowered, registry, mention)
        if resolved.name is None and lowered in {"it", "they"}:
            org = _recent_org_subject(mention)
            if org is not None:
                return Resolved(org, "organization", None)
        return resolved
    words = [t for t in mention if not t.is_punct and t.pos_ != "DET"]
    if len(words) == 1 and (words[0].is_title or words[0].is_upper):  # "DRACH:" in a transcript
        # A surname the NER took for a place or body ("Petrova warned") is still that person.
        full = registry.full_name(words[0].text, limit)
        if full is not None:
            return Resolved(full.name, "person", full.role)
    known = {p.name for p in registry.people}
    people = [e for e in mention.ents if e.label_ == "PERSON" or (e.label_ == "ORG" and clean_name(e.text) in known)]
    if people:
        # The mention's head first, then a name set off at its end ("The head of the PAC backing
        # Jeb Bush, Mike Murphy"), then the first name.
        person = min(people, key=lambda e: 0 if e.root.i == root.i else 1 if _is_closing_apposition(e, mention) else 2)
        return _resolve_person(person, mention, registry, limit)
    if root.lemma_.lower() in cues.STATEMENT_NOUNS:
        owners = [c for c in root.children if c.dep_ == "poss"]
        if owners and owners[0].pos_ != "PRON":
            owner = owners[0]
            return resolve(mention.doc[owner.left_edge.i : owner.i + 1], registry, before)
    if root.lemma_.lower() in cues.STATEMENT_NOUNS and not any(t.pos_ == "PROPN" for t in mention):
        if registry.last_org:
            return Resolved(registry.last_org, "organization", None)
        return registry.last_speaker or Resolved(None, None, None)
    apposed = _apposed_name(mention)
    if apposed is not None:
        name, description, is_org = apposed
        if is_org:
            return Resolved(name, "organization", None)
        return Resolved(name, "person", description)
    org = _org_name(mention)
    role_head = root.lemma_.lower()
    if role_head in cues.ROLE_NOUNS:
        role_words = content_words(mention.text)
        # A role named before any name is resolved forward (headlines, leads: cataphora).
        person_match = registry.by_role(role_words, role_head, limit) or registry.by_role(role_words, role_head, 10**9)
        if person_match is not None:
            return Resolved(person_match.name, "person", person_match.role)
    if role_head in cues.ROLE_NOUNS and (org is None or root.pos_ != "PROPN"):
        propn = [t for t in mention if t.pos_ == "PROPN" and t.ent_type_ not in {"NORP", "GPE", "ORG"}]
        if not propn:
            return Resolved(clean_name(mention.text), "person", clean_name(mention.text))
    if org:
        return Resolved(org, "organization", None)
    propn_tokens = [t for t in mention if t.pos_ == "PROPN"]
    if propn_tokens and all(t.text[:1].isupper() for t in propn_tokens):
        name = clean_name(mention.doc[propn_tokens[0].i : propn_tokens[-1].i + 1].text)
        if len(propn_tokens) == 1:
            full = registry.full_name(name, limit)
            if full is not None:
                return Resolved(full.name, "person", full.role)
        return Resolved(name, "person", registry.role_of(name))
    if len(mention) == 1 and root.is_title:
        full = registry.full_name(root.text, limit)
        if full is not None:
            return Resolved(full.name, "person", full.role)
    return Resolved(clean_name(mention.text) or None, "person", None)


def _is_closing_apposition(ent: Span, mention: Span) -> bool:
    """Return whether a name ends the mention after a comma ("the PAC's head, Mike Murphy")."""
    doc = mention.doc
    return ent.end >= mention.end - 1 and ent.start > mention.start and doc[ent.start - 1].text == ","


def _recent_org_subject(mention: Span) -> str | None:
    """Return the latest organisation that was a sentence subject in the last sentences."""
    doc = mention.doc
    first = max(0, sentence_of(mention).start - 80)
    for index in range(mention.start - 1, first - 1, -1):
        token = doc[index]
        if token.dep_ in {"nsubj", "nsubjpass"} and token.pos_ != "PRON":
            return _org_name(doc[token.left_edge.i : token.right_edge.i + 1])
    return None


def _recent_person_subject(mention: Span, registry: Registry, pronoun: str) -> Person | None:
    """Return the person named as a subject closest before a pronoun, in this or the two previous sentences.

    Subjects first, recency second: the salience order of Lappin and Leass (1994) and of the
    Stanford sieve's pronoun pass, without gender lists (none ship with the model); a gender
    seen earlier for a name ("Mr.", "Ms.", a resolved "she") rules it out for the other pronoun.
    """
    doc = mention.doc
    sentence = sentence_of(mention)
    window_start = sentence.start
    for _ in range(2):
        if window_start == 0:
            break
        window_start = sentence_of(doc[window_start - 1]).start
    wanted = "female" if pronoun in {"she", "her"} else "male"
    for index in range(mention.start - 1, window_start - 1, -1):
        token = doc[index]
        if token.ent_type_ != "PERSON" or token.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        if registry.is_quoted(token.idx):
            continue  # people named inside a quote are not what the narrator's "he" points at
        name = clean_name(" ".join(t.text for t in doc[token.left_edge.i : token.i + 1] if t.ent_type_ == "PERSON"))
        if not name:
            continue
        person = registry.full_name(name.split()[-1], mention.start_char) if len(name.split()) == 1 else None
        full_name = person.name if person is not None else name
        found = Person(full_name, token.idx, registry.role_of(full_name))
        if registry.genders.get(found.name, wanted) == wanted:
            return found
    return None


def _resolve_pronoun(pronoun: str, registry: Registry, mention: Span | None = None) -> Resolved:
    if pronoun in cues.PERSON_PRONOUNS:
        wanted = "female" if pronoun in {"she", "her"} else "male"
        subject = _recent_person_subject(mention, registry, pronoun) if mention is not None else None
        is_recent = subject is not None and subject.start > registry.last_person_at
        name = subject.name if subject is not None and is_recent else None
        if name is None and registry.last_person and registry.genders.get(registry.last_person, wanted) == wanted:
            name = registry.last_person
        if name is None and registry.people:
            name = registry.people[-1].name
        if name is not None:
            registry.genders.setdefault(name, wanted)
        return Resolved(name, "person" if name else None, registry.role_of(name) if name else None)
    if pronoun in cues.ORG_PRONOUNS:
        last = registry.last_speaker
        if pronoun in {"they", "them"} and last is not None and last.kind == "person":
            return Resolved(None, None, None)
        return Resolved(registry.last_org, "organization" if registry.last_org else None, None)
    return Resolved(None, None, None)


def _resolve_person(person: Span, mention: Span, registry: Registry, limit: int) -> Resolved:
    name = clean_name(person.text)
    role = person_role(person) or _role_from_mention(mention, person)
    if len(name.split()) == 1:
        full = registry.full_name(name, limit)
        if full is not None:
            return Resolved(full.name, "person", role or full.role)
    return Resolved(name, "person", role or registry.role_of(name))


def remember(registry: Registry, resolved: Resolved, at: int = -1) -> None:
    """Record a resolved speaker as the latest of its kind (proper names only, not "both countries")."""
    if resolved.name is None or not resolved.name[:1].isupper():
        return
    is_full_name = resolved.kind == "person" and len(resolved.name.split()) > 1
    if is_full_name and not any(p.name == resolved.name and p.start < 0 for p in registry.people):
        registry.people.append(Person(resolved.name, -1, resolved.role))
    registry.last_speaker = resolved
    if resolved.kind == "person":
        registry.last_person = resolved.name
        registry.last_person_at = max(registry.last_person_at, at)
    elif resolved.kind == "organization":
        registry.last_org = resolved.name
