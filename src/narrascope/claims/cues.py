"""Cue lexicon: verbs of saying, role nouns and organisation heads, kept as data.

The verb lists follow the reporting verbs of PARC 3.0 / PolNeAR attribution guidelines
(Pareti 2016; Newell et al. 2018) and the quote-extraction lexicon of the GenderGapTracker
(Asr et al. 2021), trimmed to what news copy uses. Everything is lower-case lemmas.
"""

from __future__ import annotations


def _lexicon(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of a lexicon block."""
    return frozenset(words.split())


# Verbs of saying: the cue of a speech attribution ("said", "warned", "underlined").
SPEECH_VERBS: frozenset[str] = _lexicon(
    """
    say tell state add underline underscore warn claim note allege deny dismiss highlight urge
    criticize criticise stress conclude announce insist argue explain assert affirm emphasize
    emphasise declare report accuse confirm suggest write tweet acknowledge admit comment
    reiterate maintain predict promise vow threaten complain reply respond recall observe
    contend indicate reveal caution blame ask demand condemn praise propose question mention
    disclose estimate testify concede counter retort quip joke remark charge call slam blast
    lament boast brag tout pledge proclaim repeat point reject rebut refute advise recommend
    announce signal hint contend wonder inform assure shout cry scream yell whisper muse exclaim
    """
)

# Verbs of saying that also read as inference: "the envoy's comments suggest that ..." is the
# writer's reading of someone's words, not speech, when their subject is a thing someone said.
INTERPRETIVE_VERBS: frozenset[str] = _lexicon(
    """
    suggest indicate signal hint imply show reveal mean point confirm
    """
)

# Verbs of thinking or intending: PolNeAR counts them as attributions but not as speech.
BELIEF_VERBS: frozenset[str] = _lexicon(
    """
    believe think feel expect hope fear worry know want consider doubt suspect acknowledge
    """
)

# Cues whose direct object is the content ("dismissed concerns", "denies the presence of ...").
OBJECT_CONTENT_VERBS: frozenset[str] = _lexicon(
    """
    deny dismiss criticize criticise urge highlight mention stress underline emphasize emphasise
    reject condemn accuse blame slam blast praise demand propose reiterate announce confirm
    acknowledge admit allege warn predict promise pledge tout call question dispute
    """
)

# Phrasal cues: "point out", "point to", "call for".
PHRASAL_PARTICLES: dict[str, frozenset[str]] = {
    "point": frozenset({"out"}),
    "call": frozenset({"for", "on"}),
    "go": frozenset({"on"}),
}

# Nouns that name an office or job: "the Russian Defense Minister", "the top defense official".
ROLE_NOUNS: frozenset[str] = _lexicon(
    """
    minister official envoy spokesman spokeswoman spokesperson secretary president ambassador
    leader chief head diplomat representative senator governor mayor chairman chairwoman chair
    director commander general adviser advisor aide analyst expert candidate nominee congressman
    congresswoman lawmaker legislator deputy premier chancellor king prince queen emir mullah
    cleric prosecutor judge attorney lawyer officer strategist manager founder ceo executive
    professor researcher economist correspondent reporter editor author activist negotiator
    representative counselor coordinator emissary delegate member speaker sheriff justice
    engineer scientist doctor physician teacher student resident owner historian pollster
    consultant operative organizer organiser campaigner voter supporter critic host anchor
    """
)

# Generic role heads that carry little identity ("official"); matching needs more words.
GENERIC_ROLE_NOUNS: frozenset[str] = frozenset({"official", "source", "member", "expert", "analyst"})

# Heads of organisation names: "Foreign Intelligence Service", "Islamic Emirate", "Defense Ministry".
ORG_HEADS: frozenset[str] = _lexicon(
    """
    service ministry emirate agency council organization organisation committee department
    office government administration party army police force forces commission bureau institute
    union league association foundation group coalition alliance movement front court parliament
    senate congress assembly campaign company corporation bank fund watchdog authority
    authorities embassy mission taliban cabinet presidency kremlin pentagon board network
    coalition
    """
)

# Nouns for a document that speaks for its author: "the statement adds".
STATEMENT_NOUNS: frozenset[str] = _lexicon(
    """
    statement report communique communiqué release letter document announcement declaration
    comments remarks words
    """
)

# Media heads: "as per the state Interfax news agency" names a relay, not a speaker.
MEDIA_HEADS: frozenset[str] = _lexicon(
    """
    agency newspaper paper outlet channel broadcaster tv television radio site website daily
    wire
    """
)

# Adverbs and particles that may sit between a quote and its cue: '", he further added.'
GAP_WORDS: frozenset[str] = _lexicon(
    """
    also further then later again too once earlier finally additionally however but and
    """
)

PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her"})
ORG_PRONOUNS: frozenset[str] = frozenset({"it", "its", "they", "them"})
FIRST_PERSON_PRONOUNS: frozenset[str] = frozenset({"i", "we", "me", "us"})


def is_cue_lemma(lemma: str) -> bool:
    """Return whether a lemma is a verb of saying (beliefs such as "wants" are not claims)."""
    return lemma.lower() in SPEECH_VERBS


def is_speech_cue(cue: str) -> bool:
    """Return whether a cue (word or phrase) is a verb of saying, "according to" or ":"."""
    lowered = cue.lower().strip()
    if lowered in {":", "according to", "as per"}:
        return True
    first = lowered.split()[0] if lowered else ""
    return any(first.startswith(stem) for stem in _SPEECH_STEMS)


# Surface stems of the speech verbs, for cues read from annotated data ("says", "saying").
_SPEECH_STEMS: tuple[str, ...] = (
    *sorted({verb[:-1] if verb.endswith("e") and len(verb) > 4 else verb for verb in SPEECH_VERBS}),
    *("said", "told", "wrote", "spoke", "says"),
)
