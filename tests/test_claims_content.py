"""Content spans, colon attributions, headline speakers and answer links, on sentences written for the test."""

from __future__ import annotations

import pytest
from spacy.language import Language

from narrascope.claims.answers import link_answers
from narrascope.claims.normalise import parser_text
from narrascope.models import Claim
from tests.claim_cases import claims_of, only

pytestmark = pytest.mark.slow




def test_claims_content_parser_text_keeps_offsets() -> None:
    text = "the\u00a0Republican\u2009party\ufeff"
    assert parser_text(text) == "the Republican party "
    assert len(parser_text(text)) == len(text)


def test_claims_content_no_break_space_keeps_the_claim_and_the_page_characters(nlp: Language) -> None:
    body = "Senator Pavel Orlov says the\u00a0reform movement will fail before the summer elections."
    claim = only(claims_of(nlp, body), "reform movement will fail")
    assert claim.speaker == "Pavel Orlov"
    assert "\u00a0" in claim.text  # the evidence is the page's own text


def test_claims_content_quote_inside_a_paraphrase_stays_reported(nlp: Language) -> None:
    body = "Governor Anna Petrova said “it makes me angry” every time she reads about the closed clinics in the north."
    claim = only(claims_of(nlp, body), "it makes me angry")
    assert claim.kind == "reported"
    assert "closed clinics in the north" in claim.text


def test_claims_content_whole_quoted_clause_then_the_writer_stays_direct(nlp: Language) -> None:
    body = (
        "Petrov stated that “the ministry does not want the province to be isolated from its neighbours,” "
        "while condemning the attack."
    )
    claim = only(claims_of(nlp, body), "does not want the province")
    assert claim.kind == "direct"
    assert "condemning" not in claim.text


def test_claims_content_interpretive_verb_on_someone_s_comments_is_not_speech(nlp: Language) -> None:
    body = "Petrov met the envoy on Monday.\n\nPetrov’s comments suggest that the talks may resume in the spring."
    assert not [c for c in claims_of(nlp, body) if "talks may resume" in c.text]


def test_claims_content_goes_on_over_an_elaborating_colon(nlp: Language) -> None:
    body = (
        "The Northern Water Agency continued by emphasizing the need for joint planning: "
        "no dam on the river can be safe without the work of all the towns along it."
    )
    claim = only(claims_of(nlp, body), "the need for joint planning")
    assert "no dam on the river can be safe" in claim.text


def test_claims_content_ends_before_the_writer_s_aside(nlp: Language) -> None:
    body = (
        "Around that time, 47 percent said they would vote for the mayor, however this time around that number "
        "has dropped to 35 percent."
    )
    claim = only(claims_of(nlp, body), "they would vote for the mayor")
    assert "dropped" not in claim.text


def test_claims_content_transcript_turns_are_attributed(nlp: Language) -> None:
    body = (
        "Interviewer Maria Lenko spoke to Governor Ivan Drach on Sunday.\n\n"
        "LENKO: Do you think the new bridge will be finished before the winter?\n\n"
        "DRACH: I think the bridge will open in December, and the tolls will be low."
    )
    claims = claims_of(nlp, body)
    answer = only(claims, "the bridge will open in December")
    assert (answer.cue, answer.speaker) == (":", "Ivan Drach")
    question = only(claims, "Do you think the new bridge")
    assert question.speaker == "Maria Lenko"


def test_claims_content_headline_country_stands_for_the_body_official(nlp: Language) -> None:
    title = "Neighbours plan to block the northern pipeline: Freedonia"
    body = (
        "Freedonian Energy Minister Oleg Varga said on Monday that the neighbouring states plan to block the "
        "northern pipeline."
    )
    headline = [c for c in claims_of(nlp, body, title) if c.section == "title"]
    assert [(c.speaker, c.speaker_kind) for c in headline] == [("Oleg Varga", "person")]


def test_claims_content_section_label_is_not_a_headline_speaker(nlp: Language) -> None:
    title = "The Latest: Town council votes on the new bridge budget"
    body = "The council met on Monday evening to vote on the budget."
    assert not [c for c in claims_of(nlp, body, title) if c.section == "title"]


def _claim(claim_id: str, speaker: str, cue: str, text: str, start: int) -> Claim:
    return Claim(claim_id, "a1", speaker, speaker, "person", None, cue, text, "reported", start, start + len(text))


def test_claims_content_denial_links_the_claim_it_answers() -> None:
    claims = [
        _claim("c1", "Oleg Varga", "said", "armed groups take refuge in the northern valleys", 0),
        _claim("c2", "Anna Petrova", "said", "the harvest was good this year", 100),
        _claim("c3", "Valley Council", "denies", "the presence of armed groups in the northern valleys", 200),
        _claim("c4", "Valley Council", "denies", "any debt to the central bank", 300),
    ]
    linked = {c.id: c.answers_claim_id for c in link_answers(claims)}
    assert linked == {"c1": None, "c2": None, "c3": "c1", "c4": None}
