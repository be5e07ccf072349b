"""Quality gate: claims extraction on the first 60 PolNeAR dev articles must not regress.

Floors are the figures measured when the gate was set, minus 0.03 (see bench/eval_quotes.py).
"""

from __future__ import annotations

import pytest

from narrascope.claims import load_nlp
from narrascope.evaluation.quotes import DEFAULT_TAR, evaluate, load_polnear

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEFAULT_TAR.is_file(), reason=f"PolNeAR data not found at {DEFAULT_TAR}"),
]

SPEECH_F1_FLOOR = 0.78  # measured 0.810 (2026-12-01)
SPEECH_SPEAKER_FLOOR = 0.868  # measured 0.898
DIRECT_F1_FLOOR = 0.858  # measured 0.888


def test_quotes_eval_gate_dev_subset() -> None:
    scores = evaluate(load_polnear("dev", limit=60), load_nlp()).report()
    assert scores["speech"]["f1"] >= SPEECH_F1_FLOOR, scores["speech"]
    assert scores["speech"]["speaker_accuracy"] >= SPEECH_SPEAKER_FLOOR, scores["speech"]
    assert scores["direct"]["f1"] >= DIRECT_F1_FLOOR, scores["direct"]
