"""Safety of the web UI and API (BATTERY.md W1-W7), with a stored-XSS corpus built by hand."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from narrascope.cli import main
from narrascope.cli_args import build_parser
from narrascope.errors import NarrascopeError
from narrascope.store import Store
from narrascope.store.browsing import QueryTimeoutError
from narrascope.web import create_app, writes
from narrascope.web.deps import open_store
from narrascope.web.pool import StorePool
from narrascope.web.security import check_bind, is_loopback
from narrascope.web.settings import WebSettings
from narrascope.web.text import safe_href, sanitized_html
from tests.browser.handmade import XSS_PAYLOADS, XSS_URL, XssCorpus, build_seedlike, build_xss
from tests.browser.htmlcheck import dangerous_markup

SRC = Path(__file__).resolve().parents[1] / "src" / "narrascope"
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"


@pytest.fixture(scope="module")
def xss(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, XssCorpus]:
    db = str(tmp_path_factory.mktemp("xss") / "xss.db")
    return db, build_xss(db)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("seedlike") / "seeds.db")
    build_seedlike(db)
    return db


@pytest.fixture(scope="module")
def client(xss: tuple[str, XssCorpus]) -> TestClient:
    return TestClient(create_app(xss[0]))


def _xss_pages(corpus: XssCorpus) -> list[str]:
    pages = ["/", "/narratives", f"/narratives/{corpus.narrative_id}", "/articles", "/speakers",
             f"/speakers/{corpus.speaker_id}", "/outlets", "/search?q=Body"]
    pages += [f"/articles/{article_id}" for article_id in corpus.article_ids]
    pages += [f"/outlets/{quote('Outlet ' + payload, safe='')}" for payload in XSS_PAYLOADS]
    return pages


def _assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"].startswith(CSP)
    assert headers["x-content-type-options"] == "nosniff"


# -- W1: stored XSS in every scraped field comes back escaped, with CSP and nosniff -------------------

def test_web_security_w1_every_page_escapes_the_xss_corpus(client: TestClient, xss: tuple[str, XssCorpus]) -> None:
    for path in _xss_pages(xss[1]):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[-400:])
        _assert_security_headers(response)
        page = response.text
        assert dangerous_markup(page) == [], (path, dangerous_markup(page))
        # The sanitised view of an HTML page rightly keeps the page's own entities; checked structurally above.
        text_views = re.sub(r'<div class="sanitized">.*?</div></details>', "", page, flags=re.S)
        for payload in XSS_PAYLOADS:
            assert payload not in text_views, (path, payload)


def test_web_security_w1_payloads_are_visible_as_text(client: TestClient, xss: tuple[str, XssCorpus]) -> None:
    corpus = xss[1]
    for index, article_id in enumerate(corpus.article_ids):
        page = client.get(f"/articles/{article_id}").text
        shown = str(escape(XSS_PAYLOADS[index]))
        for field in ("Title ", "Outlet ", "Author ", "Body before ", "quote ", "Relay "):
            assert str(escape(field)) + shown in page, (field, XSS_PAYLOADS[index])
    narrative = client.get(f"/narratives/{corpus.narrative_id}").text
    assert str(escape(XSS_PAYLOADS[7])) in narrative  # the entity payload shows its entities, not a tag
    speaker = client.get(f"/speakers/{corpus.speaker_id}").text
    assert "Speaker " + str(escape(XSS_PAYLOADS[0])) in speaker and str(escape(XSS_PAYLOADS[3])) in speaker
    overview = client.get("/").text
    assert str(escape(f"bad {XSS_PAYLOADS[1]}")) in overview and str(escape(f"message {XSS_PAYLOADS[0]}")) in overview


def test_web_security_w1_script_urls_are_never_links(client: TestClient, xss: tuple[str, XssCorpus]) -> None:
    page = client.get(f"/articles/{xss[1].article_ids[1]}").text
    assert str(escape(XSS_URL)) in page and 'href="javascript' not in page.lower()
    assert safe_href(XSS_URL) is None and safe_href(" JaVaScRiPt:alert(1)") is None
    assert safe_href("data:text/html,<script>") is None and safe_href("https://example.org/a") == "https://example.org/a"


def test_web_security_w1_headers_on_every_kind_of_response(client: TestClient, xss: tuple[str, XssCorpus]) -> None:
    paths = ["/", "/api/v1/overview", "/nope", "/api/v1/nope", "/api/v1/narratives?limit=9999",
             "/static/narrascope.css", "/exports/gexf", "/api/v1/openapi.json", f"/articles/{xss[1].article_ids[0]}"]
    for path in paths:
        _assert_security_headers(client.get(path))
    _assert_security_headers(client.post("/api/v1/upload", json={"source": "a", "text": "b"}))


# -- W2: HTML article views go through nh3 ---------------------------------------------------------------

def test_web_security_w2_sanitized_html_keeps_no_script_handler_base_or_data_url() -> None:
    dirty = ('<base href="https://evil.example/"><p onclick="x()">text <a href="javascript:alert(1)">j</a>'
             '<a href="data:text/html,<script>alert(1)</script>">d</a><a href="https://ok.example/">ok</a>'
             '<img src=x onerror=alert(1)><svg><script>alert(1)</script></svg><script>alert(2)</script></p>')
    clean = sanitized_html(dirty)
    assert dangerous_markup(clean) == []
    assert "onclick" not in clean and "<base" not in clean and "javascript:" not in clean and "data:" not in clean
    assert 'href="https://ok.example/"' in clean and "text" in clean


def test_web_security_w2_article_of_an_html_page_shows_the_sanitized_page(
    client: TestClient, xss: tuple[str, XssCorpus]
) -> None:
    page = client.get(f"/articles/{xss[1].html_article_id}").text
    assert "Original page, sanitised HTML" in page
    assert dangerous_markup(page) == []


# -- W3: reflected input ---------------------------------------------------------------------------------

PROBE = "<script>alert('reflected')</script>"


@pytest.mark.parametrize("path", [
    f"/narratives/{quote(PROBE)}", f"/articles/{quote(PROBE)}", f"/no-such-page/{quote(PROBE)}",
    f"/speakers/{quote(PROBE)}?debug=1&trace=1", f"/outlets/{quote(PROBE)}",
])
def test_web_security_w3_not_found_pages_do_not_echo_input(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "reflected" not in response.text and "alert" not in response.text
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", [
    f"/api/v1/narratives/{quote(PROBE)}", f"/api/v1/narratives?limit={quote(PROBE)}",
    f"/api/v1/narratives?sort={quote(PROBE)}", f"/api/v1/articles?offset=-1{quote(PROBE)}",
    f"/api/v1/nothing/{quote(PROBE)}?debug=1",
])
def test_web_security_w3_error_json_does_not_echo_input(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "reflected" not in response.text and "script" not in response.text
    assert response.json()["error"]["status"] == response.status_code


def test_web_security_w3_search_box_reflects_the_query_only_escaped(client: TestClient) -> None:
    page = client.get("/search", params={"q": PROBE + '" autofocus onfocus="alert(1)'}).text
    assert dangerous_markup(page) == [] and PROBE not in page
    assert str(escape(PROBE)) in page


def test_web_security_w3_internal_errors_show_no_traceback(xss: tuple[str, XssCorpus],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope import views

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(views, "overview_record", broken)
    client = TestClient(create_app(xss[0]), raise_server_exceptions=False)
    for path in ("/", "/api/v1/overview?debug=1"):
        response = client.get(path)
        assert response.status_code == 500
        assert "secret detail" not in response.text and "Traceback" not in response.text
        _assert_security_headers(response)


# -- W4: CSRF and write tokens ------------------------------------------------------------------------------

@pytest.fixture
def writable(seeds_db: str, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, list[tuple[str, str]]]:
    calls: list[tuple[str, str]] = []

    def fake_ingest(db_path: str, source: str, text: str) -> dict[str, object]:
        calls.append((source, text))
        return {"status": "stored", "article_id": "abc", "claims": 0}

    monkeypatch.setattr(writes, "ingest_text", fake_ingest)
    return TestClient(create_app(seeds_db, allow_writes=True, token="s3cret-token")), calls


def test_web_security_w4_upload_without_or_with_wrong_token_is_403(
    writable: tuple[TestClient, list[tuple[str, str]]]
) -> None:
    client, calls = writable
    body = {"source": "page.txt", "text": "A page."}
    assert client.post("/api/v1/upload", json=body).status_code == 403
    assert client.post("/api/v1/upload", json=body, headers={"X-Narrascope-Token": "wrong"}).status_code == 403
    assert client.post("/api/v1/upload?token=s3cret-token", json=body,
                       headers={"X-Narrascope-Token": "s3cret-token"}).status_code == 403
    form = "source=a&text=b"
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert client.post("/upload", content=form, headers=headers).status_code == 403
    assert client.post("/upload", content=form + "&token=nope", headers=headers).status_code == 403
    assert calls == []


def test_web_security_w4_upload_with_token_reaches_ingest(writable: tuple[TestClient, list[tuple[str, str]]]) -> None:
    client, calls = writable
    response = client.post("/api/v1/upload", json={"source": "page.txt", "text": "A page."},
                           headers={"X-Narrascope-Token": "s3cret-token"})
    assert response.status_code == 200 and response.json()["status"] == "stored"
    form = "source=form.txt&text=Another+page&token=s3cret-token"
    response = client.post("/upload", content=form, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert calls == [("page.txt", "A page."), ("form.txt", "Another page")]


def test_web_security_w4_token_never_rendered_into_pages(writable: tuple[TestClient, list[tuple[str, str]]]) -> None:
    client, _ = writable
    for path in ("/", "/upload", "/narratives", "/api/v1/overview", "/api/v1/openapi.json"):
        assert "s3cret-token" not in client.get(path).text
    form = client.get("/upload").text
    assert re.search(r'<form action="/upload" method="post"', form)  # the token travels in the POST body


def test_web_security_w4_writes_disabled_refuse_even_with_token(seeds_db: str) -> None:
    client = TestClient(create_app(seeds_db, token="s3cret-token"))
    response = client.post("/api/v1/upload", json={"source": "a", "text": "b"},
                           headers={"X-Narrascope-Token": "s3cret-token"})
    assert response.status_code == 403 and "read-only" in response.json()["error"]["message"]
    with pytest.raises(NarrascopeError):
        create_app(seeds_db, allow_writes=True)


# -- W5: read-only connection, time limit, row cap -----------------------------------------------------------

def test_web_security_w5_request_connection_is_read_only(seeds_db: str) -> None:
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(web=WebSettings(seeds_db),
                                                                        pool=StorePool(seeds_db))))
    dependency = open_store(request)  # type: ignore[arg-type]
    store = next(dependency)
    try:
        assert store.read_only
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._connection.execute("DELETE FROM articles")
    finally:
        dependency.close()
    with Store(seeds_db, read_only=True) as check:
        assert check.counts()["articles"] == 5


def test_web_security_w5_slow_query_is_stopped_with_a_clear_error(seeds_db: str) -> None:
    with Store(seeds_db, read_only=True) as store:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"longer than 0\.2 s"), store.query_deadline(0.2):
            store._connection.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
            ).fetchone()
        assert time.monotonic() - started < 1.5
        assert store.counts()["articles"] == 5  # the connection still works afterwards


def test_web_security_w5_requests_over_the_time_limit_answer_timed_out(seeds_db: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope import views

    def slow(store: Store, **_kwargs: object) -> None:
        store._connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n").fetchone()

    monkeypatch.setattr(views, "narratives_page", slow)
    client = TestClient(create_app(seeds_db, query_timeout=0.2))
    response = client.get("/api/v1/narratives")
    assert response.status_code == 503 and "timed out" in response.json()["error"]["message"]
    page = client.get("/narratives")
    assert page.status_code == 503 and "timed out" in page.text


def test_web_security_w5_page_size_is_capped(client: TestClient) -> None:
    assert client.get("/api/v1/articles?limit=500").status_code == 200
    assert client.get("/api/v1/articles?limit=501").status_code == 422
    assert client.get("/articles?limit=100000").status_code == 422
    assert client.get("/api/v1/articles?limit=0").status_code == 422


# -- W6: exposure ------------------------------------------------------------------------------------------------

def test_web_security_w6_default_bind_is_loopback() -> None:
    arguments = build_parser().parse_args(["serve"])
    assert arguments.host == "127.0.0.1" and is_loopback(arguments.host)
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")


def test_web_security_w6_public_bind_needs_token_or_explicit_flag(seeds_db: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(NarrascopeError, match=r"refusing to listen on 0\.0\.0\.0"):
        check_bind("0.0.0.0", token=None, insecure_public=False)
    check_bind("0.0.0.0", token="t", insecure_public=False)
    check_bind("192.168.1.5", token=None, insecure_public=True)
    assert main(["serve", "--db", seeds_db, "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "refusing to listen" in capsys.readouterr().err


def test_web_security_w6_public_server_with_token_needs_it_for_reads(seeds_db: str) -> None:
    client = TestClient(create_app(seeds_db, token="tok", require_token_for_reads=True))
    assert client.get("/").status_code == 401
    assert client.get("/api/v1/overview", headers={"X-Narrascope-Token": "tok"}).status_code == 200
    assert client.get("/", auth=("analyst", "tok")).status_code == 200
    assert client.get("/", auth=("analyst", "wrong")).status_code == 401


# -- W7: static checks -----------------------------------------------------------------------------------------

def test_web_security_w7_templates_never_mark_fields_safe() -> None:
    templates = list((SRC / "web" / "templates").glob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), template.name
        assert "autoescape false" not in text.replace(" ", " ").lower(), template.name


def test_web_security_w7_every_jinja_environment_autoescapes() -> None:
    found = 0
    for module in SRC.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        for match in re.finditer(r"\bEnvironment\(", text):
            found += 1
            assert "autoescape=True" in text[match.end():match.end() + 300], module
    assert found >= 2
    assert '"S"' in (SRC.parents[1] / "pyproject.toml").read_text()  # ruff's bandit rules (S701) run in CI


def test_web_security_w6_loopback_server_rejects_foreign_host_headers(seeds_db: str) -> None:
    app = create_app(seeds_db, allowed_hosts=["127.0.0.1", "localhost"])
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
    rebound = TestClient(app, base_url="http://attacker.example").get("/api/v1/overview")
    assert rebound.status_code == 400 and "Zamir" not in rebound.text
    _assert_security_headers(rebound)


def test_web_security_w6_serve_refuses_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.db"
    assert main(["serve", "--db", str(missing)]) == 2
    assert "no such database" in capsys.readouterr().err and not missing.exists()
