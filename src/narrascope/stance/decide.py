"""Decide each article's stance toward each narrative it carries, keeping the deciding sentences.

- amplifies: an own-voice sentence close to the narrative's claims makes the narrative's actor the
  subject of the narrative's acts, or passes its accusation on without naming an accuser, unhedged;
- disputes: an own-voice sentence close to the narrative uses fact-check wording, or negates the
  narrative's act by its actor (or says the opposite of a claim it restates); it wins over amplifying
  when it has at least as many sentences;
- reports: otherwise; the narrative is in the article only through claims attributed to someone.

Counter-claims get room when the article quotes a denial (narratives.counter) or a voice that echoes
a denial of the same article: another speaker's claim that names the denying party, not as the one who
acts or is accused, with no accusation wording, and that answers the same concern as the denial (an
analyst speaking for the party that denied).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.language import Language
from spacy.tokens import Span

from narrascope.models import Article, Claim, Narrative
from narrascope.narratives.counter import counter_reason
from narrascope.stance.profile import NarrativeProfile, entity_key, narrative_profile, subject_keys, token_key
from narrascope.stance.records import ArticleStance, StanceEvidence, StanceLabel
from narrascope.stance.voice import ACCUSATION_WORDS, FACT_CHECK, OwnSentence, Wording, own_voice_sentences, wording

Vectors = npt.NDArray[np.float32]
EmbedFunction = Callable[[list[str]], Vectors]
CANDIDATE_SIMILARITY = 0.30  # own-voice sentences below this are not about the narrative (not parsed)
ASSERTION_SIMILARITY = 0.40  # an own-voice sentence this close that names the actor's acts asserts them
MIN_SHARED_TERMS = 2
MIN_SHARED_ACTS = 2  # without accusation words, an assertion must name two of the actor's acts
RESTATE_SIMILARITY = 0.70  # this close, and naming the acts, a sentence restates a claim even with no actor
CLOSE_RESTATEMENT = 0.80  # this close, one shared act is enough
_VERDICT_TOKENS = 8  # a sentence this short with fact-check words is a verdict on the story
_REPORT_EVIDENCE = 3
ECHO_SIMILARITY = 0.45  # a voice this close to a denial of the same article answers the same concern


@dataclass(frozen=True)
class NarrativeView:
    """What the stance of one article is judged against: the narrative's claims, vectors and profile."""

    narrative_id: str
    vectors: Vectors  # its accusing (non-denial) claims, unit length
    profile: NarrativeProfile


def narrative_view(narrative_id: str, texts: Sequence[str], embed: EmbedFunction, nlp: Language) -> NarrativeView:
    """The narrative as stance reads it, from the texts of its accusing claims (or a description)."""
    return NarrativeView(narrative_id, embed(list(texts)), narrative_profile(texts, nlp))


def narrative_stances(
    narratives: Sequence[Narrative],
    articles: dict[str, Article],
    claims: Sequence[Claim],
    embed: EmbedFunction,
    nlp: Language,
) -> list[ArticleStance]:
    """Every article's stance toward every narrative it carries."""
    by_id = {claim.id: claim for claim in claims}
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    result: list[ArticleStance] = []
    for narrative in narratives:
        members = [by_id[c] for c in narrative.claim_ids if c in by_id]
        if not members:
            continue
        accusing = [claim.text for claim in members if counter_reason(claim) is None] or [c.text for c in members]
        view = narrative_view(narrative.id, accusing, embed, nlp)
        member_ids = {claim.id for claim in members}
        for article_id in narrative.article_ids:
            if article_id in articles:
                result.append(article_stance(articles[article_id], by_article.get(article_id, []), member_ids,
                                             view, embed, nlp))
    return result


def article_stance(
    article: Article,
    article_claims: Sequence[Claim],
    narrative_claim_ids: set[str],
    view: NarrativeView,
    embed: EmbedFunction,
    nlp: Language,
) -> ArticleStance:
    """One article's stance toward one narrative, with the sentences that decided it."""
    amplifying, disputing = _own_voice_evidence(article, article_claims, view, embed, nlp)
    counter = _counter_voices(article, article_claims, embed, nlp)
    stance: StanceLabel
    if disputing and len(disputing) >= len(amplifying):
        stance, deciding = "disputes", disputing
    elif amplifying:
        stance, deciding = "amplifies", amplifying
    else:
        stance, deciding = "reports", _reported(article, article_claims, narrative_claim_ids)
    return ArticleStance(article.id, view.narrative_id, stance, bool(counter), tuple(deciding + counter))


