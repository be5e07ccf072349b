"""`narrascope watch`: folders, feeds and URL lists polled; only what is new is ingested; seen items are remembered."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from narrascope.config import IngestSettings, Settings
from narrascope.ingest.fetch import Fetcher, FetchSettings
from narrascope.store import Store
from narrascope.watch import Watch, is_url
from tests.battery import inputs
from tests.battery.corpus import write_pages
from tests.battery.servers import ARTICLE, SITE_ADDRESS, TEST_POLICY, Resolver, serve

SETTINGS = Settings(ingest=IngestSettings(isolate=False))


def _fetcher() -> Fetcher:
    return Fetcher(FetchSettings(delay_s=0, total_timeout_s=3, respect_robots=False),
                   resolver=Resolver({"site.test": [SITE_ADDRESS]}), policy=TEST_POLICY)


def _article_ids(db: Path) -> set[str]:
    with Store(str(db), read_only=True) as store:
        return {article.id for article in store.articles()}


def test_watch_sources_folder_only_new_and_changed(tmp_path: Path) -> None:
    folder, db = tmp_path / "pages", tmp_path / "watch.db"
    write_pages(folder, range(3))
    with Store(str(db)) as store:
        first = Watch([str(folder)], store, SETTINGS).run(iterations=2, interval_s=0)
    assert (first.polls, first.stored, first.skipped) == (2, 3, 3)  # the second poll reads nothing again
    write_pages(folder, range(3, 5))
    (folder / "page0000.txt").write_text("City Ledger\n\n" + inputs.ARTICLE_TEXT + "\n", encoding="utf-8")
    with Store(str(db)) as store:  # a new run: what was seen is remembered in the database
        again = Watch([str(folder)], store, SETTINGS, settle_s=0).run(iterations=1, interval_s=0)
    assert (again.stored, again.skipped) == (3, 2)  # two new files and the changed one
    assert len(_article_ids(db)) == 6


def test_watch_sources_settle_time_leaves_fresh_files(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(2), age_s=0)
    with Store(str(tmp_path / "w.db")) as store:
        report = Watch([str(folder)], store, SETTINGS, settle_s=30).run(iterations=1, interval_s=0)
    assert report.stored == 0 and report.skipped == 0  # still being written, perhaps: left for the next poll


def test_watch_sources_feed_url_new_entries(tmp_path: Path) -> None:
    routes: dict[str, object] = {"/feed": ("application/rss+xml", inputs.rss(inputs.rss_item(1) + inputs.rss_item(2)))}
    with serve(SITE_ADDRESS, routes) as site, _fetcher() as client, Store(str(tmp_path / "w.db")) as store:
        url = f"http://site.test:{site.server_address[1]}/feed"
        watch = Watch([url], store, SETTINGS, fetcher=client)
        assert watch.poll().stored == 2
        routes["/feed"] = ("application/rss+xml", inputs.rss(inputs.rss_item(3) + inputs.rss_item(1)
                                                             + inputs.rss_item(2)))
        report = watch.poll()
        assert (report.stored, report.unchanged, watch._skipped) == (1, 0, 2)
        assert site.hits.count("/feed") == 2
        assert sorted(a.url or "" for a in store.articles()) == [f"https://news.example/{n}" for n in (1, 2, 3)]


def test_watch_sources_url_list_fetches_each_url_once_retries_failures(tmp_path: Path) -> None:
    routes: dict[str, object] = {"/a": ARTICLE, "/b": ("status", 503)}
    with serve(SITE_ADDRESS, routes) as site, _fetcher() as client, Store(str(tmp_path / "w.db")) as store:
        base = f"http://site.test:{site.server_address[1]}"
        listing = tmp_path / "news.urls"
        listing.write_text(f"# morning reading\n{base}/a\n{base}/b\nfile:///etc/hostname\n", encoding="utf-8")
        watch = Watch([str(listing)], store, SETTINGS, fetcher=client)
        first = watch.poll()
        assert first.stored == 1
        assert sorted(r.reason for r in first.rejected) == ["bad_scheme", "http_error"]
        routes["/b"] = ARTICLE.replace(b"Talks resume", b"Talks resumed")  # the site is back
        second = watch.poll()
        assert (second.stored, [r.reason for r in second.rejected]) == (1, [])
        assert site.hits.count("/a") == 1 and site.hits.count("/b") == 2  # /a never fetched again
        assert watch.poll().stored == 0 and site.hits.count("/b") == 2


def test_watch_sources_stop_between_items_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, db = tmp_path / "pages", tmp_path / "w.db"
    write_pages(folder, range(4))
    stop = threading.Event()
    with Store(str(db)) as store:
        save = store.save_article

        def save_then_stop(*args: object) -> None:
            save(*args)  # type: ignore[arg-type]
            stop.set()  # a SIGTERM arrives while the first page is being stored

        monkeypatch.setattr(store, "save_article", save_then_stop)
        report = Watch([str(folder)], store, SETTINGS, stop=stop).run(interval_s=0)
        assert (report.polls, report.stored, report.stopped) == (1, 1, True)
        [stored] = store.articles()
        assert store.seen(f"item:{stored.source}") == stored.id
        assert store.seen(str(folder / "page0001.txt")) is None
    with Store(str(db)) as store:
        again = Watch([str(folder)], store, SETTINGS).run(iterations=1, interval_s=0)
    assert (again.stored, again.skipped) == (3, 1)  # the rest, and the first not read again
    assert len(_article_ids(db)) == 4


@pytest.mark.parametrize(("source", "expected"), [("https://a.test/feed", True), ("file:///etc/hostname", True),
                                                  ("pages/", False), ("list.urls", False)])
def test_watch_sources_is_url(source: str, expected: bool) -> None:
    assert is_url(source) is expected
