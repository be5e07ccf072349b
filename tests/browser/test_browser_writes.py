"""Real headless Chromium on a write-enabled server: a speaker merge and a catalogue edit through the
pages' forms, then the catalogue's evidence link to the claim highlighted in its article; screenshots."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import serve

pytestmark = pytest.mark.browser
TOKEN = "browser-write-token"
CATALOGUE = """threshold = 0.45

[[narratives]]
name = "The West sponsors terrorism"
description = "Western countries are said to fund or arm terrorist groups."
examples = ["the Anglo-Saxons sponsor the Daesh terrorists"]
"""


@pytest.fixture(scope="module")
def write_server(pipeline_seed_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("browser-writes") / "seeds.db")
    with sqlite3.connect(pipeline_seed_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    yield from serve(db, allow_writes=True, token=TOKEN)


def _open_speaker(page: Any, base: str, name: str) -> str:
    page.goto(base + "/speakers?limit=500")
    page.locator("table.list a", has_text=name).first.click()
    page.wait_for_url("**/speakers/*")
    return str(page.locator("code.speaker-id").inner_text())


def test_browser_merge_a_speaker_through_the_form(browser: Any, write_server: str, screenshots: Path) -> None:
    base = write_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        taliban = _open_speaker(page, base, "Taliban")
        emirate = _open_speaker(page, base, "Islamic Emirate")
        form = page.locator("form.merge")
        form.locator("input[name=into]").fill(taliban)
        form.locator("input[name=token]").fill(TOKEN)
        page.screenshot(path=str(screenshots / "writes-1-speaker-merge-form.png"), full_page=True)
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"**/speakers/{taliban}?changed=merged")
        assert page.locator("p.result").is_visible() and "Merge recorded" in page.locator("p.result").inner_text()
        assert "Islamic Emirate" in page.locator("ul.aliases").inner_text()
        page.screenshot(path=str(screenshots / "writes-2-speaker-merged.png"), full_page=True)
        assert page.goto(base + f"/speakers/{emirate}").status == 404
    finally:
        context.close()


def test_browser_edit_the_catalogue_then_follow_its_evidence(browser: Any, write_server: str,
                                                             screenshots: Path) -> None:
    base = write_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/catalogue")
        page.locator("textarea[name=text]").fill(CATALOGUE)
        page.locator("form.catalogue-edit input[name=token]").fill(TOKEN)
        page.locator("form.catalogue-edit button[type=submit]").click()
        page.wait_for_url("**/catalogue?saved=1", timeout=120_000)
        assert "Catalogue saved and matched" in page.locator("p.result").inner_text()
        entry = page.locator("section.catalogue-entry", has_text="The West sponsors terrorism")
        assert entry.locator("table.matches tbody tr").count() >= 2
        page.screenshot(path=str(screenshots / "writes-3-catalogue-saved.png"), full_page=True)
        evidence = entry.locator("a.evidence", has_text="Anglo-Saxons").first
        evidence.click()
        page.wait_for_url("**/articles/*#claim-*")
        claim_id = page.url.split("#claim-")[1]
        marked = " ".join(page.locator(f"mark.claim[data-claims~='{claim_id}']").all_inner_texts())
        assert "Anglo-Saxons" in marked
        page.screenshot(path=str(screenshots / "writes-4-catalogue-evidence-in-article.png"))
    finally:
        context.close()


def test_browser_upload_files_shows_progress_then_each_outcome(browser: Any, write_server: str, screenshots: Path,
                                                              tmp_path: Path) -> None:
    from tests.test_speakers_overrides import PAGE

    (tmp_path / "bridge.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(write_server + "/upload")
        form = page.locator("form.upload-files")
        form.locator("input[type=file]").set_input_files([str(tmp_path / name) for name in
                                                          ("bridge.txt", "empty.txt", "photo.html")])
        form.locator("input[name=token]").fill(TOKEN)
        form.locator("button[type=submit]").click()
        assert page.locator("#upload-progress").is_visible()
        table = page.locator("#upload-outcomes")
        table.wait_for(state="visible", timeout=120_000)
        assert page.url.endswith("/upload")  # the page stayed: the script sent the files and drew the outcomes
        rows = {row.locator("td").nth(0).inner_text(): row.locator("td").nth(1).inner_text()
                for row in table.locator("tbody tr").all()}
        assert rows == {"bridge.txt": "stored", "empty.txt": "rejected", "photo.html": "rejected"}
        assert "too_small" in table.inner_text() and "binary" in table.inner_text()
        assert "1 stored, 0 already stored, 2 rejected" in page.locator(".progress-note").inner_text()
        page.screenshot(path=str(screenshots / "writes-5-upload-outcomes.png"), full_page=True)
        table.locator("a", has_text="open the article").click()
        page.wait_for_url("**/articles/*")
        assert "Harbour bridge" in page.content()
        assert errors == []
    finally:
        context.close()
