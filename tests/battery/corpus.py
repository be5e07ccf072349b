"""Small synthetic news pages (a person quoted on a local project) for the durability, watch and load tests."""

from __future__ import annotations

from pathlib import Path

TOPICS = [("harbour bridge", "Maria Lopez", "transport office"), ("water supply", "Ken Ito", "utility board"),
          ("school budget", "Ada Obi", "education council"), ("wind farm", "Lars Berg", "energy agency"),
          ("rail strike", "Rosa Diaz", "rail union"), ("flood defences", "Omar Haddad", "river authority"),
          ("tram line", "Eva Novak", "city planners"), ("hospital wing", "Sam Reed", "health trust")]


def news_page(number: int) -> str:
    """Page `number`: a headline, a byline with a date, two quotes and a critic; distinct text per number."""
    subject, person, body = TOPICS[number % len(TOPICS)]
    return (f"City Ledger\n\nWork on the {subject} starts in week {number}, officials say\n\n"
            f"By Staff Reporter - March {number % 28 + 1} 2021\n\n"
            f"The {subject} project will begin in week {number} after months of delay, the {body} said on Monday.\n\n"
            f"\"We have the money and the people to finish the {subject} by next year,\" said {person}, "
            f"who leads the project. \"Delays of this kind will not happen again.\"\n\n"
            f"{person.split()[-1]} added that residents would be consulted on the {subject} plans "
            f"in week {number + 1}.\n\n"
            f"Critics said the {subject} had already cost twice what was promised.\n")


def write_pages(folder: Path, numbers: range, *, age_s: float = 60.0) -> list[Path]:
    """Write pages as `page{number:04d}.txt`, dated `age_s` in the past (older than the watch's settle time)."""
    import os
    import time

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in numbers:
        path = folder / f"page{number:04d}.txt"
        path.write_text(news_page(number), encoding="utf-8")
        past = time.time() - age_s
        os.utime(path, (past, past))
        written.append(path)
    return written


def state_of(db: Path) -> tuple[object, ...]:
    """Everything a run produced, for "same final state" checks; asserts integrity and no claimless article."""
    from narrascope.store import Store

    with Store(str(db), read_only=True) as store:
        assert store.integrity_ok()
        claims = store.claims()
        with_claims = {c.article_id for c in claims}
        articles = store.articles()
        assert all(a.id in with_claims for a in articles), "an article was stored without its claims"
        return (sorted(a.id for a in articles), sorted(c.id for c in claims),
                sorted(s.id for s in store.speakers()), sorted(tuple(c.claim_ids) for c in store.clusters()),
                sorted(tuple(n.claim_ids) for n in store.narratives()))


def article_count(db: Path) -> int:
    """Articles stored so far (0 while the database does not exist yet); read without taking a write lock."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # the schema is still being created
        return 0
