"""Training data for the line classifier: every line of every text rendering, labelled by the gold body.

A line is body when at least half of its word 4-gram shingles occur in the page's gold body
(a line of fewer than four words: when its words occur in that order in the gold). Pages are
grouped by site (the domain of the gold URL) so that cross-validation never tests on a site it
trained on. Used by bench/train_lines.py and bench/eval_extraction.py; reads ../shared/data and writes nothing.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from narrascope.clean.features import line_features
from narrascope.clean.lines import Line, split_lines
from narrascope.clean.text import unwrap_hard_wrapped
from narrascope.evaluation.extraction import tokens

ROOT = Path(__file__).resolve().parents[3]  # the checkout: src/narrascope/evaluation/ is three down
DATA = ROOT.parent / "shared" / "data" / "extraction"
SETS = ("scrapinghub", "wcxb-dev-articles")


@dataclass
class Page:
    """One rendering of one benchmark page with its lines, features and labels."""

    dataset: str
    rendering: str
    key: str
    site: str
    gold: str
    lines: list[Line]
    features: npt.NDArray[np.float32]
    labels: npt.NDArray[np.int8]


def site_of(url: str | None, fallback: str) -> str:
    """The page's site: its URL's host without a leading www."""
    host = urlsplit(url or "").hostname or fallback
    return host.removeprefix("www.")


def load_gold(dataset: str, data: Path = DATA) -> dict[str, tuple[str, str | None, dict[str, str | None]]]:
    """Page key -> (gold body, url, metadata) of one benchmark set."""
    folder = data / dataset
    gold: dict[str, tuple[str, str | None, dict[str, str | None]]] = {}
    if (folder / "ground-truth.json").exists():
        for key, item in json.loads((folder / "ground-truth.json").read_text()).items():
            gold[key] = (item["articleBody"], item.get("url"), {})
    else:
        with gzip.open(folder / "ground-truth.jsonl.gz", "rt", encoding="utf-8") as handle:
            for raw in handle:
                item = json.loads(raw)
                truth = item["ground_truth"]
                meta = {"title": truth.get("title"), "author": truth.get("author"), "date": truth.get("publish_date")}
                gold[item["file_id"]] = (truth.get("main_content") or "", item.get("url"), meta)
    return gold


def label_lines(lines: list[Line], gold: str) -> npt.NDArray[np.int8]:
    """1 for each line whose words are (mostly) in the gold body."""
    gold_words = tokens(gold)
    folded = " " + " ".join(gold_words) + " "
    shingles = {tuple(gold_words[i : i + 4]) for i in range(len(gold_words) - 3)}
    labels = np.zeros(len(lines), dtype=np.int8)
    for position, line in enumerate(lines):
        words = tokens(line.text)
        if not words:
            continue
        if len(words) < 4:
            labels[position] = (" " + " ".join(words) + " ") in folded
            continue
        own = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
        labels[position] = sum(shingle in shingles for shingle in own) * 2 >= len(own)
    return labels


def page_index(renderings: tuple[str, ...], data: Path = DATA) -> list[tuple[str, str, str, str]]:
    """(set, rendering, key, gold body) of every page `load_pages` loads, in its order, without reading them."""
    index: list[tuple[str, str, str, str]] = []
    for dataset in SETS:
        for key, (body, _url, _meta) in load_gold(dataset, data).items():
            index += [(dataset, rendering, key, body) for rendering in renderings
                      if (data / dataset / rendering / f"{key}.txt").exists()]
    return index


def load_pages(rendering_root: Path | None, renderings: tuple[str, ...], data: Path = DATA) -> list[Page]:
    """Every page of both sets in each rendering (folder `<set>/<rendering>/<key>.txt`)."""
    pages: list[Page] = []
    for dataset in SETS:
        for key, (body, url, _meta) in load_gold(dataset, data).items():
            for rendering in renderings:
                base = (rendering_root or data) / dataset / rendering
                path = base / f"{key}.txt"
                if not path.exists():
                    continue
                lines = split_lines(unwrap_hard_wrapped(path.read_text(encoding="utf-8", errors="replace")))
                pages.append(
                    Page(dataset, rendering, key, site_of(url, key), body, lines, line_features(lines),
                         label_lines(lines, body))
                )
    return pages
