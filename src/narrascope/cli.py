"""Command line: thin commands over the library. stdout carries data alone; messages go to stderr.

Exit status: 0 when every page went in, 1 when some pages failed (count and reasons on stderr),
2 for usage or fatal errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from typing import Any

from narrascope.cli_args import EVALUATIONS, build_parser
from narrascope.cli_text import print_history, print_table, print_timeline
from narrascope.config import Settings
from narrascope.errors import NarrascopeError, PageError
from narrascope.models import Rejection

EXIT_OK, EXIT_SOME_FAILED, EXIT_FATAL = 0, 1, 2
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `narrascope` command."""
    arguments = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="narrascope: %(message)s")
    try:
        from narrascope.runtime import check_runtime

        check_runtime()
        settings = Settings.from_env()
        if getattr(arguments, "db", None):
            settings = replace(settings, db=arguments.db)
        if arguments.command == "ingest":
            return _ingest(arguments.paths, settings, arguments.quiet, arguments)
        if arguments.command == "watch":
            return _watch(arguments, settings)
        if arguments.command == "extract":
            return _extract(arguments.paths, settings, arguments.quiet)
        if arguments.command == "serve":
            return _serve(arguments, settings)
        if arguments.command == "export":
            return _export(arguments, settings)
        if arguments.command == "speakers" and arguments.action:
            return _correct_speakers(arguments.action, arguments.ids, settings)
        if arguments.command == "narratives" and arguments.action:
            return _history(settings, arguments.json)
        if arguments.command == "match":
            if arguments.save:
                return _save_catalogue(arguments.catalogue, settings)
            return _match(arguments.catalogue, settings, arguments.json)
        if arguments.command == "eval":
            return _evaluate(arguments.kind, arguments.options)
        if arguments.command == "reprocess":
            return _reprocess(settings, arguments.quiet)
        if arguments.command == "refresh":
            return _refresh(settings, arguments.full)
        if arguments.command == "timeline":
            return _timeline(arguments.narrative, settings, arguments.json)
        return _list(arguments.command, settings, arguments.json)
    except NarrascopeError as error:
        print(f"narrascope: {error}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print("narrascope: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_FATAL


def _progress(quiet: bool, description: str) -> tuple[Callable[[str], None], Callable[[], None]]:
    if quiet:
        return (lambda _source: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=" pages", file=sys.stderr, leave=False, dynamic_ncols=True)
    return (lambda _source: bar.update(1)), bar.close


def _report_rejections(rejections: Sequence[Rejection], total: int) -> int:
    for rejection in rejections:
        print(f"narrascope: {rejection.source}: {rejection.reason}: {rejection.message}", file=sys.stderr)
    if rejections:
        print(f"narrascope: {len(rejections)} of {total} pages not stored", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


def _ingest(paths: Sequence[str], settings: Settings, quiet: bool, arguments: argparse.Namespace) -> int:
    from narrascope.pipeline import ingest
    from narrascope.store import Store

    step, close = _progress(quiet, "ingest")
    with Store(settings.db) as store:
        try:
            if arguments.engine == "ray":
                from narrascope.engines.ray_engine import RayOptions, ingest_with_ray

                options = RayOptions(address=arguments.ray_address, workers=max(1, arguments.workers))
                report = ingest_with_ray(paths, store, settings, options, progress=step)
            else:
                report = ingest(paths, store, settings, progress=step)
        finally:
            close()
    total = report.stored + report.unchanged + len(report.rejected)
    print(f"narrascope: {report.stored} stored, {report.unchanged} already stored, "
          f"{len(report.rejected)} rejected; database {store.name}", file=sys.stderr)
    return _report_rejections(report.rejected, total)


def _watch(arguments: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        print(f"narrascope: {signal.Signals(signum).name}: stopping after the page in flight", file=sys.stderr)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):  # before the slow imports: a stop during start-up is clean too
        signal.signal(signum, request_stop)

    from narrascope.store import Store
    from narrascope.watch import Watch

    def on_poll(number: int, report: Any, skipped: int) -> None:
        print(f"narrascope: poll {number}: {report.stored} stored, {report.unchanged} already stored, "
              f"{len(report.rejected)} rejected, {skipped} seen before", file=sys.stderr)
        for rejection in report.rejected:
            print(f"narrascope: {rejection.source}: {rejection.reason}: {rejection.message}", file=sys.stderr)

    if arguments.nice < 0:
        raise NarrascopeError(f"--nice {arguments.nice}: only a lower priority (0 or more) can be asked for")
    if arguments.nice:
        os.nice(arguments.nice)  # ingestion is background work: readers of the same database come first
    iterations = 1 if arguments.once else arguments.iterations
    with Store(settings.db) as store:
        watch = Watch(arguments.sources, store, settings, stop=stop)
        report = watch.run(iterations=iterations, interval_s=arguments.interval, on_poll=on_poll)
    print(f"narrascope: watch ended after {report.polls} polls{' (stop requested)' if report.stopped else ''}: "
          f"{report.stored} stored, {len(report.rejected)} rejected; database {settings.db}", file=sys.stderr)
    if report.disk_full:
        print(f"narrascope: {report.disk_full}", file=sys.stderr)
        return EXIT_FATAL
    return EXIT_SOME_FAILED if report.rejected else EXIT_OK


def _extract(paths: Sequence[str], settings: Settings, quiet: bool) -> int:
    from narrascope.articles import build_article
    from narrascope.ingest import iter_pages, page_from_text

    rejections: list[Rejection] = []
    total = 0
    step, close = _progress(quiet, "extract")
    items: list[Any] = []
    for path in paths:
        if path == "-":
            items.append(page_from_text("<stdin>", sys.stdin.read()))
        else:
            items.extend(iter_pages([path], settings.ingest))
    try:
        for item in items:
            total += 1
            step(item.source)
            if isinstance(item, Rejection):
                rejections.append(item)
                continue
            try:
                article = build_article(item)
            except PageError as error:
                rejections.append(Rejection(error.source, error.reason, error.message))
                continue
            record = {"source": article.source, "title": article.title, "outlet": article.outlet,
                      "published": article.published, "author": article.author, "language": article.language,
                      "body": article.body}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        close()
    return _report_rejections(rejections, total)


def _list(kind: str, settings: Settings, as_json: bool) -> int:
    from narrascope import views
    from narrascope.store import Store

    with Store(settings.db, read_only=True) as store:
        records = views.LISTINGS[kind](store)
    if as_json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_table(kind, records, sys.stdout)
    return EXIT_OK


def _history(settings: Settings, as_json: bool) -> int:
    from narrascope.store import Store

    with Store(settings.db, read_only=True) as store:
        changes = store.narrative_history()
    if as_json:
        json.dump([asdict(change) for change in changes], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print_history(changes, sys.stdout)
    return EXIT_OK


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from narrascope.store import Store
    from narrascope.store.dialect import display_target, is_postgres_url
    from narrascope.web import create_app
    from narrascope.web.security import check_bind, is_loopback
    from narrascope.web.server import serve_processes
    from narrascope.web.warm import warm_in_background

    if is_postgres_url(settings.db):
        raise NarrascopeError(f"{display_target(settings.db)}: `serve` works on SQLite databases only for now; "
                              "the other commands (ingest, articles, claims, speakers, narratives, timeline, "
                              "export) work on PostgreSQL")
    check_bind(arguments.host, token=arguments.token, insecure_public=arguments.insecure_public)
    if arguments.workers < 1:
        raise NarrascopeError(f"--workers {arguments.workers}: needs at least one worker process")
    if not os.path.isfile(settings.db):
        raise NarrascopeError(f"{settings.db}: no such database; run `narrascope ingest PATH --db {settings.db}` first")
    try:  # bring the schema up to date and index new articles for search; requests then only read
        with Store(settings.db) as store:
            added = store.sync_search_index()
        if added:
            print(f"narrascope: {added} articles added to the search index", file=sys.stderr)
    except NarrascopeError as error:
        print(f"narrascope: search index not refreshed ({error}); serving read-only", file=sys.stderr)
    if arguments.warm:  # one thread in this process: the worker processes share the OS page cache it fills
        warm_in_background(settings.db, lambda read, seconds: print(
            f"narrascope: full-text index read into memory ({read / 2**20:,.0f} MiB in {seconds:.1f} s)",
            file=sys.stderr))
    loopback = is_loopback(arguments.host)
    # On loopback, only loopback Host headers: a web page cannot DNS-rebind its name onto this server.
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1", arguments.host] if loopback else None
    options = {"allow_writes": arguments.allow_writes, "token": arguments.token,
               "require_token_for_reads": bool(arguments.token) and not loopback, "allowed_hosts": hosts}
    print(f"narrascope: serving {settings.db} on http://{arguments.host}:{arguments.port}/ "
          f"({'writes enabled with token' if arguments.allow_writes else 'read-only'}, "
          f"{arguments.workers} worker process{'es' if arguments.workers > 1 else ''})", file=sys.stderr)
    if arguments.workers == 1:
        uvicorn.run(create_app(settings.db, **options), host=arguments.host, port=arguments.port,
                    log_level="warning", server_header=False)
        return EXIT_OK
    # Several processes, each with its own socket, connections and caches, share the port (one core each).
    serve_processes(settings.db, options, arguments.host, arguments.port, arguments.workers)
    return EXIT_OK


def _export(arguments: argparse.Namespace, settings: Settings) -> int:
    from narrascope.exports import export
    from narrascope.store import Store

    with Store(settings.db, read_only=True) as store:
        text = export(store, arguments.kind, narrative_id=arguments.narrative)
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        print(f"narrascope: wrote {arguments.kind} to {arguments.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _correct_speakers(action: str, given: Sequence[str], settings: Settings) -> int:
    from narrascope.pipeline import correct_speakers
    from narrascope.speakers.overrides import Override
    from narrascope.store import Store

    wanted = 2 if action == "merge" else 1
    if len(given) != wanted:
        print(f"narrascope: speakers {action} takes {wanted} speaker id(s)", file=sys.stderr)
        return EXIT_FATAL
    with Store(settings.db) as store:
        known = [speaker.id for speaker in store.speakers()]
        ids = []
        for prefix in given:
            matches = [speaker_id for speaker_id in known if speaker_id.startswith(prefix)]
            if len(matches) != 1:
                print(f"narrascope: {prefix!r} matches {len(matches)} speakers; `narrascope speakers --json` "
                      "lists their ids", file=sys.stderr)
                return EXIT_FATAL
            ids.append(matches[0])
        correct_speakers(store, settings, Override(action, ids[0], ids[1] if action == "merge" else None))
    print(f"narrascope: speakers {action} {' '.join(ids)} recorded; it survives reprocessing", file=sys.stderr)
    return EXIT_OK


def _save_catalogue(path: str, settings: Settings) -> int:
    from pathlib import Path

    from narrascope.narratives import load_embedder
    from narrascope.narratives.catalogue import CatalogueError
    from narrascope.narratives.catalogue_store import save_catalogue, text_format_of
    from narrascope.store import Store

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot read the catalogue: {error}") from error
    embedder = load_embedder(settings.models.embedding_model)
    with Store(settings.db) as store:
        saved = save_catalogue(store, text, text_format_of(path), embedder.embed, embedder.model_id, source=path)
    print(f"narrascope: catalogue {path} saved: {saved.entries} entries, {saved.articles_matched} of "
          f"{saved.articles_read} articles match", file=sys.stderr)
    return EXIT_OK


def _match(path: str, settings: Settings, as_json: bool) -> int:
    from narrascope.narratives import load_embedder
    from narrascope.narratives.catalogue import load_catalogue
    from narrascope.narratives.catalogue_view import catalogue_matches
    from narrascope.store import Store

    catalogue = load_catalogue(path)
    embedder = load_embedder(settings.models.embedding_model)
    with Store(settings.db, read_only=True) as store:
        records = catalogue_matches(store.articles(), store.claims(), catalogue, embedder.embed)
    if as_json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for record in records:
        sys.stdout.write(f"{record['published'] or 'undated':10}  {record['outlet'] or '-':22.22}  "
                         f"{record['title'] or record['article_id']}\n")
        for match in record["matches"]:
            best = match["evidence"][0] if match["evidence"] else None
            because = f"  <- \"{' '.join(best['passage'].split())[:70]}\"" if best else ""
            sys.stdout.write(f"    {match['confidence']:.2f}  {match['name']}{because}\n")
    sys.stdout.write(f"({len(records)} articles match)\n")
    return EXIT_OK


def _evaluate(kind: str, options: Sequence[str]) -> int:
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "bench" / EVALUATIONS[kind]
    if not script.is_file():
        print(f"narrascope: {script} not found: evaluations run from a source checkout beside ../shared",
              file=sys.stderr)
        return EXIT_FATAL
    saved, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(script), *options]
    sys.path.insert(0, str(script.parent))  # as `python bench/x.py` would: the drivers import their neighbours
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        return int(done.code or 0) if not isinstance(done.code, str) else EXIT_FATAL
    finally:
        sys.argv, sys.path[:] = saved, saved_path
    return EXIT_OK


def _reprocess(settings: Settings, quiet: bool) -> int:
    from narrascope.pipeline import reprocess
    from narrascope.store import Store

    step, close = _progress(quiet, "reprocess")
    with Store(settings.db) as store:
        try:
            report = reprocess(store, settings, progress=step)
        finally:
            close()
    print(f"narrascope: {report.stored} pages reprocessed", file=sys.stderr)
    return _report_rejections(report.rejected, report.stored + len(report.rejected))


def _refresh(settings: Settings, full: bool) -> int:
    from narrascope.pipeline import refresh_derived
    from narrascope.store import Store

    with Store(settings.db) as store:
        ran = refresh_derived(store, settings, full=full)
    print(f"narrascope: derived tables {'refreshed' if ran else 'already up to date'}", file=sys.stderr)
    return 0


def _timeline(narrative_id: str, settings: Settings, as_json: bool) -> int:
    from narrascope import views
    from narrascope.store import Store

    with Store(settings.db, read_only=True) as store:
        record = views.timeline_record(store, narrative_id)
    if record is None:
        print(f"narrascope: no narrative {narrative_id!r}; `narrascope narratives` lists them", file=sys.stderr)
        return EXIT_FATAL
    if as_json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print_timeline(record, sys.stdout)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
