"""Counter-claims: denials by cue or by content."""

from __future__ import annotations

from dataclasses import replace

from narrascope.narratives.counter import counter_reason, cue_lemma
from tests.helpers import make_claim


def test_counter_cue_lemmas() -> None:
    assert [cue_lemma(c) for c in ("denies", "dismissed", "rejecting", "refuted", "said", "disputes")] == [
        "deny", "dismiss", "reject", "refute", "said", "dispute"]


def test_counter_claims_by_cue_and_content() -> None:
    base = make_claim("a", 1, "the presence of armed groups in the valley", "Valley Council")
    assert counter_reason(replace(base, cue="denies")) == "denial cue 'denies'"
    assert counter_reason(replace(base, cue="said", text="the militia has no presence in the valley")) == (
        "denies in its words: 'has no'")
    assert counter_reason(replace(base, cue="said", text="the reports are baseless")) is not None
    assert counter_reason(replace(base, cue="warned", text="armed groups are gathering in the valley")) is None
