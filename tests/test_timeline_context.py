"""Statement dates and events read from the sentences around each claim."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from narrascope.timeline.context import claim_contexts, contexts_or_none, sentence_bounds
from tests.helpers import make_article, make_claim, make_page

BODY = ("Ana Berg, the defence minister, stated in her speech that the border is under threat.\n\n"
        "She made these remarks on Friday (April 26) during the meeting of defence ministers of the Northern "
        "Alliance in Tallinn.\n\n"
        "The envoy said in January that talks had failed.\n\n"
        "Berg also said the army is ready.")


def _claims() -> list:  # type: ignore[type-arg]
    spans = [("the border is under threat", "Ana Berg"), ("talks had failed", "Ola Holm"),
             ("the army is ready", "Ana Berg")]
    claims = []
    for number, (text, speaker) in enumerate(spans):
        start = BODY.index(text)
        claims.append(replace(make_claim("a", number, text, speaker), start=start, end=start + len(text)))
    return claims


def test_timeline_context_dates_from_next_sentence_and_speaker() -> None:
    page = make_page(BODY)
    contexts = claim_contexts(make_article(page, BODY, published=None), _claims())
    first, envoy, last = (contexts[c.id] for c in _claims())
    assert first.date is None and first.date_is_flagged and BODY[first.date_start:first.date_end] == "Friday (April 26)"
    assert first.event == "the meeting of defence ministers of the Northern Alliance in Tallinn"
    assert last.date_start == first.date_start and last.event == first.event
    assert envoy.date is None and envoy.date_is_flagged and envoy.event is None


def test_timeline_context_resolved_against_article_date() -> None:
    page = make_page(BODY)
    contexts = claim_contexts(make_article(page, BODY, published="2024-04-28"), _claims())
    first, envoy, _ = (contexts[c.id] for c in _claims())
    assert first.date == "2024-04-26" and first.date_is_flagged
    assert envoy.date == "2024-01" and envoy.date_precision == "month"


def test_timeline_context_falls_back_to_article_date() -> None:
    body = "The mayor said the bridge will reopen."
    claim = replace(make_claim("a", 1, "the bridge will reopen", "Jo"), start=15, end=37)
    context = claim_contexts(make_article(make_page(body), body, published="2020-01-02"), [claim])[claim.id]
    assert (context.date, context.date_precision) == ("2020-01-02", "published")


def test_timeline_sentence_bounds() -> None:
    text = 'He said "Yes." Then he left. \n\nNew paragraph'
    assert [text[s:e] for s, e in sentence_bounds(text)] == ['He said "Yes."', "Then he left.", "New paragraph"]


def test_timeline_context_an_unreadable_article_is_logged_and_left_undated(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from narrascope.timeline import context

    page = make_page(BODY)
    article = make_article(page, BODY, published="2024-04-28")
    assert contexts_or_none(article, _claims()) == claim_contexts(article, _claims())  # the same when it works

    def broken(*_: object) -> list[object]:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(context, "find_dates", broken)
    with caplog.at_level(logging.WARNING):
        assert contexts_or_none(article, _claims()) == {}
    assert article.id in caplog.text and "date value out of range" in caplog.text
