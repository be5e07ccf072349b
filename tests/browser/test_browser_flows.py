"""Real headless Chromium: the stored-XSS trap (W1) and the seed flow of issue 6, with screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import serve
from tests.browser.handmade import XSS_PAYLOADS, XssCorpus, build_seedlike, build_xss

pytestmark = pytest.mark.browser

# Records every assignment to window.__pwned (and any dialog) before a page's own scripts could run.
TRAP = """
window.__pwnedLog = [];
Object.defineProperty(window, '__pwned', {configurable: false,
  set(value) { window.__pwnedLog.push(String(value)); }, get() { return window.__pwnedLog[0]; }});
for (const name of ['alert', 'confirm', 'prompt']) { window[name] = (m) => window.__pwnedLog.push(name + ':' + m); }
"""


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, XssCorpus]]:
    db = str(tmp_path_factory.mktemp("browser-xss") / "xss.db")
    corpus = build_xss(db)
    for url in serve(db):
        yield url, corpus


def _pages(corpus: XssCorpus) -> list[str]:
    pages = ["/", "/narratives", f"/narratives/{corpus.narrative_id}", "/articles", "/speakers",
             f"/speakers/{corpus.speaker_id}", "/outlets", "/search?q=Body"]
    pages += [f"/articles/{article_id}" for article_id in corpus.article_ids]
    return [*pages, f"/outlets/{quote('Outlet ' + XSS_PAYLOADS[1], safe='')}"]


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_browser_xss_trap_never_fires(browser: Any, xss_server: tuple[str, XssCorpus], screenshots: Path,
                                      bypass_csp: bool) -> None:
    base, corpus = xss_server
    context = browser.new_context(bypass_csp=bypass_csp)
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in _pages(corpus):
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.status == 200, path
            headers = response.headers
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            for details in page.locator("details").all():  # open the original-page views too
                details.evaluate("element => element.open = true")
            page.wait_for_timeout(50)
            assert page.evaluate("window.__pwnedLog") == [], path
            assert page.locator("a[href^='javascript' i], base, iframe, script").count() == 0, path
        page.goto(base + f"/articles/{corpus.article_ids[0]}")
        text = page.inner_text("body")
        for field in ("Title ", "Author ", "Outlet ", "Body before "):
            assert field + XSS_PAYLOADS[0] in text, field
        if not bypass_csp:
            page.screenshot(path=str(screenshots / "xss-article.png"), full_page=True)
        assert page.evaluate("window.__pwnedLog") == [] and dialogs == []
        page.evaluate("window.__pwned = 'probe'")  # the trap is armed: an assignment would have been seen
        assert page.evaluate("window.__pwnedLog") == ["probe"]
    finally:
        context.close()


@pytest.fixture(scope="module", params=["pipeline", "handmade"])
def seed_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp(f"browser-{request.param}")
    if request.param == "pipeline":
        db = request.getfixturevalue("pipeline_seed_db")
    else:
        db = str(tmp / "seeds.db")
        build_seedlike(db)
    for url in serve(db):
        yield url, str(request.param)


def test_browser_seed_flow_overview_to_kabulov_in_both_articles_to_dossier(
    browser: Any, seed_server: tuple[str, str], screenshots: Path, tmp_path: Path
) -> None:
    base, kind = seed_server
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/")
        page.screenshot(path=str(screenshots / f"{kind}-1-overview.png"), full_page=True)
        row = page.locator("table.list tr").filter(has=page.locator("td:nth-child(2)", has_text="5")).first
        row.locator("a.narrative-link").click()
        page.wait_for_url("**/narratives/*")
        assert page.locator("svg rect").count() >= 2  # the timeline
        page.screenshot(path=str(screenshots / f"{kind}-2-narrative.png"), full_page=True)
        narrative_url = page.url

        item = page.locator("li.claim-item").filter(has=page.locator(".who", has_text="Kabulov")).filter(
            has=page.locator("a.evidence", has_text="Anglo-Saxons")).first
        item.locator("a.evidence").click()
        page.wait_for_url("**/articles/*#claim-*")
        first_article, claim_id = page.url.split("/articles/")[1].split("#claim-")
        mark = page.locator(f"mark.claim[data-claims~='{claim_id}']")
        assert "Anglo-Saxons" in " ".join(mark.all_inner_texts())
        assert mark.first.is_visible() and mark.first.evaluate("e => getComputedStyle(e).backgroundColor") not in (
            "rgba(0, 0, 0, 0)", "transparent")
        assert page.evaluate("location.hash") == f"#claim-{claim_id}"
        page.screenshot(path=str(screenshots / f"{kind}-3-first-article.png"))

        links = page.locator(f"li.claim-item[data-claim='{claim_id}'] a.same-statement")
        targets = [href for href in (links.nth(i).get_attribute("href") for i in range(links.count())) if href]
        assert targets, "the claim cluster links no other article"
        found = False
        for href in targets:
            if href.startswith(f"/articles/{first_article}"):
                continue
            page.goto(base + href)
            other_claim = href.split("#claim-")[1]
            texts = page.locator(f"mark.claim[data-claims~='{other_claim}']").all_inner_texts()
            if "Anglo-Saxons" in " ".join(texts):
                found = True
                page.screenshot(path=str(screenshots / f"{kind}-4-second-article.png"))
                break
        assert found, "no other article highlights Kabulov's Anglo-Saxons claim"

        page.goto(narrative_url)
        for link_id, suffix in (("dossier-md", "md"), ("dossier-html", "html")):
            with page.expect_download() as download_info:
                page.click(f"#{link_id}")
            saved = tmp_path / f"dossier.{suffix}"
            download_info.value.save_as(str(saved))
            dossier = saved.read_text(encoding="utf-8")
            assert "Anglo" in dossier and first_article in dossier and "characters" in dossier
        page.screenshot(path=str(screenshots / f"{kind}-5-dossier-exported.png"))
    finally:
        context.close()
