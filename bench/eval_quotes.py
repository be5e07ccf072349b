"""Score claims extraction on PolNeAR: content P/R/F1 and speaker accuracy (dev by default).

Usage: .venv/bin/python bench/eval_quotes.py [--split dev|train] [--limit N] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from narrascope.claims import load_nlp
from narrascope.evaluation.quotes import DEFAULT_TAR, evaluate, load_polnear


def main() -> int:
    """Run the evaluation and write the scores as JSON to stdout."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tar", default=str(DEFAULT_TAR))
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    started = time.perf_counter()
    articles = load_polnear(arguments.split, tar_path=DEFAULT_TAR.__class__(arguments.tar), limit=arguments.limit)
    scores = evaluate(articles, load_nlp())
    report = {"split": arguments.split, "articles": scores.articles, **scores.report()}
    report["seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
