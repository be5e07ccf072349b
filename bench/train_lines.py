"""Train and cross-validate the text-mode line classifier; write the shipped model file.

Usage:
    python bench/train_lines.py --cv            # grouped 5-fold CV: figures on pages of unseen sites only
    python bench/train_lines.py --cv --save-folds   # ... and write the fold models to bench/models/
    python bench/train_lines.py --export        # train on all pages, write src/narrascope/clean/line_model.npz
    python bench/train_lines.py --cv --extra DIR --extra-renderings lynx,html2text,chromium
                                                # also score other renderers' text with the fold models

Data: both renderings (text/ by inscriptis, text-w3m/ by w3m) of scrapinghub and
wcxb-dev-articles under ../shared/data/extraction. Folds: GroupKFold(5) over sites (the domain of
each page's gold URL), the two sets pooled, both renderings of a page in the same fold. Each page
in the CV figures was scored by a model that saw no page of its site in any rendering.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from narrascope.clean.features import FEATURE_NAMES
from narrascope.clean.learned import MODEL_PATH, assemble_body, choose_lines
from narrascope.clean.trees import TreeEnsemble, from_sklearn, save_ensemble
from narrascope.evaluation.benchmark_pages import SETS, Page, load_pages, page_index
from narrascope.evaluation.extraction import score_pages

RENDERINGS = ("text", "text-w3m")
FOLD_DIR = Path(__file__).resolve().parent / "models"
PARAMETERS = {"max_iter": 80, "learning_rate": 0.2, "max_leaf_nodes": 31, "min_samples_leaf": 40,
              "l2_regularization": 1.0}
SETTINGS = {"switch_cost": 2.0}
FOLDS = 5
PARTS = Path(tempfile.gettempdir()) / "narrascope-cv"  # held-out bodies of --fold runs (outside the repo)


def cached(path: Path | None, load: Callable[[], list[Page]]) -> list[Page]:
    """`load()`, or its result kept in `path` by an earlier run (a development cache, never shipped)."""
    if path is not None and path.exists():
        with path.open("rb") as handle:
            pages: list[Page] = pickle.load(handle)  # our own file from an earlier run of this script
        return pages
    pages = load()
    if path is not None:
        with path.open("wb") as handle:
            pickle.dump(pages, handle)
    return pages


def weights(pages: list[Page]) -> npt.NDArray[np.float64]:
    """Each line weighs its word count, each page's lines summing to the same total (the metric is per page)."""
    parts = []
    for page in pages:
        words = np.array([max(line.words, 1) for line in page.lines], dtype=np.float64)
        parts.append(words / max(words.sum(), 1.0) * 100.0)
    return np.concatenate(parts) if parts else np.zeros(0)


def fit(pages: list[Page]) -> HistGradientBoostingClassifier:
    """A classifier trained on the lines of `pages`, one rendering of each page (alternating by key).

    Both renderings of a page say nearly the same thing; training on one of them halves the cost.
    """
    pages = [page for page in pages if RENDERINGS.index(page.rendering) == sum(map(ord, page.key)) % 2]
    rows = np.vstack([page.features for page in pages])
    labels = np.concatenate([page.labels for page in pages])
    model = HistGradientBoostingClassifier(random_state=0, **PARAMETERS)  # type: ignore[arg-type]
    model.fit(rows, labels, sample_weight=weights(pages))
    return model


def to_ensemble(model: HistGradientBoostingClassifier, settings: dict[str, float]) -> TreeEnsemble:
    """The fitted model as the shipped arrays."""
    return from_sklearn(model, FEATURE_NAMES, settings)


def site_folds(pages: list[Page]) -> dict[str, int]:
    """Site -> fold number (GroupKFold over sites, both sets pooled)."""
    sites = sorted({page.site for page in pages})
    index = {site: position for position, site in enumerate(sites)}
    groups = np.array([index[page.site] for page in pages])
    fold_of: dict[str, int] = {}
    for fold, (_train, test) in enumerate(GroupKFold(n_splits=FOLDS).split(groups, groups=groups)):
        for position in test:
            fold_of[pages[position].site] = fold
    return fold_of


