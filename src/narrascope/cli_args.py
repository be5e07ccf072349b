"""The `narrascope` command line's arguments: every command and option, with its help text."""

from __future__ import annotations

import argparse
import os

from narrascope import __version__

# Evaluation drivers (the metrics live in narrascope.evaluation; the drivers read ../shared/data).
EVALUATIONS = {"extraction": "eval_extraction.py", "quotes": "eval_quotes.py", "narratives": "eval_narratives.py",
                "clusters": "eval_clusters.py", "purity": "narrative_purity.py", "corpus": "ingest_corpus.py",
                "stance": "eval_stance.py"}
LISTS = ("articles", "claims", "speakers", "narratives")


def build_parser() -> argparse.ArgumentParser:
    """Every command and option of `narrascope` (cli.main dispatches them)."""
    parser = argparse.ArgumentParser(prog="narrascope",
                                     description="an evidence-linked map of narratives from news pages")
    parser.add_argument("--version", action="version", version=f"narrascope {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def db_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--db", help="SQLite database file or postgresql://user@host/db URL "
                                          "(default: $NARRASCOPE_DB or ./narrascope.db)")

    ingest = commands.add_parser("ingest", help="store pages, their articles, claims and narratives")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.txt, .html, .jsonl, .gz)")
    db_option(ingest)
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ingest.add_argument("--engine", choices=["local", "ray"], default="local",
                        help="where the per-page stages run: this process (default) or a Ray cluster")
    ingest.add_argument("--ray-address", metavar="ADDR", help="Ray cluster to join (\"auto\", ray://host:10001); "
                        "default: start a local one")
    ingest.add_argument("--workers", type=int, default=2, help="Ray workers (actors), one CPU each (default 2)")

    watch = commands.add_parser("watch", help="poll feeds, URL lists and folders on a schedule; ingest what is new")
    watch.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="http(s) URLs (feeds or pages), .urls files (one URL a line), folders or files")
    db_option(watch)
    watch.add_argument("--interval", type=float, default=300.0, metavar="S", help="seconds between polls (300)")
    watch.add_argument("--iterations", type=int, default=None, metavar="N", help="stop after N polls (default: "
                       "until SIGTERM or Ctrl-C)")
    watch.add_argument("--once", action="store_true", help="poll once and exit (same as --iterations 1)")
    watch.add_argument("--nice", type=int, default=10, metavar="N",
                       help="lower this process's CPU priority by N (default 10), so a UI served from the same "
                            "machine stays responsive while pages are ingested; 0 keeps it")

    extract = commands.add_parser("extract", help="print each page's article as JSON, store nothing")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files or folders, or - for standard input")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line (the default)")
    extract.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    for name in LISTS:
        listing = commands.add_parser(name, help=f"list stored {name}")
        db_option(listing)
        listing.add_argument("--json", action="store_true", help="print one JSON array")
        if name == "speakers":
            listing.add_argument("action", nargs="?", choices=["merge", "split"],
                                 help="merge ID INTO_ID: one speaker; split ID: one speaker per name credited")
            listing.add_argument("ids", nargs="*", metavar="ID", help="speaker ids (or their first characters)")
        if name == "narratives":
            listing.add_argument("action", nargs="?", choices=["history"],
                                 help="history: splits, merges and dissolutions recorded by re-clustering")
    match = commands.add_parser("match", help="match stored articles against a catalogue of known narratives")
    match.add_argument("catalogue", metavar="CATALOGUE", help="TOML or YAML file: [[narratives]] name, description, "
                       "examples, parent")
    db_option(match)
    match.add_argument("--json", action="store_true", help="print one JSON array")
    match.add_argument("--save", action="store_true", help="also keep the catalogue and its matches in the database "
                       "(shown and edited on the web UI's catalogue page)")
    evaluate = commands.add_parser("eval", help="run an evaluation on ../shared/data (from a source checkout)")
    evaluate.add_argument("kind", choices=sorted(EVALUATIONS), help="what to evaluate")
    evaluate.add_argument("options", nargs=argparse.REMAINDER, help="passed to the evaluation (see --help)")
    reprocess = commands.add_parser("reprocess", help="run the per-page stages again over the stored pages")
    db_option(reprocess)
    reprocess.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    refresh = commands.add_parser("refresh", help="bring speakers, clusters and narratives up to date with the "
                                  "stored claims (new pages placed incrementally in a large corpus)")
    db_option(refresh)
    refresh.add_argument("--full", action="store_true", help="re-cluster every claim from scratch (what a fresh "
                         "run gives), even where only new pages would be placed")
    for name, about in (("reuse", "passages two articles share, with spans on both sides"),
                        ("outlets", "outlets with the narratives they carry and how early")):
        listing = commands.add_parser(name, help=about)
        db_option(listing)
        listing.add_argument("--json", action="store_true", help="print one JSON array")
    timeline = commands.add_parser("timeline", help="one narrative's statements, articles, relays and reuse")
    timeline.add_argument("narrative", metavar="NARRATIVE", help="narrative id (or its first characters)")
    db_option(timeline)
    timeline.add_argument("--json", action="store_true", help="print one JSON object")

    serve = commands.add_parser("serve", help="web UI and JSON API over a database (read-only by default)")
    db_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (default: 1); one per core serves more readers at once, "
                            "each holding its own caches")
    serve.add_argument("--no-warm", dest="warm", action="store_false",
                       help="do not read the full-text index into memory at start (by default a low-priority "
                            "thread reads it once, up to half the available memory, so first searches are fast)")
    serve.add_argument("--allow-writes", action="store_true", help="enable upload; each write needs the token")
    serve.add_argument("--token", default=os.environ.get("NARRASCOPE_TOKEN"),
                       help="secret for writes, and for every request on a non-loopback bind "
                            "(default: $NARRASCOPE_TOKEN)")
    serve.add_argument("--insecure-public", action="store_true",
                       help="allow a non-loopback bind without a token (anyone who reaches it reads everything)")

    from narrascope.exports import KINDS

    export = commands.add_parser("export", help="write an export: CSV, JSON Lines, GEXF or a narrative dossier")
    export.add_argument("kind", choices=sorted(KINDS), metavar="KIND", help=", ".join(sorted(KINDS)))
    db_option(export)
    export.add_argument("--narrative", help="narrative id: only its claims/articles/graph; needed for dossiers")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    return parser
