"""Stance rules on invented pages (no seed words): own voice amplifies or disputes, attribution reports."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.narratives import load_embedder
from narrascope.stance import article_stance
from narrascope.stance.decide import narrative_view
from narrascope.stance.profile import entity_key
from tests.helpers import make_article, make_page

pytestmark = pytest.mark.slow

NARRATIVE = [
    "Ruritania is secretly arming the rebels in Borduria to topple its government.",
    "Ruritania has been sending weapons and money to the Bordurian rebels.",
    "The rebels in Borduria receive rifles from Ruritania, the minister said.",
]


def _embed(texts: list[str]) -> npt.NDArray[np.float32]:
    return load_embedder().embed(texts)


def _stance(body: str, nlp: Language) -> tuple[str, bool, list[str]]:
    article = make_article(make_page(body, "invented.txt"), body)
    claims = extract_claims(article, nlp)
    view = narrative_view("n1", NARRATIVE, _embed, nlp)
    result = article_stance(article, claims, {c.id for c in claims}, view, _embed, nlp)
    for evidence in result.evidence:
        assert body[evidence.start:evidence.end] == evidence.text
    return result.stance, result.counter_room, [e.role for e in result.evidence]


def test_stance_rules_entity_key_folds_spellings() -> None:
    assert entity_key("the United States") == entity_key("U.S.") == entity_key("US") == "us"


def test_stance_rules_own_voice_assertion_amplifies(nlp: Language) -> None:
    body = ("Ruritania has been arming the rebels in Borduria for years, sending rifles and money across the border "
            "to topple the government.\n\nThe border is long and mountainous.")
    assert _stance(body, nlp)[0] == "amplifies"


def test_stance_rules_fact_check_in_own_voice_disputes(nlp: Language) -> None:
    body = ("Claims that Ruritania is arming the Bordurian rebels are false: inspectors found no evidence of any "
            "weapons shipments from Ruritania.\n\nThe border is long and mountainous.")
    stance, _, roles = _stance(body, nlp)
    assert stance == "disputes" and "disputes" in roles


def test_stance_rules_attributed_accusation_with_denial_reports_and_gives_room(nlp: Language) -> None:
    body = ('Defence minister Ana Vell said on Monday that Ruritania is arming the rebels in Borduria. '
            '"They send rifles every week," Vell told reporters.\n\n'
            "The government of Ruritania denied sending any weapons to Borduria.")
    stance, counter_room, roles = _stance(body, nlp)
    assert stance == "reports" and counter_room and "counter" in roles


def test_stance_rules_hedged_own_voice_does_not_amplify(nlp: Language) -> None:
    body = ("Ruritania may allegedly be arming the rebels in Borduria, sending rifles across the border.\n\n"
            "Minister Ana Vell said Ruritania sends money to the rebels in Borduria.")
    assert _stance(body, nlp)[0] == "reports"
