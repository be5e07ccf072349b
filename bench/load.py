"""Load, concurrency and soak runs of BATTERY.md L1, D5 and L2 against a real `narrascope serve` on loopback.

    python bench/load.py l1 [--articles 100000] [--clients 50] [--seconds 300] [--db bench-load.db]
    python bench/load.py d5 [--seconds 600] [--readers 20] [--think 0.5]
    python bench/load.py l2 [--minutes 30] [--readers 5]

l1: a bulk-loaded database (bench/synthetic_corpus.py, through web_latency; reused when --db exists), `--clients` async
HTTP clients on mixed pages and JSON endpoints: p50/p95/p99 by endpoint and the 5xx count.
d5: a `narrascope watch` writer fed a page a second and `--readers` clients: "database is locked" count,
reader percentiles, WAL size. l2: the same with think time for `--minutes`: RSS, open files and WAL size
over time (first, last and max by quarter). Each prints Markdown for bench/README.md and exits 1 when the
battery's pass criterion fails (0 5xx and p95 < 300 ms for l1; 0 locked and no 5xx for d5; 0 locked
and flat series for l2).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.battery.load import percentile, run_clients, serving, url_makers, writer_and_readers


def l1(arguments: argparse.Namespace) -> int:
    import web_latency

    from narrascope.store import Store

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(arguments.db or Path(scratch) / "bench-load.db")
        if not db.exists():
            source = web_latency.build_source()
            print(f"bulk load: {json.dumps(web_latency.bulk_load(source, str(db), arguments.articles))}",
                  file=sys.stderr)
        with Store(str(db), read_only=True) as store:
            counts = store.counts()
        with serving(db, workers=arguments.workers) as (base, _):
            makers = url_makers(db, ids=arguments.ids)
            run_clients(base, makers, clients=4, seconds=10)  # warm the caches
            result = run_clients(base, makers, clients=arguments.clients, seconds=arguments.seconds,
                                 think_s=arguments.think)
    everything = result.all_latencies()
    print(f"Database: {counts['articles']:,} articles, {counts['claims']:,} claims, {counts['narratives']:,} "
          f"narratives; {arguments.clients} concurrent clients for {arguments.seconds:g} s on loopback: "
          f"{result.requests} requests ({result.requests / arguments.seconds:.0f}/s), statuses "
          f"{dict(sorted(result.statuses.items()))}, {len(result.failures)} transport failures; "
          f"{arguments.workers} server processes, {arguments.ids} ids of each kind sampled, think time "
          f"{arguments.think:g} s; {result.cached} answers ({result.cached / max(result.requests, 1):.0%}) from "
          "the response cache.\n")
    print("| endpoint | requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for name, values in result.latencies.items():
        print(f"| `{name}` | {len(values)} | {percentile(values, 0.5):.0f} | {percentile(values, 0.95):.0f} | "
              f"{percentile(values, 0.99):.0f} |")
    p95 = percentile(everything, 0.95)
    print(f"| all | {len(everything)} | {percentile(everything, 0.5):.0f} | {p95:.0f} | "
          f"{percentile(everything, 0.99):.0f} |")
    return 0 if result.server_errors == 0 and not result.failures and p95 < 300 else 1


def _quarters(series: list[int]) -> str:
    if not series:
        return "-"
    size = max(len(series) // 4, 1)
    means = [sum(part) / len(part) for part in (series[i:i + size] for i in range(0, len(series), size)) if part]
    return " / ".join(f"{mean:,.0f}" for mean in means[:4])


def _is_flat(series: list[int], slack: float) -> bool:
    """Last quarter's mean within `slack` of the first quarter's (plus a small absolute allowance)."""
    if len(series) < 8:
        return True
    size = len(series) // 4
    first, last = sum(series[:size]) / size, sum(series[-size:]) / size
    return last <= first * (1 + slack) + 8


def concurrent(arguments: argparse.Namespace, soak: bool) -> int:
    seconds = arguments.minutes * 60 if soak else arguments.seconds
    with tempfile.TemporaryDirectory() as scratch:
        figures = writer_and_readers(Path(scratch), seconds=seconds, readers=arguments.readers,
                                     think_s=arguments.think, sample_s=10.0 if soak else 2.0)
    print(f"{arguments.readers} readers and one `narrascope watch` writer for {seconds / 60:g} min: "
          f"{figures['requests']} requests, statuses {figures['statuses']}, "
          f"'database is locked': {figures['locked_http']} in answers, {figures['locked_writer']} in the writer's "
          f"log; {figures['articles_written']} articles written of {figures['pages_fed']} pages fed; reader p50 "
          f"{float(figures['p50_ms']):.0f} ms, p95 {float(figures['p95_ms']):.0f} ms, "  # type: ignore[arg-type]
          f"p99 {float(figures['p99_ms']):.0f} ms; WAL max {int(figures['wal_max_bytes']) / 2**20:.1f} MiB.")  # type: ignore[call-overload]
    print(f"Non-200 answers by cause: {figures['answers']}")
    locked_free = figures["locked_http"] == 0 and figures["locked_writer"] == 0
    # D5 also wants no 5xx; the soak (L2) is judged on locks and flat series, its 5xx are reported above.
    ok = locked_free and (soak or figures["server_errors"] == 0)
    if soak:
        print("\n| series (quarter means) | values |\n|---|---|")
        flat = True
        for name in ("server_rss_kib", "server_fds", "writer_rss_kib", "writer_fds", "wal_series"):
            series = list(figures[name])  # type: ignore[call-overload]
            slack = 0.25 if "rss" in name else 0.5
            flat_here = _is_flat(series, slack) if name != "wal_series" else max(series, default=0) < 64 * 2**20
            flat = flat and flat_here
            print(f"| {name} | {_quarters(series)} (first {series[0] if series else '-'}, last "
                  f"{series[-1] if series else '-'}, max {max(series, default=0)}){'' if flat_here else ' GROWING'} |")
        ok = ok and flat
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("scenario", choices=["l1", "d5", "l2"])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=30.0)
    # d5/l2: each reader waits a random 0..2x this between requests (an analyst clicking). 0 makes every
    # reader a closed loop that saturates a 2-core machine: then the percentiles measure queueing behind
    # the other readers, not whether the writer holds them up.
    # l1 defaults to 0: 50 clients that never pause, the hardest reading of BATTERY.md L1.
    parser.add_argument("--think", type=float, default=None, help="mean seconds between a reader's requests")
    parser.add_argument("--workers", type=int, default=2, help="l1: server processes (serve --workers)")
    parser.add_argument("--ids", type=int, default=2000, help="l1: ids of each kind the clients pick from")
    arguments = parser.parse_args()
    if arguments.think is None:
        arguments.think = {"l1": 0.0, "l2": 0.2, "d5": 0.5}[arguments.scenario]
    if arguments.scenario == "l1":
        return l1(arguments)
    return concurrent(arguments, soak=arguments.scenario == "l2")


if __name__ == "__main__":
    sys.exit(main())
