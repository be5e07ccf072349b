"""Relative and explicit dates resolved against the article's date, flagged when they cannot be anchored."""

from __future__ import annotations

from narrascope.timeline import find_dates


def _values(text: str, published: str | None) -> list[tuple[str, str | None, bool]]:
    return [(m.text, m.value, m.is_flagged) for m in find_dates(text, published)]


def test_timeline_weekday_with_month_day_and_no_article_date_is_flagged() -> None:
    assert _values("He made these remarks on Friday (April 26) during the meeting.", None) == [
        ("Friday (April 26)", None, True)]


def test_timeline_weekday_with_month_day_gets_year_from_article() -> None:
    [mention] = find_dates("He spoke on Friday (April 26) in the capital.", "2024-04-28")
    assert mention.value == "2024-04-26" and mention.is_flagged and "inferred" in mention.note


def test_timeline_relative_expressions() -> None:
    text = ("The envoy said in January that talks failed. One month ago, on 11 January 2023, a bomb exploded. "
            "The minister spoke on Friday. Two weeks ago the border closed. Iran's TV reported on 11 February.")
    assert _values(text, "2023-02-12") == [
        ("in January", "2023-01", True),
        ("One month ago", "2023-01", False),
        ("11 January 2023", "2023-01-11", False),
        ("on Friday", "2023-02-10", False),
        ("Two weeks ago", "2023-01-29", False),
        ("11 February", "2023-02-11", True),
    ]


def test_timeline_month_after_article_month_is_last_year() -> None:
    assert _values("The deal was signed in November.", "2023-05-26") == [("in November", "2022-11", True)]


def test_timeline_explicit_formats() -> None:
    assert _values("Seen on May 25, 2023 and 2021-08-15 and in August 2021 and in 2019.", None) == [
        ("May 25, 2023", "2023-05-25", False), ("2021-08-15", "2021-08-15", False),
        ("in August 2021", "2021-08", False), ("in 2019", "2019", False)]


def test_timeline_invalid_day_keeps_only_the_month() -> None:
    assert _values("It happened on 31 February 2023.", None) == [("February 2023", "2023-02", False)]


def test_timeline_dates_outside_the_calendar_are_left_unresolved_not_raised() -> None:
    # A page dated in year 1 (a metadata parse of "0001-01-01") once crashed the whole refresh: counting
    # back a weekday left the calendar. The expression is dropped; the other dates of the text still resolve.
    text = "The minister spoke on Friday. Yesterday the talks resumed. On 11 January 2023 a bomb exploded."
    assert _values(text, "0001-01-01") == [("11 January 2023", "2023-01-11", False)]
    assert _values("It began 999999999 days ago, on 2 May 2020.", "2024-01-01") == [
        ("2 May 2020", "2020-05-02", False)]
