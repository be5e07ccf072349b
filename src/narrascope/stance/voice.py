"""The outlet's own voice: body sentences no claim covers, and what their wording does.

A sentence the claims stage did not attribute to anyone is the writer speaking. Its wording tells
whether it passes an accusation on ("X has been facing accusations of ...", "X is arming ..."), hedges
or attributes it ("allegedly", "according to", "Y said"), or rebuts it ("no evidence", "debunked").
The fact-check lexicon follows the verdict wording of fact-checking outlets (ClaimReview ratings:
false, misleading, unfounded, no evidence); the hedges are the epistemic adverbs and modals of
attribution guides (PARC 3.0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span

from narrascope.claims.cues import BELIEF_VERBS, SPEECH_VERBS
from narrascope.models import Article, Claim
from narrascope.stance.profile import NarrativeProfile, content_lemmas, subject_keys
from narrascope.timeline.context import sentence_bounds

FACT_CHECK = re.compile(
    r"\b(?:false(?:ly|hood)?|untrue|not true|no (?:evidence|proof|basis)|without (?:evidence|proof)|"
    r"(?:de)?bunk(?:ed|s|ing)?|baseless|unfounded|groundless|unsubstantiated|misleading|fake|hoax|myth|"
    r"fabricat\w*|disinformation|misinformation|propaganda|conspiracy theor\w*|distort\w*|manipulat\w*|"
    r"is not the case|never (?:happened|existed)|no such)\b",
    re.I,
)
_HEDGES = frozenset({"allegedly", "reportedly", "purportedly", "supposedly", "apparently", "may", "might",
                     "perhaps", "possibly", "rumour", "rumor"})
_ATTRIBUTING_PHRASES = re.compile(r"\b(?:according to|as per|cited by|quoted by|in the words of)\b", re.I)
ACCUSATION_WORDS = frozenset({"accusation", "allegation", "accuse", "allege", "charge", "complicity", "blame",
                               "suspicion", "suspect", "implicate"})
_REPORTING_LEMMAS = (SPEECH_VERBS | BELIEF_VERBS) - {"accuse", "allege", "charge", "blame", "suspect"}


@dataclass(frozen=True)
class OwnSentence:
    """A body sentence no claim covers, with its span."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Wording:
    """What an own-voice sentence's wording does toward a narrative."""

    actor_subject: bool  # a narrative actor is the subject of the sentence
    shared_acts: int  # the narrative's acts the sentence's words name
    shared_terms: int  # the narrative's terms it uses (actors included)
    unattributed_accusation: bool  # accusation words with no accuser named
    attributed: bool  # someone else's words or beliefs ("Y said", "according to")
    hedged: bool
    fact_check: str | None  # the fact-check words, when it uses any
    negated: bool


def own_voice_sentences(article: Article, claims: Sequence[Claim]) -> list[OwnSentence]:
    """Sentences of the body that overlap no body claim."""
    spans = [(c.start, c.end) for c in claims if c.section == "body"]
    found: list[OwnSentence] = []
    for start, end in sentence_bounds(article.body):
        text = article.body[start:end]
        lead = len(text) - len(text.lstrip())
        start, text = start + lead, text.strip()
        end = start + len(text)
        if len(text.split()) < 4 or any(s < end and start < e for s, e in spans):
            continue
        found.append(OwnSentence(start, end, text))
    return found


def wording(sentence: Span, profile: NarrativeProfile) -> Wording:
    """Read what a parsed own-voice sentence does with the narrative's actors and terms."""
    lemmas = {token.lemma_.lower() for token in sentence}
    words = {token.lower_ for token in sentence}
    subjects = subject_keys(sentence)
    attributed = bool(_ATTRIBUTING_PHRASES.search(sentence.text)) or any(
        token.lemma_.lower() in _REPORTING_LEMMAS and token.pos_ == "VERB"
        and any(child.dep_ in {"nsubj", "agent"} for child in token.children)
        for token in sentence
    )
    accusers = any(
        token.lemma_.lower() in ACCUSATION_WORDS
        and any(child.dep_ in {"nsubj", "agent"} or (child.dep_ == "prep" and child.lower_ in {"by", "from"})
                for child in token.children)
        for token in sentence
    )
    fact_check = FACT_CHECK.search(sentence.text)
    return Wording(
        actor_subject=bool(subjects & profile.actors),
        shared_acts=len(content_lemmas(sentence) & profile.acts),
        shared_terms=len(content_lemmas(sentence) & (profile.terms | profile.actors)),
        unattributed_accusation=bool(lemmas & ACCUSATION_WORDS) and not accusers,
        attributed=attributed or accusers,
        hedged=bool(words & _HEDGES) or sentence.text.rstrip().endswith("?"),
        fact_check=fact_check.group() if fact_check else None,
        negated=any(token.dep_ == "neg" and token.head.dep_ == "ROOT" for token in sentence)
        or "never" in words,
    )
