"""Whole GET answers cached while the database is unchanged, dropped when it changes; `serve --workers`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from narrascope.store import Store
from narrascope.web import create_app
from tests.battery.load import free_port
from tests.browser.handmade import build_seedlike
from tests.helpers import make_article, make_page


def test_web_response_cache_serves_repeats_until_the_database_changes(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    client = TestClient(create_app(db))
    first = client.get("/api/v1/articles")
    again = client.get("/api/v1/articles")
    assert "x-narrascope-cache" not in first.headers and again.headers["x-narrascope-cache"] == "hit"
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert "x-narrascope-cache" not in client.get("/api/v1/articles?limit=1").headers  # another query, another key

    page = make_page("A late page about the Hindu Kush pass.", "late.txt")
    with Store(db) as store:
        store.save_article(page, make_article(page, "A late page about the Hindu Kush pass."), [])
    after = client.get("/api/v1/articles")
    assert "x-narrascope-cache" not in after.headers
    assert after.json()["total"] == first.json()["total"] + 1


def test_web_response_cache_keeps_only_complete_successful_gets(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    client = TestClient(create_app(db, allow_writes=True, token="s3cret"))
    for _ in range(2):
        missing = client.get("/api/v1/articles/no-such-article")
        assert missing.status_code == 404 and "x-narrascope-cache" not in missing.headers
        refused = client.post("/api/v1/upload", json={"source": "a.txt", "text": "b"})
        assert refused.status_code in (401, 403) and "x-narrascope-cache" not in refused.headers


def test_web_response_cache_stays_behind_read_authentication(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    client = TestClient(create_app(db, token="s3cret", require_token_for_reads=True))
    for _ in range(2):
        assert client.get("/api/v1/overview", headers={"X-Narrascope-Token": "s3cret"}).status_code == 200
    assert client.get("/api/v1/overview").status_code == 401  # a cached answer is never handed out unchecked


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _sockets(pid: int) -> int:
    count = 0
    for link in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += link.readlink().name.startswith("socket:")
        except OSError:
            continue
    return count


def test_web_serve_with_two_worker_processes_answers(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    server = subprocess.Popen([sys.executable, "-m", "narrascope.cli", "serve", "--db", db, "--port", str(port),
                               "--workers", "2"], env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        answer = None
        workers: list[int] = []
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/overview", timeout=5)
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.5)
        assert answer is not None and answer.status_code == 200 and answer.json()["counts"]["articles"] == 5
        workers = [child for child in _children(server.pid)
                   if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text(errors="replace")]
        assert len(workers) == 2
        before = {pid: _sockets(pid) for pid in workers}
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for _ in range(20)]
        try:
            assert all(client.get("/api/v1/articles").status_code == 200 for client in clients)
            # Each process has its own socket (SO_REUSEPORT): the kernel spreads 20 connections over both
            # (all 20 on one would happen once in 500,000 runs), where a shared socket let one take them all.
            assert all(_sockets(pid) > before[pid] for pid in workers), (before, {p: _sockets(p) for p in workers})
        finally:
            for client in clients:
                client.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0 and not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_web_response_cache_can_be_turned_off(tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    build_seedlike(db)
    client = TestClient(create_app(db, response_cache=False))
    assert all("x-narrascope-cache" not in client.get("/api/v1/articles").headers for _ in range(2))
