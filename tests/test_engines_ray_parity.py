"""`ingest --engine ray` over a WARC.gz gives the same articles and claims (ids, spans) as the local run.

Ray runs in a child process (the CLI, a local 2-CPU cluster): its startup and its threads stay out of
this test process and of every other test.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from narrascope.config import Settings
from narrascope.pipeline import ingest
from narrascope.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub" / "html"
SEEDS = ROOT.parent / "shared" / "seeds"
PAGES = 6


def _write_warc(path: Path) -> None:
    """Benchmark news pages and the seed pages as HTML responses, with an image and a page too small."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        bodies = [gzip.decompress(file.read_bytes()) for file in sorted(HTML.glob("*.html.gz"))[:PAGES]]
        bodies += [("<html><body>" + "".join(f"<p>{line}</p>" for line in file.read_text().splitlines())
                    + "</body></html>").encode() for file in sorted(SEEDS.glob("*.txt"))[:2]]
        bodies.append(b"<html><body>tiny</body></html>")
        for number, body in enumerate(bodies):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example/{number}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example/a.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG" + b"\0" * 64),
                                                      http_headers=image))


def _snapshot(db: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[str, str]],
                                list[tuple[object, ...]], list[tuple[object, ...]]]:
    with Store(db, read_only=True) as store:
        articles = sorted((a.id, a.url, a.title, a.outlet, a.published, a.body) for a in store.articles())
        claims = sorted((c.id, c.article_id, c.section, c.start, c.end, c.text, c.speaker, c.kind)
                        for c in store.claims())
        rejections = sorted((r.source, r.reason) for r in store.rejections())
        narratives = sorted((n.id, n.claim_ids) for n in store.narratives())
        foreign = sorted((e.narrative_id, e.article_id, e.start, e.end, e.claim_id, e.similarity)
                         for e in store.narrative_sentences())
    return articles, claims, rejections, narratives, foreign


def test_ray_run_over_warc_matches_local_run(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _write_warc(archive)
    local_db, ray_db = str(tmp_path / "local.db"), str(tmp_path / "ray.db")
    # A generous parse cap in both runs: on a loaded CI machine a 30 s timeout in one run only would
    # make them differ for a reason that is not the engine.
    settings = Settings(db=local_db)
    settings = replace(settings, ingest=replace(settings.ingest, parse_timeout_s=600.0))
    with Store(local_db) as store:
        report = ingest([str(archive)], store, settings)
    assert report.stored >= PAGES and report.claims > 0
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1",
                   "TRANSFORMERS_OFFLINE": "1", "RAY_DISABLE_USAGE_STATS": "1",
                   "NARRASCOPE_INGEST_PARSE_TIMEOUT_S": "600"}
    command = [sys.executable, "-m", "narrascope.cli", "ingest", str(archive), "--db", ray_db, "--quiet",
               "--engine", "ray", "--workers", "2"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 1, result.stderr  # 1: the tiny page is rejected, as in the local run
    assert f"{report.stored} stored" in result.stderr
    local, ray = _snapshot(local_db), _snapshot(ray_db)
    assert ray[0] == local[0]  # articles
    assert ray[1] == local[1]  # claims: ids, sections, spans, text, speakers
    assert ray[2] == local[2] and ray[2]  # the same typed rejections (the tiny page)
    assert ray[3] == local[3]  # the global stages see the same claims
    assert ray[4] == local[4]  # cross-lingual evidence from the workers' multilingual vectors as from the driver's
    again = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900, check=False)
    assert "0 stored" in again.stderr and _snapshot(ray_db) == ray  # idempotent
