"""Cost of the global refresh (speakers, clusters, narratives, stance, reuse) on a bulk-loaded database.

Copies the database given (so the bench database stays as loaded), then runs `refresh_derived(force=True)`
over all its claims once, in this process, and prints seconds, peak RSS and the database's size: the
global half of "adding pages to a large corpus" (the per-page half is bench/source_corpus.py's figure).

    python bench/scale_refresh.py --db /tmp/narrascope-scale/10k.db
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from narrascope.config import Settings
from narrascope.pipeline import refresh_derived
from narrascope.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, type=Path)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=arguments.db.parent) as scratch:
        db = Path(scratch) / arguments.db.name
        shutil.copy(arguments.db, db)
        size = db.stat().st_size / 2**20
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with Store(str(db)) as store:
            refresh_derived(store, Settings(db=str(db)), force=True)
            counts = store.counts()
        seconds = time.perf_counter() - started
    print(json.dumps(counts | {"db_mib": round(size), "refresh_seconds": round(seconds, 1),
                               "rss_before_mib": round(before),
                               "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
