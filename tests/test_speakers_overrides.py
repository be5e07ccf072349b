"""Speaker corrections: merge, split and an alias file, kept across recomputation and reprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.cli import main
from narrascope.errors import NarrascopeError
from narrascope.speakers import resolve_speakers
from narrascope.speakers.overrides import Override, apply_alias_names, apply_overrides, load_alias_file
from tests.helpers import make_claim

PAGE = """Harbour bridge to reopen next week, city says

The harbour bridge will reopen next Monday, the city's transport office said on Tuesday.

"The steel deck has passed every load test," said Maria Lopez, the city's chief engineer.

"The bridge is safe," said Mara Lopes, a council member who chairs the transport committee.

Shop owners near the bridge said the closure had cost them a third of their trade.
"""


def test_speakers_merge_and_split_overrides() -> None:
    claims = [make_claim("a", 1, "x", "Jo Bloggs"), make_claim("b", 2, "y", "Joe Blogs"),
              make_claim("c", 3, "z", "Ann Lee")]
    resolution = resolve_speakers(claims)
    ids = {name: resolution.speaker_of_claim[c.id] for name, c in zip(("jo", "joe", "ann"), claims, strict=True)}
    assert ids["jo"] != ids["joe"]
    merged = apply_overrides(resolution, claims, [Override("merge", ids["joe"], ids["jo"])])
    assert merged.speaker_of_claim[claims[1].id] == ids["jo"] and len(merged.speakers) == 2
    assert "Joe Blogs" in next(s for s in merged.speakers if s.id == ids["jo"]).aliases
    split = apply_overrides(merged, claims, [Override("split", ids["jo"])])
    assert len({split.speaker_of_claim[c.id] for c in claims}) == 3
    assert {s.name for s in split.speakers} == {"Jo Bloggs", "Joe Blogs", "Ann Lee"}


def test_speakers_alias_file(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[[speaker]]\nname = "Jo Bloggs"\naliases = ["J. B.", "Joe Blogs"]\n', encoding="utf-8")
    names = load_alias_file(str(path))
    claims = apply_alias_names([make_claim("a", 1, "x", "joe blogs"), make_claim("b", 2, "y", "J. B.")], names)
    assert [c.speaker for c in claims] == ["Jo Bloggs", "Jo Bloggs"]
    path.write_text("[[speaker]]\naliases = 3\n", encoding="utf-8")
    with pytest.raises(NarrascopeError, match=r"aliases\.toml: speaker 1 needs a name"):
        load_alias_file(str(path))


@pytest.mark.slow
def test_speakers_cli_merge_survives_reprocess(tmp_path: Path, db_target: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """On SQLite and on PostgreSQL (db_target)."""
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    db = db_target
    assert main(["ingest", str(tmp_path / "page.txt"), "--db", db, "-q"]) == 0
    capsys.readouterr()
    assert main(["speakers", "--db", db, "--json"]) == 0
    speakers = {s["name"]: s["id"] for s in json.loads(capsys.readouterr().out)}
    assert {"Maria Lopez", "Mara Lopes"} <= set(speakers)
    assert main(["speakers", "merge", speakers["Mara Lopes"][:8], speakers["Maria Lopez"][:8], "--db", db]) == 0
    for command in (["speakers", "--db", db, "--json"], ["reprocess", "--db", db, "-q"]):
        assert main(command) == 0
    capsys.readouterr()
    assert main(["speakers", "--db", db, "--json"]) == 0
    names = {s["name"] for s in json.loads(capsys.readouterr().out)}
    assert "Maria Lopez" in names and "Mara Lopes" not in names
    assert main(["speakers", "merge", "zzzz", "--db", db]) == 2
