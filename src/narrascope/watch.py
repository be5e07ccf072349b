"""`narrascope watch`: poll feeds, URL lists and folders on a schedule and ingest what is new.

Sources:
- an http(s) URL, fetched every poll: a feed gives its entries, a page itself (stored again only when
  its text changed);
- a URL list (a `.urls` file, one URL a line, `#` comments): each URL is fetched until it is stored
  or rejected for good; lines added later are fetched at the next poll;
- a folder or a file: files new or changed (size, modification time) since they were last read.

What was handled is remembered in the store (`watch_seen`), written only after the item itself was
stored or rejected, so a restart, or a kill, reads again at most the item in flight, and content-hash
ids make that a no-op. Fetch failures that may pass (`unreachable`, `timeout`, `http_error`,
`tls_error`) are recorded as rejections and tried again at the next poll.

Stopping: `stop` (set by SIGTERM or SIGINT in the CLI) is checked between items, so the page being
stored is finished and nothing is half-done. A full disk pauses the watch: the page in flight is rolled
back, not marked as seen, and tried again at the next poll.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from narrascope.config import Settings
from narrascope.errors import DiskFullError
from narrascope.ingest import iter_pages, walk_files
from narrascope.ingest.fetch import Fetcher, FetchSettings, fetch_pages
from narrascope.models import RawPage, Rejection
from narrascope.pipeline import IngestReport, ingest_items
from narrascope.store import Store

__all__ = ["TRANSIENT_REASONS", "Watch", "WatchReport", "is_url"]

logger = logging.getLogger(__name__)

TRANSIENT_REASONS = frozenset({"unreachable", "timeout", "http_error", "tls_error"})
URL_LIST_SUFFIX = ".urls"
_URL_LIST_MAX_BYTES = 1024 * 1024
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# A file modified this recently may still be being written; it is read at a later poll.
SETTLE_S = 2.0

Item = RawPage | Rejection


def is_url(source: str) -> bool:
    """Whether a watch source is a URL (anything with a scheme: all but http(s) are refused as bad_scheme)."""
    return _URL_SCHEME.match(source) is not None


@dataclass
class WatchReport:
    """What a watch did over all its polls."""

    polls: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: int = 0  # seen at an earlier poll (or run) and not read again
    rejected: list[Rejection] = field(default_factory=list)
    disk_full: str | None = None  # set while the last poll was paused by a full disk
    stopped: bool = False  # a stop request ended the watch


class Watch:
    """Polls its sources and ingests what is new into `store`.

    Args:
        sources: URLs, `.urls` files, folders and files.
        store: the database; it also remembers what was seen.
        settings: ingest settings and models.
        fetcher: the HTTP client (tests inject one with their resolver); by default one is made, kept for
            the whole watch so robots.txt and per-host politeness carry over between polls.
        stop: set it to stop after the item in flight.
        settle_s: files modified more recently than this are left for a later poll.
    """

    def __init__(self, sources: Sequence[str], store: Store, settings: Settings, *, fetcher: Fetcher | None = None,
                 stop: threading.Event | None = None, settle_s: float = SETTLE_S) -> None:
        self.sources = list(sources)
        self.store = store
        self.settings = settings
        self.stop = stop or threading.Event()
        self.settle_s = settle_s
        self._fetcher = fetcher
        self._resources = ExitStack()
        self._skipped = 0

    def run(self, iterations: int | None = None, interval_s: float = 300.0,
            on_poll: Callable[[int, IngestReport, int], None] | None = None) -> WatchReport:
        """Poll every `interval_s` seconds, `iterations` times (None: until stopped)."""
        report = WatchReport()
        try:
            while not self.stop.is_set():
                try:
                    polled = self.poll()
                except DiskFullError as error:
                    report.disk_full = str(error)
                    logger.error("%s; watch paused until the next poll", error)
                else:
                    report.disk_full = None
                    report.stored += polled.stored
                    report.unchanged += polled.unchanged
                    report.rejected.extend(polled.rejected)
                    if on_poll:
                        on_poll(report.polls + 1, polled, self._skipped)
                report.skipped += self._skipped
                report.polls += 1
                if iterations is not None and report.polls >= iterations:
                    break
                self.stop.wait(interval_s)
        finally:
            self._resources.close()
        report.stopped = self.stop.is_set()
        return report

    def poll(self) -> IngestReport:
        """One pass over every source: ingest what is new, remember what was handled."""
        self._skipped = 0
        # One page at a time: `_tracked` remembers an item when the next one is asked for, which must
        # come after the item was stored (a batch would read ahead and mark unstored pages as seen).
        return ingest_items(self._items(), self.store, self.settings, batch_size=1)

    # -- what is new ----------------------------------------------------------------------------------

    def _items(self) -> Iterator[Item]:
        for source in self.sources:
            if self.stop.is_set():
                return
            if is_url(source):
                yield from self._tracked(fetch_pages([source], fetcher=self._client(),
                                                     min_page_chars=self.settings.ingest.min_page_chars))
            elif source.lower().endswith(URL_LIST_SUFFIX) and Path(source).is_file():
                yield from self._url_list(Path(source))
            elif Path(source).is_dir():
                for file in walk_files(Path(source)):
                    if self.stop.is_set():
                        return
                    yield from self._file(file)
            elif Path(source).exists():
                yield from self._file(Path(source))
            else:
                yield Rejection(source, "not_found", "no such file or folder")

    def _file(self, path: Path) -> Generator[Item, None, None]:
        try:
            status = path.stat()
        except OSError as error:
            yield Rejection(str(path), "unreadable", error.strerror or str(error))
            return
        if time.time() - status.st_mtime < self.settle_s:
            return  # still being written, perhaps: the next poll reads it
        key, fingerprint = f"file:{path}", f"{status.st_size}:{status.st_mtime_ns}"
        if self.store.seen(key) == fingerprint:
            self._skipped += 1
            return
        complete = yield from self._tracked(iter_pages([str(path)], self.settings.ingest))
        if complete:
            self.store.mark_seen(key, fingerprint, "read")

    def _url_list(self, path: Path) -> Generator[Item, None, None]:
        try:
            with path.open("rb") as stream:
                data = stream.read(_URL_LIST_MAX_BYTES + 1)
        except OSError as error:
            yield Rejection(str(path), "unreadable", error.strerror or str(error))
            return
        if len(data) > _URL_LIST_MAX_BYTES:
            yield Rejection(str(path), "too_large", f"a URL list is capped at {_URL_LIST_MAX_BYTES // 1024} KiB")
            return
        for line in data.decode("utf-8", "replace").splitlines():
            url = line.split("#", 1)[0].strip()
            if not url or self.store.seen(f"url:{url}") is not None:
                self._skipped += bool(url)
                continue
            if self.stop.is_set():
                return
            complete = yield from self._tracked(fetch_pages([url], fetcher=self._client(),
                                                            min_page_chars=self.settings.ingest.min_page_chars))
            if complete:
                self.store.mark_seen(f"url:{url}", "fetched", "read")

    def _tracked(self, items: Iterable[Item]) -> Generator[Item, None, bool]:
        """Yield the items not handled before and remember each once it was handled.

        Returns whether every item was handled for good (none stopped, none to try again).
        """
        complete = True
        for item in items:
            if self.stop.is_set():
                return False
            if isinstance(item, Rejection) and item.reason in TRANSIENT_REASONS:
                complete = False
                yield item  # recorded as a rejection now, tried again at the next poll
                continue
            key = f"item:{item.source}"
            fingerprint = item.id if isinstance(item, RawPage) else f"rejected:{item.reason}"
            if self.store.seen(key) == fingerprint:
                self._skipped += 1
                continue
            yield item
            # Resumed only once the consumer stored (or rejected) the item: remember it now, never before.
            self.store.mark_seen(key, fingerprint, "page" if isinstance(item, RawPage) else item.reason)
        return complete

    def _client(self) -> Fetcher:
        if self._fetcher is None:
            settings = FetchSettings(max_bytes=self.settings.ingest.max_page_bytes)
            self._fetcher = self._resources.enter_context(Fetcher(settings, sleep=self._pause))
        return self._fetcher

    def _pause(self, seconds: float) -> None:
        """Per-host politeness waits end early on a stop request."""
        self.stop.wait(seconds)

