"""A writer for the D2 crash-snapshot test: stores synthetic pages one transaction each, printing
"ID WAL_BYTES" after each commit returned (the page is then acknowledged). Checkpoints are off, so the
WAL only grows and every acknowledged commit lies before the size printed with it.

    python -m tests.battery.crash_writer DB PAGES SYNCHRONOUS [PAUSE_S]

PAUSE_S between commits keeps long runs' WAL small enough to copy many times.
"""

from __future__ import annotations

import os
import sys
import time

from narrascope.ingest.decode import content_id
from narrascope.models import Article, Claim, RawPage
from narrascope.store import Store
from tests.battery.corpus import news_page


def main() -> None:
    db, pages, synchronous = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    with Store(db) as store:
        store._connection.execute(f"PRAGMA synchronous = {synchronous}")
        store._connection.execute("PRAGMA wal_autocheckpoint = 0")
        for number in range(pages):
            text = news_page(number) * 3
            page = RawPage(id=content_id(text), source=f"crash/{number}.txt", kind="text", text=text)
            body = text.split("\n\n", 3)[-1]
            article = Article(page.id, page.source, None, f"Story {number}", "City Ledger", "2021-03-01", None, "en",
                              body, text)
            quote = body[:80]
            claims = [Claim(f"{page.id}-{k}", page.id, "Someone", "Someone", "person", None, "said", quote, "direct",
                            0, len(quote)) for k in range(3)]
            store.save_article(page, article, claims)
            sys.stdout.write(f"{page.id} {os.stat(db + '-wal').st_size}\n")
            sys.stdout.flush()
            if pause:
                time.sleep(pause)


if __name__ == "__main__":
    main()
