"""Text reuse: shared passages with spans on both sides and direction; near-duplicate groups."""

from __future__ import annotations

import pytest

from narrascope.reuse import near_duplicate_groups, shared_passages
from tests.helpers import make_article, make_page

QUOTE_A = ("Officials said that, in truth, the company wants to hide its losses from the regulators and, "
           "in the end, it does everything so that the audit is never finished in this troubled year.")
QUOTE_B = ("A spokesman repeated that the company wants to hide its losses from the regulators and in the end "
           "it does everything so that the audit isn't finished at all.")


def _article(text: str, source: str, published: str | None):  # type: ignore[no-untyped-def]
    page = make_page(text + " " + source * 3, source=source)
    return make_article(page, text, published=published)


def test_reuse_shared_passage_spans_and_direction() -> None:
    first = _article("Intro sentence here. " + QUOTE_A, "a", "2023-01-10")
    second = _article(QUOTE_B + " Unrelated closing words follow.", "b", "2023-04-01")
    third = _article("Nothing in common with the others at all, just weather and sport.", "c", "2023-02-01")
    passages = shared_passages([first, second, third])
    assert len(passages) == 1
    passage = passages[0]
    by_id = {first.id: first, second.id: second}
    text_a = by_id[passage.article_a].body[passage.start_a:passage.end_a]
    text_b = by_id[passage.article_b].body[passage.start_b:passage.end_b]
    assert {text_a, text_b} == {
        "the company wants to hide its losses from the regulators and, in the end, it does everything so that "
        "the audit",
        "the company wants to hide its losses from the regulators and in the end it does everything so that "
        "the audit",
    }
    assert passage.words == 21 and passage.source_id == first.id


def test_reuse_short_common_phrases_are_not_reuse() -> None:
    first = _article("He said the meeting in the capital of the country went well.", "a", None)
    second = _article("They said the meeting in the capital of the country was long.", "b", None)
    assert shared_passages([first, second]) == []


def test_reuse_undated_direction_unknown() -> None:
    first = _article(QUOTE_A, "a", None)
    second = _article(QUOTE_B, "b", "2023-01-01")
    assert [p.source_id for p in shared_passages([first, second])] == [None]


def test_reuse_near_duplicate_groups() -> None:
    base = " ".join(f"Sentence number {i} tells a different part of the long story about the river." for i in range(40))
    copy = base.replace("number 3 ", "number three ")
    other = " ".join(f"Line {i} is about a quite different matter, the election of a mayor." for i in range(40))
    articles = [_article(base, "a", None), _article(copy, "b", None), _article(other, "c", None)]
    assert near_duplicate_groups(articles) == [[articles[0].id, articles[1].id]]


def test_reuse_a_whole_copy_is_grown_once_not_from_every_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    # A syndicated copy shares every one of its seeds; each seed inside a run already grown grows into the
    # same run, so it is skipped (before: one extension per seed over the whole run, quadratic in length).
    from narrascope.reuse import passages

    body = " ".join(f"word{number} of the story" for number in range(400))  # 1,600 words
    original, copy = _article(body, "a", "2023-01-10"), _article(body + " Extra closing line.", "b", "2023-01-11")
    grown: list[int] = []
    real = passages._extend
    monkeypatch.setattr(passages, "_extend", lambda *args: grown.append(1) or real(*args))
    [passage] = shared_passages([original, copy])
    assert (passage.start_a, passage.end_a, passage.words) == (0, len(body), 1600)
    assert passage.source_id == original.id and len(grown) == 1
