"""Hostile inputs of BATTERY.md section 3.1, generated here (never downloaded)."""

from __future__ import annotations

ARTICLE_TEXT = ("The minister said on Tuesday that the talks would resume next week. Officials in the capital "
                "confirmed the date and said both delegations had agreed to meet again. The opposition called "
                "the decision overdue, while analysts said a deal was still months away.")
GOOD_HTML = (f"<html><head><title>Talks resume</title></head><body><article><p>{ARTICLE_TEXT}</p></article>"
             "</body></html>")


def rss(items: str, prolog: str = "") -> bytes:
    """An RSS 2.0 document around `items`."""
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>Wire</title>'
            f"{items}</channel></rss>").encode()


def rss_item(number: int, *, guid: str | None = None, date: str = "Mon, 02 Mar 2026 10:00:00 GMT",
             author: str = "Jane Doe", body: str = ARTICLE_TEXT) -> str:
    """One RSS item."""
    return (f"<item><title>Story {number}</title><link>https://news.example/{number}</link><guid>{guid or number}"
            f"</guid><pubDate>{date}</pubDate><author>{author}</author><description>{body}</description></item>")


def atom(entries: str, prolog: str = "") -> bytes:
    """An Atom document around `entries`."""
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Wire</title>{entries}</feed>").encode()


def billion_laughs(levels: int = 10, root: str = "rss") -> str:
    """The classic entity bomb: 10 levels of 10 references (10^9 'lol's when expanded)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels))
    return f"<!DOCTYPE {root} [{entities}]>"


def quadratic_blowup(entity_bytes: int = 100_000) -> str:
    """A DTD with one 100 KB entity; the body then references it 20k times (2 GB when expanded)."""
    return f'<!DOCTYPE rss [<!ENTITY a "{"a" * entity_bytes}">]>'


QUADRATIC_REFERENCES = "&a;" * 20_000
