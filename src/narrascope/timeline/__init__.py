"""Timeline: dates the text gives, resolved against the article's date; events where statements were made."""

from narrascope.timeline.dates import DateMention, find_dates

__all__ = ["DateMention", "find_dates"]
