"""Fixtures for browser tests: Debian's chromium driven by Playwright's sync API, the app served by uvicorn."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from narrascope.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(db: str, **options: object) -> Iterator[str]:
    """Serve `create_app(db)` with uvicorn in a background thread on a free loopback port; yields its URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, **options), host="127.0.0.1", port=port,  # type: ignore[arg-type]
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian chromium (never `playwright install`)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium fonts-liberation"
        if os.environ.get("NARRASCOPE_REQUIRE_BROWSER") == "1":  # CI: a missing browser is a failure
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save their screenshots (test-artifacts/ is not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def pipeline_seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The five seed pages through the real pipeline, once per session (skipped when ../shared is absent)."""
    from narrascope.config import Settings
    from narrascope.pipeline import ingest
    from narrascope.store import Store
    from tests.seeds import SEEDS

    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: the seed flow needs ../shared beside the checkout")
    db = str(tmp_path_factory.mktemp("pipeline-seeds") / "seeds.db")
    with Store(db) as store:
        report = ingest([str(SEEDS)], store, Settings(db=db))
        store.sync_search_index()
    assert report.stored == 5, report
    return db
