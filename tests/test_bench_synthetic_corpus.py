"""bench/synthetic_corpus.py: generated articles keep every claim on its text, rename people
consistently, differ from each other, and only the verbatim copies are grouped by deduplication."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic_corpus import bulk_load, duplicate_check
from synthetic_variants import make_variant, name_variant, person_names

from narrascope.models import Article, Claim, RawPage
from narrascope.store import Store

PEOPLE = ["Maria Keller", "Tomas Brandt", "Ines Ortega", "Jonah Whitfield", "Priya Raman", "Oskar Lind"]
FILLER = ("The ministry published its figures on Tuesday. Officials in the region disputed several points. "
          "Talks are expected to resume next month in the capital. Analysts expect a slow recovery this year. "
          "The council met twice before the vote. Prices for grain rose again in the spring. ")


def _article(number: int) -> tuple[RawPage, Article, list[Claim]]:
    speaker, other = PEOPLE[number % len(PEOPLE)], PEOPLE[(number + 1) % len(PEOPLE)]
    quote = f"the agreement on route {number} will hold"
    body = (f"{FILLER * 2}{speaker} said {quote}, and {other.split()[1]} agreed.\n\n"
            f"{FILLER}{other} told reporters that talks number {number} were \"going well\". {FILLER}")
    title = f"{speaker} backs deal {number}"
    aid = f"{number:064x}"
    claims = []
    for text, who in ((quote, speaker), ("talks number", other), (speaker, speaker)):
        start = body.index(text) if text != speaker else title.index(speaker)
        section = "title" if text == speaker else "body"
        claims.append(Claim(f"c{number}-{len(claims)}", aid, who, who, "person", None, "said", text, "direct",
                            start, start + len(text), section))
    page = RawPage(aid, f"page-{number}.txt", "text", f"{title}\n\n{body}")
    return page, Article(aid, page.source, None, title, f"Outlet {number % 3}", "2024-05-0" + str(1 + number % 9),
                         None, "en", body, page.text), claims


def _source(tmp_path: Path) -> str:
    db = str(tmp_path / "source.db")
    with Store(db) as store:
        for number in range(12):
            store.save_article(*_article(number))
        with store._transaction() as connection:  # speakers, as the global stage would store them
            connection.executemany("INSERT INTO speakers (id, name, aliases, role, kind)"
                                   " VALUES (?, ?, ?, 'x', 'person')",
                                   [(f"s{i}", name, f'["{name}"]') for i, name in enumerate(PEOPLE)])
    return db


def test_variant_spans_read_their_renamed_text() -> None:
    _page, article, claims = _article(3)
    names = name_variant(person_names(PEOPLE), 5)
    made = make_variant(article.title, article.body, [(c.section, c.start, c.end) for c in claims], names,
                        random.Random(1))
    assert made.body != article.body
    assert sorted(made.body.split()) != sorted(article.body.split())  # people renamed, sentences thinned
    for claim, (section, start, end, text) in zip(claims, made.claims, strict=True):
        source = made.body if section == "body" else made.title or ""
        assert source[start:end] == text == names.renamed(claim.text)
    assert "Maria Keller" not in made.body and "Maria Keller" not in (made.title or "")


def test_bulk_load_keeps_spans_and_groups_only_verbatim_copies(tmp_path: Path) -> None:
    target = str(tmp_path / "big.db")
    figures = bulk_load(_source(tmp_path), target, 3000)
    assert figures["articles"] == 3000 and figures["verbatim_copies"] > 0
    db = sqlite3.connect(target)
    rows = db.execute('SELECT c.section, c.start, c."end", c.text, a.body, a.title FROM claims c'
                      " JOIN articles a ON a.id = c.article_id").fetchall()
    assert len(rows) > 3000
    assert all((body if section == "body" else title)[start:end] == text
               for section, start, end, text, body, title in rows)
    assert len({row[0] for row in db.execute("SELECT body FROM articles")}) == 3000 - figures["verbatim_copies"]
    speakers = {row[0] for row in db.execute("SELECT name FROM speakers")}
    assert {row[0] for row in db.execute("SELECT speaker FROM claims")} <= speakers
    check = duplicate_check(target, 3000)
    assert check["true_groups"] == check["found_true"] == check["found_groups"] > 0
