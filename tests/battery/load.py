"""Load, concurrency and soak drivers (BATTERY.md D5, L1, L2): a real `narrascope serve` on loopback, async HTTP
clients on mixed endpoints, a real `narrascope watch` writer fed new pages, and a sampler of WAL size, RSS
and open files. Used by the fast tests (seconds) and by bench/load.py (minutes).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.battery.corpus import write_pages

UrlMaker = Callable[[random.Random], str]


def environment() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NARRASCOPE_INGEST_ISOLATE": "0"}


def cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "narrascope.cli", *arguments]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path, startup_s: float = 120.0, workers: int = 1) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`narrascope serve` on a free loopback port; yields its base URL and process once it answers."""
    port = free_port()
    with db.with_suffix(".server.log").open("wb") as log:  # its errors are read back: "locked" must not be there
        process = subprocess.Popen(cli("serve", "--db", str(db), "--port", str(port), "--workers", str(workers)),
                                   env=environment(),
                                   stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_s
    try:
        while True:
            try:
                if httpx.get(base + "/api/v1/overview", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"narrascope serve did not start (status {process.poll()})")
            time.sleep(0.2)
        yield base, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Writer:
    """A `narrascope watch` process over a folder that a feeder thread keeps adding pages to."""

    process: subprocess.Popen[bytes]
    log: Path
    written: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


@contextmanager
def writing(folder: Path, db: Path, *, every_s: float, first_number: int, interval_s: float = 1.0
            ) -> Iterator[Writer]:
    """Run the writer until the block ends; then stop it with SIGTERM (it finishes its page in flight)."""
    log = db.with_suffix(".writer.log")
    with log.open("wb") as stream:  # a file, not a pipe: hours of poll lines would fill a pipe and block
        process = subprocess.Popen(cli("watch", str(folder), "--db", str(db), "--interval", str(interval_s)),
                                   env=environment(), stdout=subprocess.DEVNULL, stderr=stream)
    writer = Writer(process, log)

    def feed() -> None:
        number = first_number
        while not writer.stop.wait(every_s):
            write_pages(folder, range(number, number + 1))
            number += 1
            writer.written += 1

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield writer
    finally:
        writer.stop.set()
        feeder.join()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def url_makers(db: Path, ids: int = 200) -> dict[str, UrlMaker]:
    """Mixed endpoints, HTML pages and their JSON twins, with `ids` ids of each kind sampled from the database.

    More ids make repeated detail pages rarer, so the response cache answers only what is truly hot.
    """
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as probe:
        def sample(sql: str) -> list[str]:
            return [str(row[0]) for row in probe.execute(sql)]

        narratives = sample(f"SELECT id FROM narratives ORDER BY random() LIMIT {int(ids)}")
        articles = sample(f"SELECT id FROM articles ORDER BY random() LIMIT {int(ids)}")
        speakers = sample(f"SELECT id FROM speakers ORDER BY random() LIMIT {int(ids)}")
        outlets = sample("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL LIMIT 200")
        total = int(probe.execute("SELECT count(*) FROM articles").fetchone()[0])
    makers = _makers(narratives, articles, speakers, outlets, total)
    # An endpoint whose ids the database does not have yet (no outlet named on these pages) is left out.
    wanted = {"/narratives/{id}": narratives, "/articles/{id}": articles, "/speakers/{id}": speakers,
              "/outlets/{name}": outlets}
    return {name: make for name, make in makers.items() if wanted.get(name, [""])}


def _makers(narratives: list[str], articles: list[str], speakers: list[str], outlets: list[str], total: int
            ) -> dict[str, UrlMaker]:
    words = ["bridge", "water", "budget", "project", "delay", "minister", "talks", "\"next year\""]
    return {
        "/": lambda r: "/",
        "/api/v1/overview": lambda r: "/api/v1/overview",
        "/narratives": lambda r: "/narratives",
        "/api/v1/narratives?sort=recent&offset=N": lambda r: f"/api/v1/narratives?sort=recent&offset={r.randrange(50)}",
        "/narratives/{id}": lambda r: f"/narratives/{r.choice(narratives)}",
        "/api/v1/articles?offset=N": lambda r: f"/api/v1/articles?offset={r.randrange(max(total - 50, 1))}",
        "/articles/{id}": lambda r: f"/articles/{r.choice(articles)}",
        "/api/v1/speakers": lambda r: f"/api/v1/speakers?offset={r.randrange(20)}",
        "/speakers/{id}": lambda r: f"/speakers/{r.choice(speakers)}",
        "/api/v1/outlets": lambda r: "/api/v1/outlets",
        "/outlets/{name}": lambda r: f"/outlets/{quote(r.choice(outlets), safe='')}",
        "/search?q=": lambda r: f"/search?q={quote(r.choice(words))}",
        "/api/v1/search?q=": lambda r: f"/api/v1/search?q={quote(r.choice(words))}",
    }


@dataclass
class LoadResult:
    """Every request's latency by endpoint, status counts, and the answers that said "database is locked"."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    locked: int = 0
    failures: list[str] = field(default_factory=list)  # transport errors (timeouts, resets)
    cached: int = 0  # answers the server's response cache gave (header x-narrascope-cache: hit)
    answers: Counter[str] = field(default_factory=Counter)  # "status endpoint: message" of every non-200

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def run_clients(base: str, makers: dict[str, UrlMaker], *, clients: int, seconds: float, seed: int = 5,
                think_s: float = 0.0) -> LoadResult:
    """`clients` concurrent HTTP clients, each picking endpoints at random for `seconds`."""
    result = LoadResult(latencies={name: [] for name in makers})
    names = list(makers)

    async def client(number: int, http: httpx.AsyncClient, end: float) -> None:
        pick = random.Random(seed * 1000 + number)
        while time.monotonic() < end:
            name = pick.choice(names)
            started = time.perf_counter()
            try:
                response = await http.get(makers[name](pick))
            except httpx.HTTPError as error:
                result.failures.append(f"{name}: {type(error).__name__}: {error}")
                continue
            result.latencies[name].append((time.perf_counter() - started) * 1000)
            result.statuses[response.status_code] += 1
            if response.headers.get("x-narrascope-cache") == "hit":
                result.cached += 1
            if b"database is locked" in response.content:  # bytes: no decoding of every page on the client
                result.locked += 1
            if response.status_code != 200:
                message = "(page)"
                if "json" in response.headers.get("content-type", ""):
                    message = str(response.json().get("error", {}).get("message", ""))
                result.answers[f"{response.status_code} {name}: {message}"[:160]] += 1
            if think_s:
                await asyncio.sleep(pick.uniform(0, 2 * think_s))

    async def main() -> None:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
            end = time.monotonic() + seconds
            await asyncio.gather(*(client(number, http, end) for number in range(clients)))

    asyncio.run(main())
    return result


def process_figures(pid: int) -> tuple[int, int]:
    """Resident memory (KiB) and open file descriptors of a process."""
    rss = 0
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


@dataclass
class Sample:
    at_s: float
    wal_bytes: int
    figures: dict[str, tuple[int, int]]  # process name -> (RSS KiB, open fds)


class Sampler:
    """Samples the WAL's size and the processes' RSS and open files every `every_s` seconds, in a thread."""

    def __init__(self, db: Path, processes: dict[str, int], every_s: float = 1.0) -> None:
        self.db, self.processes, self.every_s = db, processes, every_s
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.monotonic()

    def _run(self) -> None:
        while True:
            wal = Path(f"{self.db}-wal")
            figures = {}
            for name, pid in self.processes.items():
                try:
                    figures[name] = process_figures(pid)
                except OSError:
                    continue
            self.samples.append(Sample(time.monotonic() - self._started, wal.stat().st_size if wal.exists() else 0,
                                       figures))
            if self._stop.wait(self.every_s):
                return

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def max_wal(self) -> int:
        return max((sample.wal_bytes for sample in self.samples), default=0)

    def series(self, name: str, index: int) -> list[int]:
        """RSS (index 0) or fd count (index 1) of one process over time."""
        return [sample.figures[name][index] for sample in self.samples if name in sample.figures]


def seed_database(folder: Path, db: Path, pages: int) -> None:
    """A database with `pages` pages ingested by the real CLI (the writer's starting point)."""
    write_pages(folder, range(pages))
    subprocess.run(cli("ingest", str(folder), "--db", str(db), "-q"), env=environment(), check=True, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def article_total(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as probe:
        return int(probe.execute("SELECT count(*) FROM articles").fetchone()[0])


def writer_and_readers(scratch: Path, *, seconds: float, readers: int, seed_pages: int = 8, every_s: float = 1.0,
                       think_s: float = 0.0, sample_s: float = 1.0) -> dict[str, object]:
    """D5 / L2: a watch writer fed a page every `every_s` s and `readers` HTTP clients for `seconds`.

    Returns the figures: requests, statuses, locked answers (HTTP and the writer's log), reader p50/p95/p99,
    articles written during the run, WAL size (max and last), RSS and fd series of server and writer.
    """
    folder, db = scratch / "pages", scratch / "live.db"
    seed_database(folder, db, seed_pages)
    before = article_total(db)
    with serving(db) as (base, server):
        makers = url_makers(db)
        with writing(folder, db, every_s=every_s, first_number=seed_pages) as writer:
            deadline = time.monotonic() + 300
            while article_total(db) == before and writer.process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)  # the readers start once the writer is storing pages
            with Sampler(db, {"server": server.pid, "writer": writer.process.pid}, every_s=sample_s) as sampler:
                result = run_clients(base, makers, clients=readers, seconds=seconds, think_s=think_s)
    log = writer.log.read_text(encoding="utf-8", errors="replace")
    server_log = db.with_suffix(".server.log").read_text(encoding="utf-8", errors="replace")
    latencies = result.all_latencies()
    return {
        "seconds": seconds, "readers": readers, "requests": result.requests, "statuses": dict(result.statuses),
        "server_errors": result.server_errors, "transport_failures": result.failures[:5],
        "locked_http": result.locked + server_log.count("database is locked"),
        "locked_writer": log.count("database is locked"), "answers": dict(result.answers.most_common(12)),
        "server_log_tail": server_log[-2000:],
        "writer_exit": writer.process.returncode, "writer_log_tail": log[-2000:],
        "p50_ms": percentile(latencies, 0.50), "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "p95_by_endpoint": {name: round(percentile(values, 0.95), 1) for name, values in result.latencies.items()},
        "pages_fed": writer.written, "articles_written": article_total(db) - before,
        "wal_max_bytes": sampler.max_wal(), "wal_series": [s.wal_bytes for s in sampler.samples],
        "server_rss_kib": sampler.series("server", 0), "server_fds": sampler.series("server", 1),
        "writer_rss_kib": sampler.series("writer", 0), "writer_fds": sampler.series("writer", 1),
    }
