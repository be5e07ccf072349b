"""The PolNeAR scorer on hand-made gold (no model, no data files)."""

from __future__ import annotations

from narrascope.evaluation.quotes import GoldArticle, GoldAttribution, QuoteScores, _parse_ann, score_article
from narrascope.models import Claim

TEXT = 'Title line.\n\n"We will win," Smith said. Jones said taxes are too high for families.'


def claim(start: int, end: int, speaker: str | None, kind: str = "direct", cue: str = "said") -> Claim:
    return Claim(f"c{start}", "a", speaker, speaker, "person", None, cue, TEXT[start:end], kind, start, end)  # type: ignore[arg-type]


def gold() -> GoldArticle:
    quote_start = TEXT.index('"We')
    quote_end = TEXT.index(" Smith")
    taxes = TEXT.index("taxes")
    return GoldArticle(
        "a",
        TEXT,
        (
            GoldAttribution(((quote_start, quote_end),), "Smith", "Smith", "said"),
            GoldAttribution(((taxes, len(TEXT) - 1),), "Jones", "Jones", "said"),
        ),
    )


def test_quotes_eval_scoring_match_and_speaker() -> None:
    start = TEXT.index("We will")
    taxes = TEXT.index("taxes")
    claims = [
        claim(start, start + len("We will win"), "John Smith"),
        claim(taxes, taxes + len("taxes are"), "Jones", "reported"),  # 2 of 6 words: below half
        claim(0, len("Title line"), None, "reported"),
    ]
    scores = QuoteScores()
    score_article(gold(), claims, scores)
    report = scores.report()
    assert report["all"]["matched"] == 1
    assert report["all"]["precision"] == round(1 / 3, 4)
    assert report["all"]["recall"] == 0.5
    assert report["all"]["speaker_accuracy"] == 1.0
    assert report["direct"]["gold"] == 1 and report["reported"]["gold"] == 1


def test_quotes_eval_scoring_wrong_speaker_counts() -> None:
    taxes = TEXT.index("taxes")
    scores = QuoteScores()
    score_article(gold(), [claim(taxes, len(TEXT) - 1, "Smith", "reported")], scores)
    assert scores.report()["all"]["speaker_accuracy"] == 0.0


def test_quotes_eval_scoring_reads_brat_with_pronoun_antecedent() -> None:
    body = "Ann Lee said yes. She said no."
    ann = "\n".join(
        [
            "T1\tSource 0 7\tAnn Lee",
            "T2\tCue 8 12\tsaid",
            "T3\tContent 13 16\tyes",
            "T4\tSource 18 21\tShe",
            "T5\tCue 22 26\tsaid",
            "T6\tContent 27 29\tno",
            "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
            "E2\tAttribution:T5 Source:T4 Cue:T5 Content:T6",
        ]
    )
    first, second = _parse_ann(ann, body)
    assert (first.source, first.cue, first.spans) == ("Ann Lee", "said", ((13, 16),))
    assert (second.source, second.antecedent) == ("She", "Ann Lee")
