"""CLI ingest and extract: bad input gets a clear message naming the file and the reason; the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.cli import main

pytestmark = pytest.mark.slow

ARTICLE = """Daily Ledger

Harbour bridge to reopen next week, city says

By Jane Doe - March 3 2021

The harbour bridge will reopen to traffic next Monday after three months of repairs, the city's
transport office said on Tuesday.

"The steel deck has passed every load test," said Maria Lopez, the city's chief engineer. "We are
confident it will carry traffic for another fifty years."

Lopez added that cyclists would get a separate lane for the first time.

Shop owners near the bridge said the closure had cost them a third of their trade.
"""


def _write_batch(folder: Path) -> None:
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (folder / "huge.txt").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    russian = ("Министр обороны заявил в пятницу, что главная угроза безопасности исходит из соседней "
               "страны, где укрепились вооружённые группировки.\n\n"
               "По его словам, ситуация на границе остаётся напряжённой, и войска приведены в состояние "
               "повышенной готовности.\n\n"
               "Эксперты считают, что заявление связано с предстоящими переговорами в столице региона на "
               "следующей неделе.\n")
    (folder / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    (folder / "latin1.txt").write_bytes(ARTICLE.replace("city", "cité").encode("latin-1"))
    (folder / "menu.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<footer>© 2024</footer></body></html>", encoding="utf-8")


def test_cli_ingest_bad_pages_named_batch_goes_on(tmp_path: Path, db_target: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    _write_batch(pages)
    db = db_target
    assert main(["ingest", str(pages), "--db", db, "-q"]) == 1
    errors = capsys.readouterr().err
    for name, reason in [("empty.txt", "too_small"), ("binary.txt", "binary"), ("huge.txt", "too_large"),
                         ("menu.html", "empty_extraction")]:
        assert any(name in line and reason in line for line in errors.splitlines()), (name, errors)
    assert "4 of 7 pages not stored" in errors
    assert main(["articles", "--db", db, "--json"]) == 0
    articles = {Path(a["source"]).name: a for a in json.loads(capsys.readouterr().out)}
    assert set(articles) == {"good.txt", "cp1251.txt", "latin1.txt"}
    assert "Министр обороны" in articles["cp1251.txt"]["body"] and articles["cp1251.txt"]["language"] == "ru"
    assert "cité" in articles["latin1.txt"]["body"]
    assert main(["claims", "--db", db, "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)
    good = [c for c in claims if c["article_id"] == articles["good.txt"]["id"]]
    assert any(c["speaker"] == "Maria Lopez" and c["kind"] == "direct" for c in good)


def test_cli_ingest_twice_exit_zero_and_nothing_new(tmp_path: Path, db_target: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    db = db_target
    assert main(["ingest", str(tmp_path / "good.txt"), "--db", db, "-q"]) == 0
    assert main(["ingest", str(tmp_path / "good.txt"), "--db", db, "-q"]) == 0
    assert "0 stored, 1 already stored" in capsys.readouterr().err


def test_cli_extract_jsonl_stores_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["extract", str(tmp_path), "--jsonl", "-q"]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert len(lines) == 1
    record = lines[0]
    assert set(record) == {"source", "title", "outlet", "published", "author", "language", "body"}
    assert record["title"] == "Harbour bridge to reopen next week, city says"
    assert record["published"] == "2021-03-03" and record["author"] == "Jane Doe"
    assert "empty.txt" in captured.err and not list(tmp_path.glob("*.db"))


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_cli_missing_database_exits_2(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing SQLite file, or a PostgreSQL database without the schema."""
    assert main(["claims", "--db", db_target]) == 2
    assert "narrascope ingest" in capsys.readouterr().err


def test_cli_database_url_from_environment_and_unreachable_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """NARRASCOPE_DB takes a URL as --db does; a server that is not there is a clear error, password hidden."""
    monkeypatch.setenv("NARRASCOPE_DB", f"postgresql://someone:hunter2@/nodb?host={tmp_path}")
    assert main(["articles"]) == 2
    error = capsys.readouterr().err
    assert "cannot connect to PostgreSQL" in error and "hunter2" not in error and "someone:***@" in error


def test_cli_serve_on_postgresql_says_it_is_sqlite_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", "postgresql://u@localhost/db"]) == 2
    assert "`serve` works on SQLite databases only" in capsys.readouterr().err
