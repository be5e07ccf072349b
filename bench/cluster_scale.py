"""Time and memory to cluster 10k and 100k embedded claims: exact average-link vs neighbour-graph clustering.

Run: ``.venv/bin/python bench/cluster_scale.py [--sizes 10000 100000]``. Claims are synthetic but shaped
like real ones: statement centres are real MiniLM sentence vectors (the SemEval and ECB+ caches that
bench/eval_narratives.py and bench/eval_clusters.py leave in /tmp, else random unit vectors), and each
statement's reports sit at cosine ~0.9 from it (paraphrases; narrascope's same-statement cut is 0.84),
with Zipf-like statement sizes (most statements reported once). Each (size, method) runs in a fresh
process so its peak memory (max RSS) is its own.

Methods:
- exact average-link: scipy `linkage(method="average")` on the full condensed distance matrix
  (n^2/2 float64: 0.4 GB at 10k, 40 GB at 100k, so 100k is not run).
- neighbour graph: claims at cosine >= cut (at most the 16 nearest per claim), connected components,
  then exact average-link inside each component. The pairs come from blocked matrix products up to
  20k claims and from a FAISS HNSW index above (narratives/neighbours.py), so 100k and 1M are not n^2.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from narrascope.evaluation.clusters import bcubed
from narrascope.narratives.similarity import average_link_groups

logger = logging.getLogger("cluster_scale")
CUT = 0.80  # average cosine at which reports are one statement (member pairs: 0.75-0.98)
NEIGHBOURS = 16
CACHES = ("/tmp/narrascope-embeddings-semeval.npz", "/tmp/narrascope-embeddings-ecbplus.npz")


def synthetic_claims(count: int, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Unit vectors and the statement each belongs to."""
    rng = np.random.default_rng(seed)
    real = [np.load(path)["vectors"] for path in CACHES if Path(path).exists()]
    pool = np.vstack(real).astype(np.float32) if real else rng.normal(size=(5000, 384)).astype(np.float32)
    pool /= np.linalg.norm(pool, axis=1, keepdims=True)
    sizes: list[int] = []
    while sum(sizes) < count:
        sizes.append(min(int(rng.zipf(2.0)), 50))
    sizes[-1] -= sum(sizes) - count
    # A statement centre: a real sentence vector moved a little, so centres stay on the data's manifold.
    # Statements drawn from the same sentence are near-duplicates (centre cosine ~0.85): confusable on purpose.
    centres = pool[rng.integers(0, len(pool), len(sizes))] + rng.normal(0, 0.02, (len(sizes), pool.shape[1]))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    # Paraphrase spread varies by statement: cosine to the centre ~0.96 (close rewording) to ~0.87.
    spread = rng.uniform(0.01, 0.03, len(sizes))[labels][:, None]
    vectors = centres[labels] + rng.normal(0, 1.0, (count, pool.shape[1])) * spread
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), [str(label) for label in labels.tolist()]


def exact_average_link(vectors: np.ndarray) -> list[list[int]]:
    """scipy average linkage on all pairs."""
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(vectors.astype(np.float64), method="average", metric="cosine")
    labels = fcluster(tree, t=1.0 - CUT, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(index)
    return list(groups.values())


def neighbour_graph(vectors: np.ndarray) -> list[list[int]]:
    """The library's method: kNN graph by blocked products -> components -> average-link in each."""
    return average_link_groups(vectors, CUT, NEIGHBOURS)


def run_one(size: int, method: str) -> dict[str, float]:
    """Cluster `size` claims with `method` in this process; returns seconds, peak MB and B-cubed."""
    vectors, gold = synthetic_claims(size)
    started = time.perf_counter()
    clusters = exact_average_link(vectors) if method == "exact" else neighbour_graph(vectors)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    score = bcubed(clusters, gold)
    return {"seconds": seconds, "peak_mb": peak_mb, "precision": score.precision, "recall": score.recall,
            "f1": score.f1, "clusters": len(clusters), "statements": len(set(gold))}


def main() -> int:
    """Run every (size, method) in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if options.child:
        sys.stdout.write(json.dumps(run_one(int(options.child[0]), options.child[1])) + "\n")
        return 0
    lines = [f"{'claims':>8s} | {'method':32s} | seconds | peak MB | B3 P  | B3 R  | B3 F1 | clusters/statements"]
    for size in options.sizes:
        for method in ("exact", "graph"):
            graph = f"kNN graph (k={NEIGHBOURS}{', HNSW' if size > 20_000 else ''}) + avg-link"
            name = "exact average-link (scipy)" if method == "exact" else graph
            if method == "exact" and size > 30_000:
                lines.append(f"{size:>8d} | {name:32s} | not run: the distance matrix alone is "
                             f"{size * (size - 1) / 2 * 8 / 1e9:.0f} GB")
                continue
            logger.info("clustering %d claims: %s", size, name)
            output = subprocess.run([sys.executable, __file__, "--child", str(size), method], check=True,
                                    capture_output=True, text=True).stdout
            r = json.loads(output)
            lines.append(f"{size:>8d} | {name:32s} | {r['seconds']:7.1f} | {r['peak_mb']:7.0f} | {r['precision']:.3f} "
                         f"| {r['recall']:.3f} | {r['f1']:.3f} | {r['clusters']:.0f}/{r['statements']:.0f}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
