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
