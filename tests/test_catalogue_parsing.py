"""Catalogue files: good TOML/YAML load; bad files fail with the file name and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.narratives.catalogue import CatalogueError, load_catalogue

GOOD_TOML = """
threshold = 0.5

[[narratives]]
name = "Discrediting Ukraine"
description = "Ukraine's government or army are portrayed as corrupt or hopeless."
examples = ["Kyiv is run by a corrupt clique"]

[[narratives]]
name = "Ukraine is associated with nazism"
parent = "Discrediting Ukraine"
examples = ["The Kyiv regime glorifies Nazi collaborators"]
"""

GOOD_YAML = """
narratives:
  - name: Discrediting Ukraine
    description: Ukraine's government or army are portrayed as corrupt or hopeless.
  - name: Ukraine is associated with nazism
    parent: Discrediting Ukraine
    examples:
      - The Kyiv regime glorifies Nazi collaborators
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_catalogue_loads_toml_with_parent_and_threshold(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, "known.toml", GOOD_TOML))
    assert [entry.name for entry in catalogue.entries] == ["Discrediting Ukraine", "Ukraine is associated with nazism"]
    assert catalogue.threshold == 0.5
    assert catalogue.ancestors("Ukraine is associated with nazism") == ["Discrediting Ukraine"]
    assert catalogue.children("Discrediting Ukraine") == ["Ukraine is associated with nazism"]
    assert catalogue.entry("Discrediting Ukraine").examples == ("Kyiv is run by a corrupt clique",)


def test_catalogue_loads_yaml_like_toml(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, "known.yaml", GOOD_YAML))
    assert catalogue.entry("Ukraine is associated with nazism").parent == "Discrediting Ukraine"
    assert catalogue.threshold == pytest.approx(0.45)


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("broken.toml", "[[narratives]\nname = 'x'", "not valid TOML"),
    ("broken.yaml", "narratives: [unclosed", "not valid YAML"),
    ("empty.toml", "threshold = 0.4\n", "no narratives"),
    ("noname.toml", "[[narratives]]\ndescription = 'd'\n", "entry 1: 'name' is missing"),
    ("typo.toml", "[[narratives]]\nname = 'A'\nexample = ['x']\n", "unknown key(s) ['example']"),
    ("parent.toml", "[[narratives]]\nname = 'A'\nparent = 'B'\n", "parent 'B' is not in the catalogue"),
    ("twice.toml", "[[narratives]]\nname = 'A'\n[[narratives]]\nname = 'A'\n", "'A' appears twice"),
    ("cycle.toml", "[[narratives]]\nname = 'A'\nparent = 'B'\n[[narratives]]\nname = 'B'\nparent = 'A'\n",
     "cycle"),
    ("examples.toml", "[[narratives]]\nname = 'A'\nexamples = 'one string'\n", "'examples' must be a list"),
    ("threshold.toml", "threshold = 3\n[[narratives]]\nname = 'A'\n", "'threshold' must be a number"),
    ("list.yaml", "- name: A\n", "must be a table/mapping"),
    ("catalogue.json", "{}", "unknown catalogue format '.json'"),
])
def test_catalogue_bad_file_names_file_and_problem(tmp_path: Path, name: str, text: str, problem: str) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_catalogue_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read the catalogue"):
        load_catalogue(tmp_path / "absent.toml")
