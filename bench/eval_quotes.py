"""Score claims extraction on PolNeAR: content P/R/F1 and speaker accuracy (dev by default).

Usage: .venv/bin/python bench/eval_quotes.py [--split dev|train] [--limit N] [--cache FILE]

`--cache FILE` keeps the spaCy parses in a DocBin file (see bench/quote_errors.py), so a re-run after
a rule change scores in seconds; the scores are the same as without it. The JSON also gives the
extraction rate (claims and articles per second, parsing included unless the parses were cached).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from quote_errors import CachedNlp, cached_docs

from narrascope.claims import load_nlp
from narrascope.claims.normalise import parser_text
from narrascope.evaluation.quotes import DEFAULT_TAR, evaluate, load_polnear


def main() -> int:
    """Run the evaluation and write the scores as JSON to stdout."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tar", default=str(DEFAULT_TAR))
    parser.add_argument("--cache", default=None, help="DocBin file of parses to reuse (made if missing)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    articles = load_polnear(arguments.split, tar_path=DEFAULT_TAR.__class__(arguments.tar), limit=arguments.limit)
    nlp = load_nlp()
    if arguments.cache:
        docs = cached_docs(nlp, [parser_text(a.text) for a in articles], Path(arguments.cache))
        nlp = CachedNlp(nlp, docs)  # type: ignore[assignment]
    started = time.perf_counter()
    scores = evaluate(articles, nlp)
    seconds = time.perf_counter() - started
    report: dict[str, object] = {"split": arguments.split, "articles": scores.articles, **scores.report()}
    report["seconds"] = round(seconds, 1)
    report["claims_per_second"] = round(scores.slices["all"].predicted / seconds, 1) if seconds else None
    report["articles_per_second"] = round(scores.articles / seconds, 2) if seconds else None
    report["parses_cached"] = bool(arguments.cache)
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
