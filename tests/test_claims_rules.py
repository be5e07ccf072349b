"""One rule per test, on sentences written for the test (fictional people and bodies)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from narrascope.claims import load_nlp
from narrascope.claims.cues import is_cue_lemma, is_speech_cue
from narrascope.claims.quotes import find_quotes
from narrascope.errors import ModelError
from tests.claim_cases import claims_of, only

pytestmark = pytest.mark.slow





def test_claims_rules_cue_lexicon() -> None:
    for lemma in ("say", "warn", "underline", "allege", "deny", "dismiss", "urge", "stress"):
        assert is_cue_lemma(lemma)
    assert not is_cue_lemma("eat")
    assert not is_cue_lemma("want")  # a wish is not a claim
    assert is_speech_cue("according to")
    assert is_speech_cue("said")
    assert is_speech_cue("warned")
    assert not is_speech_cue("fearing")


def test_claims_rules_load_nlp_missing_model_says_how_to_fix() -> None:
    with pytest.raises(ModelError, match="Install"):
        load_nlp("no_such_model_xyz")


@pytest.mark.parametrize(
    "body",
    [
        'Anna Petrova said: "The bridge will open in May."',
        "Anna Petrova said: “The bridge will open in May.”",
        "Anna Petrova said: «The bridge will open in May.»",
        "Anna Petrova said: ‘The bridge will open in May.’",
        "Anna Petrova said: 'The bridge will open in May.'",
        'Anna Petrova said: “The bridge will open in May."',
    ],
)
def test_claims_rules_quotation_marks(nlp: Language, body: str) -> None:
    (claim,) = claims_of(nlp, body)
    assert claim.text.startswith("The bridge will open in May")
    assert (claim.kind, claim.speaker, claim.cue) == ("direct", "Anna Petrova", "said")


def test_claims_rules_quote_spanning_sentences_and_trailing_cue(nlp: Language) -> None:
    body = '"The bridge is safe. It passed every test," Mayor Anna Petrova said on Monday.'
    (claim,) = claims_of(nlp, body)
    assert claim.text == "The bridge is safe. It passed every test"
    assert (claim.speaker, claim.speaker_role) == ("Anna Petrova", "Mayor")


def test_claims_rules_quote_across_paragraphs(nlp: Language) -> None:
    body = (
        'Mayor Anna Petrova said: "The bridge is safe. It passed every test we had.\n\n'
        '"The river has never been this low, and the engineers are confident," she said.'
    )
    quotes = find_quotes(body)
    assert quotes[0].close_mark is None  # the paragraph ends with the quote open
    claims = claims_of(nlp, body)
    assert all(c.speaker == "Anna Petrova" for c in claims)
    assert any("engineers are confident" in c.text for c in claims)
    assert any("It passed every test" in c.text for c in claims)


def test_claims_rules_unbalanced_marks_do_not_break(nlp: Language) -> None:
    body = (
        'The 6" pipe burst. Anna Petrova said the city "would pay for repairs.\n\nShe added that the work starts soon.'
    )
    claims = claims_of(nlp, body)
    assert any(c.speaker == "Anna Petrova" for c in claims)


def test_claims_rules_reported_that_with_adjunct(nlp: Language) -> None:
    body = "Anna Petrova, the city's chief engineer, said on Friday that the bridge would reopen next week."
    (claim,) = claims_of(nlp, body)
    assert claim.text == "the bridge would reopen next week"
    assert (claim.kind, claim.speaker, claim.speaker_role) == ("reported", "Anna Petrova", "city's chief engineer")


def test_claims_rules_content_before_cue(nlp: Language) -> None:
    body = "The bridge will reopen next week after repairs, city engineer Anna Petrova said on Friday."
    (claim,) = claims_of(nlp, body)
    assert claim.text == "The bridge will reopen next week after repairs"
    assert claim.speaker == "Anna Petrova"


def test_claims_rules_said_after_quote_inverted(nlp: Language) -> None:
    body = '"Repairs will take a week," said Anna Petrova, a city engineer.'
    (claim,) = claims_of(nlp, body)
    assert (claim.speaker, claim.speaker_role) == ("Anna Petrova", "a city engineer")


def test_claims_rules_according_to(nlp: Language) -> None:
    body = "According to Anna Petrova, the bridge will reopen next week."
    (claim,) = claims_of(nlp, body)
    assert (claim.cue, claim.speaker, claim.text) == (
        "according to",
        "Anna Petrova",
        "the bridge will reopen next week",
    )


def test_claims_rules_pronoun_and_surname_resolution(nlp: Language) -> None:
    body = (
        "Anna Petrova, the city's chief engineer, said the bridge was safe.\n\n"
        '"We tested every cable," she added.\n\n'
        "Petrova also warned that traffic would be slow for a month."
    )
    claims = claims_of(nlp, body)
    assert only(claims, "We tested every cable").speaker == "Anna Petrova"
    warned = only(claims, "traffic would be slow")
    assert (warned.speaker, warned.speaker_mention, warned.cue) == ("Anna Petrova", "Petrova", "warned")


def test_claims_rules_role_noun_resolution(nlp: Language) -> None:
    body = (
        "Ruritanian Finance Minister Boris Kaldanov said taxes would fall next year.\n\n"
        "Ruritanian Health Minister Olga Varga said hospitals needed more staff.\n\n"
        '"The budget is balanced," the Ruritanian finance minister stressed.'
    )
    claims = claims_of(nlp, body)
    balanced = only(claims, "The budget is balanced")
    assert (balanced.speaker, balanced.speaker_mention) == ("Boris Kaldanov", "the Ruritanian finance minister")


def test_claims_rules_organisation_and_statement(nlp: Language) -> None:
    body = (
        "The Ruritanian Water Agency said in a statement: the reservoirs are full.\n\n"
        "The statement adds: no restrictions are planned this summer."
    )
    claims = claims_of(nlp, body)
    first = only(claims, "the reservoirs are full")
    assert (first.speaker, first.speaker_kind, first.cue) == ("Ruritanian Water Agency", "organization", "said")
    adds = only(claims, "no restrictions are planned")
    assert (adds.speaker, adds.speaker_mention) == ("Ruritanian Water Agency", "The statement")


def test_claims_rules_object_cues_for_organisations(nlp: Language) -> None:
    body = "The Ruritanian Water Agency denies the presence of toxins in the reservoir."
    (claim,) = claims_of(nlp, body)
    assert (claim.speaker, claim.speaker_kind, claim.cue) == ("Ruritanian Water Agency", "organization", "denies")
    assert claim.text == "the presence of toxins in the reservoir"


def test_claims_rules_relays_are_cited_sources(nlp: Language) -> None:
    body = (
        "The Daily Courier reported on Monday that according to Anna Petrova, the bridge will reopen soon.\n\n"
        '"Nothing is broken," Petrova said, as per the Ruritanian NEWSWIRE news agency.'
    )
    claims = claims_of(nlp, body)
    relay = only(claims, "the bridge will reopen soon")
    assert (relay.speaker, relay.cited_source) == ("Anna Petrova", "Daily Courier")
    direct = only(claims, "Nothing is broken")
    assert (direct.speaker, direct.cited_source) == ("Anna Petrova", "NEWSWIRE")


def test_claims_rules_headline_attributions(nlp: Language) -> None:
    body = "Ruritanian Finance Minister Boris Kaldanov said taxes would fall next year."
    colon = claims_of(nlp, body, title="Ruritanian Finance Minister: Taxes will fall next year")
    (headline,) = [c for c in colon if c.section == "title"]
    assert (headline.text, headline.speaker, headline.cue) == ("Taxes will fall next year", "Boris Kaldanov", ":")
    says = claims_of(nlp, body, title="Taxes will fall next year, says Kaldanov")
    (headline,) = [c for c in says if c.section == "title"]
    assert (headline.text, headline.speaker) == ("Taxes will fall next year", "Boris Kaldanov")


def test_claims_rules_scare_quotes_are_not_claims(nlp: Language) -> None:
    body = "The mayor visited the so-called “smart bridge” on Monday and praised its builders."
    assert all(c.kind != "direct" for c in claims_of(nlp, body))


def test_claims_rules_no_speaker_for_passive_it_is_said(nlp: Language) -> None:
    body = "It should be noted that the bridge was built in 1901."
    assert claims_of(nlp, body) == []


def test_claims_rules_dateline_and_relative_pronoun(nlp: Language) -> None:
    body = (
        "Ruritania Today – Anna Petrova, the city's chief engineer, said the bridge was safe.\n\n"
        "The works were praised by Boris Kaldanov, who said the budget had been respected."
    )
    claims = claims_of(nlp, body)
    safe = only(claims, "the bridge was safe")
    assert safe.speaker_mention == "Anna Petrova, the city's chief engineer"
    budget = only(claims, "the budget had been respected")
    assert budget.speaker == "Boris Kaldanov"


def test_claims_rules_names_inside_quotes_are_not_antecedents(nlp: Language) -> None:
    body = (
        'Anna Petrova opened the bridge on Monday.\n\n"Boris Kaldanov promised us the money and we built it," she said.'
    )
    (claim,) = claims_of(nlp, body)
    assert claim.speaker == "Anna Petrova"
