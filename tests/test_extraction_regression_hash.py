"""L3, fast part: extraction output over the first 30 scrapinghub pages hashes to the recorded value.

A change of this hash is a change of what narrascope extracts (title, outlet, date, author, language or
body) from real pages: if intended, record the new value here and the full-corpus one with
`python bench/regression.py --record`, and say so in the commit; otherwise it is a regression.
The speed half of the gate (docs/s within ±20% of the baseline) runs in `make battery`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from regression import corpus_files, extraction_digest

RECORDED = "ab163bd85b57126b38ccb72a8f0e95bdcadea01e46bd2f692af33c6752239a2c"


def test_extraction_regression_hash_stable() -> None:
    files = corpus_files(("scrapinghub",), limit=30)
    if len(files) < 30:
        pytest.skip("../shared/data/extraction/scrapinghub is not beside the checkout")
    digest, pages, _ = extraction_digest(files)
    assert pages == 30
    assert digest == RECORDED, "extraction output changed: see this module's docstring"
