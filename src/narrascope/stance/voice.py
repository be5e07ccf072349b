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

from spacy.tokens import Span, Token

from narrascope.claims.cues import BELIEF_VERBS, SPEECH_VERBS
from narrascope.models import Article, Claim
from narrascope.narratives.counter import counter_reason
from narrascope.stance.profile import (
    NarrativeProfile,
    content_lemmas,
    entity_key,
    is_negated,
    subject_keys,
    subject_members,
    token_key,
)
from narrascope.timeline.context import sentence_bounds

FACT_CHECK = re.compile(
    r"\b(?:false(?:ly|hood)?|untrue|not true|no (?:evidence|proof|basis)|without (?:evidence|proof)|"
    r"(?:de)?bunk(?:ed|s|ing)?|baseless|unfounded|groundless|unsubstantiated|misleading|fake|hoax|myth|"
    r"fabricat\w*|disinformation|misinformation|propaganda|conspiracy theor\w*|distort\w*|manipulat\w*|"
    r"is not the case|never (?:happened|existed)|no such|(?:does|do|did) not exist|unconfirmed|unverifi\w+|"
    r"not (?:be |to be )?(?:found|mentioned) anywhere|cannot be (?:confirmed|verified))\b",
    re.I,
)
_HEDGES = frozenset({"allegedly", "reportedly", "purportedly", "supposedly", "apparently", "may", "might",
                     "perhaps", "possibly", "rumour", "rumor"})
_ATTRIBUTING_PHRASES = re.compile(r"\b(?:according|as per|cited by|quoted by|in the words of)\b", re.I)
_PRONOUNS = frozenset({"it", "they", "this", "that", "which"})
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


def own_voice_sentences(
    article: Article, claims: Sequence[Claim], profile: NarrativeProfile | None = None
) -> list[OwnSentence]:
    """Sentences of the body that overlap no body claim.

    With a `profile`, a claim credited to one of the narrative's actors (not a denial) is the writer's
    account of what the accused did ("X proposed ...", "X is to blame"), so it stays in the own voice.
    """
    spans = [(c.start, c.end) for c in claims if c.section == "body"
             and not (profile and c.speaker and profile.is_actor(entity_key(c.speaker)) and counter_reason(c) is None)]
    found: list[OwnSentence] = []
    for start, end in sentence_bounds(article.body):
        text = article.body[start:end]
        lead = len(text) - len(text.lstrip())
        start, text = start + lead, text.strip()
        end = start + len(text)
        if len(text.split()) < 3 or any(s < end and start < e for s, e in spans):
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
        and any(child.dep_ in {"nsubj", "agent"} and not _is_actor(child, profile) for child in token.children)
        for token in sentence
    )
    accusers = any(
        token.lemma_.lower() in ACCUSATION_WORDS
        and any(child.dep_ in {"nsubj", "agent"} or (child.dep_ == "prep" and child.lower_ in {"by", "from"})
                for child in token.children)
        for token in sentence
    )
    # Fact-check words the narrative itself uses ("a false flag", "fake news about X") are its story.
    fact_check = next((m for m in FACT_CHECK.finditer(sentence.text)
                       if not all(word in profile.words for word in m.group().lower().split())), None)
    return Wording(
        actor_subject=any(profile.is_actor(key) for key in subjects),
        shared_acts=len(content_lemmas(sentence) & profile.acts),
        shared_terms=len(content_lemmas(sentence) & (profile.terms | profile.actors)),
        unattributed_accusation=bool(lemmas & ACCUSATION_WORDS) and not accusers,
        attributed=attributed or accusers,
        hedged=bool(words & _HEDGES) or sentence.text.rstrip().endswith("?"),
        fact_check=fact_check.group() if fact_check else None,
        negated=is_negated(sentence),
    )


def _is_actor(token: Token, profile: NarrativeProfile) -> bool:
    """Whether a subject is a narrative actor (the accused acting, not someone reporting) or a pronoun.

    A pronoun subject in the writer's own sentence ("... and today it threatens ...") refers back to
    what the sentence is about; a quoted source would have made the sentence a claim.
    """
    if token.lower_ in _PRONOUNS:
        return True
    return any(profile.is_actor(key) for member in subject_members(token) if (key := token_key(member)))
