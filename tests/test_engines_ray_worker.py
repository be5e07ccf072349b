"""The Ray page worker, called in this process: a page that fails comes back as a typed rejection."""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
import pytest

from narrascope import pipeline
from narrascope.config import Settings
from narrascope.engines.ray_engine import PageWorker
from narrascope.models import Article, RawPage, Rejection
from narrascope.pipeline import vector_key
from tests.helpers import make_page

pytestmark = pytest.mark.slow

ARTICLE = ("Harbour bridge to reopen next week\n\n"
           "The harbour bridge will reopen to traffic next Monday after three months of repairs.\n\n"
           '"The steel deck has passed every load test," said Maria Lopez, the city\'s chief engineer.\n')


def test_ray_worker_rejects_a_failing_page_and_keeps_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
    real = pipeline.build_article

    def build_or_fail(page: RawPage) -> Article:
        if "BOOM" in page.text:
            raise RuntimeError("parser bug")
        return real(page)

    monkeypatch.setattr(pipeline, "build_article", build_or_fail)
    worker = PageWorker(settings)
    good, bad = make_page(ARTICLE, "good.txt"), make_page(ARTICLE + "\nBOOM\n", "bad.txt")
    batch = {"page": np.array([pickle.dumps(good), pickle.dumps(bad)], dtype=object)}
    out = [pickle.loads(row) for row in worker(batch)["result"]]
    assert [page_id for page_id, _, _ in out] == [good.id, bad.id]
    _, good_result, vectors = out[0]
    assert not isinstance(good_result, Rejection) and good_result[1]
    assert set(vectors) >= {vector_key(claim.text) for claim in good_result[1]}
    _, bad_result, bad_vectors = out[1]
    assert isinstance(bad_result, Rejection) and bad_result.reason == "internal_error"
    assert bad_result.source == "bad.txt" and "parser bug" in bad_result.message and not bad_vectors
