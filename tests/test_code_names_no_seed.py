"""Issue 2: nothing in the source names the seeds' people or outlets (rules must be general)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spacy.language import Language

from tests.seeds import seed_paths

pytestmark = pytest.mark.slow
SOURCE = Path(__file__).resolve().parents[1] / "src" / "narrascope"


def test_code_names_none_of_the_seeds_people_or_outlets(nlp: Language) -> None:
    people: set[str] = set()
    outlets: set[str] = set()
    for path in seed_paths():
        document = nlp(path.read_text(encoding="utf-8"))
        people |= {ent.text.strip() for ent in document.ents if ent.label_ == "PERSON" and len(ent.text) > 3}
        outlets |= {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                    if re.fullmatch(r"(?:[A-Z][\w]*\s){1,2}(?:News|English)", line.strip())}
    # Surnames alone too: "Shoigu" must not appear any more than "Sergei Shoigu".
    surnames = {name.split()[-1] for name in people if len(name.split()) > 1 and len(name.split()[-1]) > 4}
    names = people | outlets | surnames
    assert len(names) >= 8, names
    source = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))
    found = sorted(name for name in names if re.search(rf"\b{re.escape(name)}\b", source))
    assert found == [], f"seed names in src: {found}"
