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
    assert [page_id for page_id, _, _, _ in out] == [good.id, bad.id]
    _, good_result, vectors, foreign = out[0]
    assert not isinstance(good_result, Rejection) and good_result[1]
    assert set(vectors) >= {vector_key(claim.text) for claim in good_result[1]}
    assert foreign == {}  # an English page: no sentences for the multilingual model
    _, bad_result, bad_vectors, _ = out[1]
    assert isinstance(bad_result, Rejection) and bad_result.reason == "internal_error"
    assert bad_result.source == "bad.txt" and "parser bug" in bad_result.message and not bad_vectors


RUSSIAN = ("Министр выступил с заявлением\n\n"
           "Министр заявил, что США и их союзники пытаются дестабилизировать Афганистан.\n\n"
           "Власти пообещали отремонтировать старую школу до начала учебного года.\n\n"
           "В парке прошёл концерт классической музыки под открытым небом.\n")


def test_ray_worker_embeds_foreign_sentences_with_the_multilingual_model() -> None:
    from narrascope.narratives import load_embedder
    from narrascope.narratives.crosslingual import matchable_sentences

    settings = Settings()
    settings = replace(settings, ingest=replace(settings.ingest, isolate=False))
    batch = {"page": np.array([pickle.dumps(make_page(RUSSIAN, "ru.txt"))], dtype=object)}
    ((_, result, vectors, foreign),) = [pickle.loads(row) for row in PageWorker(settings)(batch)["result"]]
    assert not isinstance(result, Rejection) and result[0].language == "ru" and not result[1] and not vectors
    sentences = [result[0].body[start:end] for start, end in matchable_sentences(result[0].body)]
    assert len(sentences) >= 3 and set(foreign) == {vector_key(text) for text in sentences}
    expected = load_embedder(settings.models.multilingual_model).embed(sentences[:1])[0]
    assert np.allclose(foreign[vector_key(sentences[0])], expected, atol=1e-5)  # the driver's model, same vector
