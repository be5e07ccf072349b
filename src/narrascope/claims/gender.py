"""Grammatical gender of the people an article names, read from the article itself.

No name lists ship with the model, so gender comes from the text, as in the Stanford sieve's
attribute agreement (Lee et al. 2013): a courtesy title ("Mr.", "Ms."), a gendered role noun
("spokeswoman") or the first personal pronoun after a person who is a subject, with no other
person between them ("Clinton said her plan ...").
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from narrascope.claims.people import Registry, clean_name
from narrascope.claims.sentences import sentence_of

_FEMALE_WORDS = frozenset({"she", "her", "hers", "herself"})
_MALE_WORDS = frozenset({"he", "him", "his", "himself"})
_FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "mme", "lady", "queen", "princess"})
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince"})
_FEMALE_ROLES = ("woman", "wife", "mother", "daughter", "sister", "actress")
_MALE_ROLES = ("man", "husband", "father", "son", "brother", "actor")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _role_gender(role: str | None) -> str | None:
    if not role:
        return None
    last = role.lower().split()[-1] if role.split() else ""
    if last.endswith(_FEMALE_ROLES):
        return "female"
    if last.endswith(_MALE_ROLES) and not last.endswith("human"):
        return "male"
    return None


def learn_genders(doc: Doc, registry: Registry) -> None:
    """Fill `registry.genders` for the people named in `doc` (full names as keys)."""
    votes: dict[str, Counter[str]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = clean_name(ent.text)
        if not name:
            continue
        if len(name.split()) == 1:
            full = registry.full_name(name, ent.start_char)
            name = full.name if full is not None else name
        counter = votes.setdefault(name, Counter())
        before = doc[ent.start - 1].lower_.rstrip(".") if ent.start > 0 else ""
        if before in _FEMALE_TITLES:
            counter["female"] += 3
        elif before in _MALE_TITLES:
            counter["male"] += 3
        if ent.root.dep_ not in _SUBJECT_DEPS:
            continue
        end = sentence_of(ent).end
        for token in doc[ent.end : end]:
            if token.ent_type_ == "PERSON" or token.lower_ in {"i", "we", "they"}:
                break
            if token.lower_ in _FEMALE_WORDS:
                counter["female"] += 1
                break
            if token.lower_ in _MALE_WORDS:
                counter["male"] += 1
                break
    for person in registry.people:
        gender = _role_gender(person.role)
        if gender is not None:
            votes.setdefault(person.name, Counter())[gender] += 2
    for name, counter in votes.items():
        if counter:
            registry.genders[name] = counter.most_common(1)[0][0]