def report(title: str, pages: list[Page], bodies: list[str]) -> None:
    """F1/P/R (4-gram shingles) and bag-of-words F1 per set and rendering."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for page, body in zip(pages, bodies, strict=True):
        groups.setdefault((page.dataset, page.rendering), []).append((body, page.gold))
    for (dataset, rendering), pairs in sorted(groups.items()):
        shingle, words = score_pages(pairs, 4), score_pages(pairs, 1)
        print(f"{title:<10} {dataset:<18} {rendering:<10} F1 {shingle.f1:.3f} P {shingle.precision:.3f} "
              f"R {shingle.recall:.3f} BoW {words.f1:.3f} pages {shingle.pages}", flush=True)


def cross_validate(
    pages: list[Page], extra: list[Page], settings: dict[str, float], save: Path | None, only_fold: int | None = None
) -> None:
    """Train on four folds of sites, score the fifth; print figures for the held-out pages only."""
    fold_of = site_folds(pages)
    if only_fold is not None:
        train = [page for page in pages if fold_of[page.site] != only_fold]
        ensemble = to_ensemble(fit(train), settings)
        if save is not None:
            save_ensemble(save / f"fold-{only_fold}.npz", ensemble)
        held_out = {str(position): assemble_body(page.lines, choose_lines(page.features, ensemble))
                    for position, page in enumerate(pages) if fold_of[page.site] == only_fold}
        PARTS.mkdir(parents=True, exist_ok=True)
        (PARTS / f"fold-{only_fold}.json").write_text(json.dumps(held_out))
        return
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / "folds.json").write_text(json.dumps({"folds": FOLDS, "sites": dict(sorted(fold_of.items()))}, indent=0))
    bodies: dict[int, str] = {}
    extra_bodies: dict[int, str] = {}
    for fold in range(FOLDS):
        train = [page for page in pages if fold_of[page.site] != fold]
        ensemble = to_ensemble(fit(train), settings)
        if save is not None:
            save_ensemble(save / f"fold-{fold}.npz", ensemble)
        for position, page in enumerate(pages):
            if fold_of[page.site] == fold:
                bodies[position] = assemble_body(page.lines, choose_lines(page.features, ensemble))
        for position, page in enumerate(extra):
            if fold_of.get(page.site, -1) in (fold, -1) and position not in extra_bodies:
                extra_bodies[position] = assemble_body(page.lines, choose_lines(page.features, ensemble))
        print(f"fold {fold}: trained on {len(train)} renderings", file=sys.stderr, flush=True)
    report("cv", pages, [bodies[position] for position in range(len(pages))])
    if extra:
        report("cv-other", extra, [extra_bodies[position] for position in range(len(extra))])


def merge() -> None:
    """Print the CV figures from the held-out bodies that the `--fold` runs wrote."""
    bodies: dict[int, str] = {}
    for fold in range(FOLDS):
        bodies.update({int(k): v for k, v in json.loads((PARTS / f"fold-{fold}.json").read_text()).items()})
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for position, (dataset, rendering, _key, gold) in enumerate(page_index(RENDERINGS)):
        groups.setdefault((dataset, rendering), []).append((bodies[position], gold))
    for (dataset, rendering), pairs in sorted(groups.items()):
        shingle, words = score_pages(pairs, 4), score_pages(pairs, 1)
        print(f"cv         {dataset:<18} {rendering:<10} F1 {shingle.f1:.3f} P {shingle.precision:.3f} "
              f"R {shingle.recall:.3f} BoW {words.f1:.3f} pages {shingle.pages}", flush=True)


def main() -> int:
    """Run the CV and/or write the model."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="grouped cross-validation figures")
    parser.add_argument("--export", action="store_true", help=f"train on all pages and write {MODEL_PATH.name}")
    parser.add_argument("--extra", type=Path, help="folder <set>/<rendering>/<key>.txt of other renderings")
    parser.add_argument("--extra-renderings", default="", help="comma-separated renderings under --extra")
    parser.add_argument("--save-folds", action="store_true", help=f"write the fold models to {FOLD_DIR}")
    parser.add_argument("--fold", type=int, help="with --cv: run only this fold (parallel runs), then --merge")
    parser.add_argument("--merge", action="store_true", help="print the CV figures of the --fold runs")
    parser.add_argument("--cache", type=Path, help="keep the loaded pages in this file (outside the repo)")
    parser.add_argument("--switch-cost", type=float, default=SETTINGS["switch_cost"])
    args = parser.parse_args()
    if args.merge:
        merge()
        return 0
    started = time.perf_counter()
    pages = cached(args.cache, lambda: load_pages(None, RENDERINGS))
    print(f"{len(pages)} renderings of {SETS} loaded in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    settings = {"switch_cost": args.switch_cost}
    if args.cv:
        extra = load_pages(args.extra, tuple(filter(None, args.extra_renderings.split(",")))) if args.extra else []
        if args.save_folds:
            FOLD_DIR.mkdir(parents=True, exist_ok=True)
            (FOLD_DIR / "folds.json").write_text(json.dumps({"folds": FOLDS, "sites": dict(sorted(
                site_folds(pages).items()))}, indent=0))
        cross_validate(pages, extra, settings, FOLD_DIR if args.save_folds else None, args.fold)

    if args.export:
        save_ensemble(MODEL_PATH, to_ensemble(fit(pages), settings))
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
