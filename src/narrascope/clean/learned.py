"""Text mode with the learned line classifier: features -> tree ensemble -> Viterbi -> body.

The model file (line_model.npz beside this module) is trained at development time by
`python bench/train_lines.py --export` (see bench/README.md for the folds and figures); it is
read with numpy only and without pickle. When it is missing (it is not shipped yet: the
cross-validated figures of bench/README.md do not beat the rule cleaner on every set) or does not
match this version's features, the rule cleaner (narrascope.clean.text) is used instead.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrascope.clean.decode import viterbi_body
from narrascope.clean.features import FEATURE_NAMES, line_features
from narrascope.clean.lines import Line, split_lines
from narrascope.clean.trees import ModelFileError, TreeEnsemble, load_ensemble
from narrascope.models import CleanedPage

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("line_model.npz")


@functools.cache
def shipped_model() -> TreeEnsemble | None:
    """The shipped line model, or None (logged) when it cannot be used."""
    if not MODEL_PATH.exists():
        logger.debug("no line model at %s: text mode uses the rule cleaner", MODEL_PATH)
        return None
    try:
        return load_ensemble(MODEL_PATH, FEATURE_NAMES)
    except (ModelFileError, KeyError) as error:
        logger.warning("line model unusable, falling back to the rule cleaner: %s", error)
        return None


def choose_lines(features: npt.NDArray[np.float32], model: TreeEnsemble) -> list[bool]:
    """Which lines are the article's, decoded from the model's per-line probabilities."""
    return viterbi_body(model.probabilities(features), model.settings.get("switch_cost", 2.0))


def assemble_body(lines: list[Line], chosen: list[bool]) -> str:
    """The chosen lines, each once (a block the page repeats keeps its first copy), as paragraphs."""
    kept: list[str] = []
    seen: set[str] = set()
    for line, keep in zip(lines, chosen, strict=True):
        if not keep or not line.key or line.key in seen:
            continue
        seen.add(line.key)
        kept.append(line.text)
    return "\n\n".join(kept)


def clean_lines(text: str, lines: list[Line], model: TreeEnsemble) -> CleanedPage | None:
    """The article of a page already split into lines, or None when the model keeps no line."""
    if not lines:
        return None
    chosen = choose_lines(line_features(lines), model)
    body = assemble_body(lines, chosen)
    if not body:
        return None
    first = chosen.index(True)
    last = len(chosen) - 1 - chosen[::-1].index(True)
    return CleanedPage(body=body, header=text[: lines[first].start].rstrip(), footer=text[lines[last].end :].strip())


def clean_text_learned(text: str) -> CleanedPage | None:
    """The article in a page's text by the shipped model; None when there is no model or no article."""
    from narrascope.clean.text import unwrap_hard_wrapped

    model = shipped_model()
    if model is None:
        return None
    unwrapped = unwrap_hard_wrapped(text)
    return clean_lines(unwrapped, split_lines(unwrapped), model)
