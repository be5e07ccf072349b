"""The cross-validation models of the line classifier, to score each benchmark page unseen.

`bench/train_lines.py --cv --save-folds` writes one model per fold (`fold-<n>.npz`, the format
of narrascope.clean.trees) and `folds.json`, which maps every benchmark site to the fold that
held it out. Scoring a page with its site's fold model gives the figure of a page the model
never saw; a site in no fold is scored with the shipped model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from narrascope.clean.features import FEATURE_NAMES
from narrascope.clean.learned import clean_lines, shipped_model
from narrascope.clean.lines import split_lines
from narrascope.clean.markdown import plain_text
from narrascope.clean.text import clean_text, unwrap_hard_wrapped
from narrascope.clean.trees import TreeEnsemble, load_ensemble
from narrascope.models import CleanedPage


@dataclass(frozen=True)
class FoldModels:
    """Site -> the model trained without it."""

    fold_of_site: dict[str, int]
    models: dict[int, TreeEnsemble]

    @classmethod
    def load(cls, folder: Path) -> FoldModels | None:
        """The fold models in `folder`, or None when it holds none."""
        index = folder / "folds.json"
        if not index.exists():
            return None
        fold_of_site = {str(site): int(fold) for site, fold in json.loads(index.read_text())["sites"].items()}
        models = {fold: load_ensemble(folder / f"fold-{fold}.npz", FEATURE_NAMES)
                  for fold in set(fold_of_site.values())}
        return cls(fold_of_site, models)

    def clean(self, text: str, site: str) -> CleanedPage | None:
        """Text mode with the model that held `site` out (the shipped one, or the rules, for other sites)."""
        text = plain_text(text)
        fold = self.fold_of_site.get(site)
        model = self.models[fold] if fold is not None else shipped_model()
        if model is None:
            return clean_text(text)
        unwrapped = unwrap_hard_wrapped(text)
        return clean_lines(unwrapped, split_lines(unwrapped), model)