def _own_voice_evidence(
    article: Article, claims: Sequence[Claim], view: NarrativeView, embed: EmbedFunction, nlp: Language
) -> tuple[list[StanceEvidence], list[StanceEvidence]]:
    """Own-voice sentences that amplify and that dispute the narrative."""
    sentences = own_voice_sentences(article, claims, view.profile)
    if not sentences or not len(view.vectors):
        return [], []
    similarities = embed([s.text for s in sentences]) @ view.vectors.T
    nearest, similarity = similarities.argmax(axis=1), similarities.max(axis=1)
    negated = view.profile.negated
    # Close sentences are judged; a far one only when it gives a fact-check verdict (the article is about
    # the narrative already: "No evidence given.").
    chosen = [(s, float(sim), bool(negated[n]) if n < len(negated) else False)
              for s, sim, n in zip(sentences, similarity, nearest, strict=True)
              if sim >= CANDIDATE_SIMILARITY or FACT_CHECK.search(s.text)]
    amplifying: list[StanceEvidence] = []
    disputing: list[StanceEvidence] = []
    for (sentence, sim, story_negated), doc in zip(chosen, nlp.pipe([s.text for s, _, _ in chosen]), strict=True):
        verdict = _judge(wording(doc[:], view.profile), sim, story_negated, len(doc) <= _VERDICT_TOKENS)
        if verdict is not None:
            role, reason = verdict
            (disputing if role == "disputes" else amplifying).append(_evidence(article, sentence, role, reason, sim))
    return amplifying, disputing


def _judge(
    signals: Wording, similarity: float, story_negated: bool, is_verdict: bool
) -> tuple[StanceLabel, str] | None:
    """What an own-voice sentence does toward the narrative, and why; None when it does neither."""
    if signals.attributed:
        return None
    about = signals.shared_terms >= 1 or signals.actor_subject or is_verdict
    if signals.fact_check and about:
        return "disputes", f"fact-check wording in its own voice: '{signals.fact_check}'"
    if similarity < ASSERTION_SIMILARITY or signals.hedged or signals.shared_terms < MIN_SHARED_TERMS:
        return None
    if similarity >= RESTATE_SIMILARITY and signals.shared_acts >= (1 if similarity >= CLOSE_RESTATEMENT else 2):
        if signals.negated != story_negated:
            return "disputes", f"says the opposite of the narrative's nearest claim ({similarity:.2f})"
        return "amplifies", f"restates the narrative in its own voice ({similarity:.2f})"
    if signals.actor_subject and signals.negated:
        return "disputes", "negates the narrative's act by its actor in its own voice"
    if signals.unattributed_accusation and signals.shared_acts >= 1 and (
            signals.actor_subject or signals.shared_terms > MIN_SHARED_TERMS):
        return "amplifies", "passes the accusation on without naming an accuser"
    if signals.actor_subject and signals.shared_acts >= MIN_SHARED_ACTS:
        return "amplifies", "asserts the narrative's acts by its actor in its own voice"
    return None


def _reported(article: Article, claims: Sequence[Claim], narrative_claim_ids: set[str]) -> list[StanceEvidence]:
    """The narrative's claims in this article, attributed to their speakers."""
    found = [claim for claim in claims if claim.id in narrative_claim_ids and claim.section == "body"
             and counter_reason(claim) is None]
    return [StanceEvidence(article.id, claim.start, claim.end, claim.text, "reports",
                           f"attributed to {claim.speaker or 'a source'} ('{claim.cue}')", 1.0, claim.id)
            for claim in sorted(found, key=lambda c: c.start)[:_REPORT_EVIDENCE]]


def _counter_voices(
    article: Article, claims: Sequence[Claim], embed: EmbedFunction, nlp: Language
) -> list[StanceEvidence]:
    """Denials the article quotes, and claims that speak for the party that denied."""
    body = [claim for claim in claims if claim.section == "body"]
    denials = [(claim, reason) for claim in body if (reason := counter_reason(claim)) is not None]
    found = [StanceEvidence(article.id, claim.start, claim.end, claim.text, "counter", reason, 1.0, claim.id)
             for claim, reason in denials]
    deniers = {entity_key(claim.speaker): claim.speaker for claim, _ in denials if claim.speaker}
    others = [claim for claim in body if counter_reason(claim) is None and claim.speaker not in deniers.values()]
    if not deniers or not others:
        return found
    denial_vectors = embed([claim.text for claim in body if claim.speaker in deniers.values()])
    for claim, doc in zip(others, nlp.pipe([claim.text for claim in others]), strict=True):
        named = {key for token in doc if (key := token_key(token))} & set(deniers)
        if not named or named & subject_keys(doc[:]) or _accuses(doc[:]):
            continue  # the denying party is not named, or named as the one who acts or is accused
        closeness = float((embed([claim.text]) @ denial_vectors.T).max())
        if closeness >= ECHO_SIMILARITY:
            party = deniers[sorted(named)[0]]
            found.append(StanceEvidence(
                article.id, claim.start, claim.end, claim.text, "counter",
                f"speaks for {party}, who denied: names it as a partner, not as the accused, and answers the same "
                f"concern (similarity to its denial {closeness:.2f})", round(closeness, 3), claim.id))
    return sorted(found, key=lambda e: e.start)


def _accuses(sentence: Span) -> bool:
    """Whether a sentence uses accusation or fact-check wording."""
    return bool({token.lemma_.lower() for token in sentence} & ACCUSATION_WORDS) or bool(
        FACT_CHECK.search(sentence.text))


def _evidence(article: Article, sentence: OwnSentence, role: StanceLabel, reason: str, sim: float) -> StanceEvidence:
    return StanceEvidence(article.id, sentence.start, sentence.end, sentence.text, role, reason, round(sim, 3))
