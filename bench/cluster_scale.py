"""Time and memory to cluster 10k to 1M embedded claims: exact average-link, neighbour graph, BERTopic.

Run: ``.venv/bin/python bench/cluster_scale.py [--sizes 10000 100000 1000000] [--peer bertopic]``.
Claims are synthetic but shaped like real ones: statement centres are real MiniLM sentence vectors (the
SemEval and ECB+ caches that bench/eval_narratives.py and bench/eval_clusters.py leave in /tmp, else
random unit vectors), and each statement's reports sit at cosine ~0.9 from it (paraphrases;
narrascope's same-statement cut is 0.84), with Zipf-like statement sizes (most statements reported
once). Each (size, method) runs in a fresh process so its peak memory (max RSS) is its own.

Methods:
- exact average-link: scipy `linkage(method="average")` on the full condensed distance matrix
  (n^2/2 float64: 0.4 GB at 10k, 40 GB at 100k, so 100k is not run).
- neighbour graph: claims at cosine >= cut (at most the 16 nearest per claim), connected components,
  then exact average-link inside each component. The pairs come from blocked matrix products up to
  20k claims and from a FAISS HNSW index above (narratives/neighbours.py), so 100k and 1M are not n^2.
- `--peer bertopic` (sizes up to 100k): BERTopic 0.17 (UMAP to 5 dimensions, then HDBSCAN) on the same
  vectors, passed in as embeddings, run by bench/cluster_peer_bertopic.py in the peer venv's python
  (bench/requirements-peers.txt; a clear message and no peer row when that venv is absent). Its
  outliers (topic -1) count as clusters of one, which is what they are for a claim map.
The 1M claims are generated in numpy batches (about 20 s, not counted in the clustering time).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from narrascope.evaluation.clusters import bcubed
from narrascope.narratives.neighbours import EXACT_LIMIT
from narrascope.narratives.similarity import average_link_groups

logger = logging.getLogger("cluster_scale")
CUT = 0.80  # average cosine at which reports are one statement (member pairs: 0.75-0.98)
NEIGHBOURS = 16
BATCH = 65_536  # claims generated per numpy batch
PEER_PYTHON = Path("/tmp/peers/bin/python")  # bench/requirements-peers.txt says how to make it
PEER_LIMIT = 100_000  # BERTopic beside narrascope up to this size (issue 7: 1M is narrascope alone)
CACHES = ("/tmp/narrascope-embeddings-semeval.npz", "/tmp/narrascope-embeddings-ecbplus.npz")


def synthetic_claims(count: int, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Unit vectors and the statement each belongs to, generated in numpy batches (1M in seconds)."""
    rng = np.random.default_rng(seed)
    real = [np.load(path)["vectors"] for path in CACHES if Path(path).exists()]
    pool = np.vstack(real).astype(np.float32) if real else rng.normal(size=(5000, 384)).astype(np.float32)
    pool /= np.linalg.norm(pool, axis=1, keepdims=True)
    # Zipf statement sizes capped at 50, drawn a batch at a time until they cover `count` claims (the
    # mean size is about 3, so one batch of `count` draws always does); the last one is cut to fit.
    sizes = np.minimum(rng.zipf(2.0, max(count, 1)), 50)
    statements = int(np.searchsorted(np.cumsum(sizes), count)) + 1
    sizes = sizes[:statements]
    sizes[-1] -= int(sizes.sum()) - count
    dimensions = pool.shape[1]
    # A statement centre: a real sentence vector moved a little, so centres stay on the data's manifold.
    # Statements drawn from the same sentence are near-duplicates (centre cosine ~0.85): confusable on purpose.
    centres = pool[rng.integers(0, len(pool), statements)]
    centres += rng.standard_normal((statements, dimensions), dtype=np.float32) * np.float32(0.02)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = np.repeat(np.arange(statements), sizes)
    # Paraphrase spread varies by statement: cosine to the centre ~0.96 (close rewording) to ~0.87.
    spread = rng.uniform(0.01, 0.03, statements).astype(np.float32)
    vectors = np.empty((count, dimensions), dtype=np.float32)
    for start in range(0, count, BATCH):
        batch = labels[start:start + BATCH]
        noise = rng.standard_normal((len(batch), dimensions), dtype=np.float32)
        part = centres[batch] + noise * spread[batch][:, None]
        vectors[start:start + BATCH] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return vectors, [str(label) for label in labels.tolist()]


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
    started = time.perf_counter()
    vectors, gold = synthetic_claims(size)
    generated = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    clusters = exact_average_link(vectors) if method == "exact" else neighbour_graph(vectors)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    score = bcubed(clusters, gold)
    return {"seconds": seconds, "peak_mb": peak_mb, "precision": score.precision, "recall": score.recall,
            "f1": score.f1, "clusters": len(clusters), "statements": len(set(gold)), "generated": generated,
            "cpu": cpu}


def topics_to_clusters(topics: list[int]) -> list[list[int]]:
    """BERTopic's topic per claim as clusters; each outlier (-1) is a cluster of its own."""
    groups: dict[int, list[int]] = {}
    clusters: list[list[int]] = []
    for index, topic in enumerate(topics):
        if topic < 0:
            clusters.append([index])
        else:
            groups.setdefault(topic, []).append(index)
    return clusters + list(groups.values())


def run_bertopic(size: int, python: Path, min_topic_size: int) -> dict[str, float]:
    """BERTopic in the peer venv's own process on the same synthetic claims; B-cubed scored here."""
    vectors, gold = synthetic_claims(size)
    with tempfile.TemporaryDirectory() as scratch:
        vector_file, label_file = Path(scratch) / "vectors.npy", Path(scratch) / "topics.json"
        np.save(vector_file, vectors)
        del vectors
        output = subprocess.run([str(python), str(Path(__file__).with_name("cluster_peer_bertopic.py")),
                                 str(vector_file), str(label_file), "--min-topic-size", str(min_topic_size)],
                                check=True, stdout=subprocess.PIPE, text=True).stdout  # its errors show
        result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
        topics = json.loads(label_file.read_text(encoding="utf-8"))
    clusters = topics_to_clusters(topics)
    score = bcubed(clusters, gold)
    result.update({"precision": score.precision, "recall": score.recall, "f1": score.f1,
                   "clusters": len(clusters), "statements": len(set(gold)),
                   "outliers": sum(1 for topic in topics if topic < 0)})
    return result


class _Table:
    """Rows printed as each run ends, so a long run shows its figures before the last size is done."""

    def append(self, line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _row(size: int, name: str, r: dict[str, float]) -> str:
    return (f"{size:>8d} | {name:40s} | {r['seconds']:7.1f} | {r['peak_mb']:7.0f} | {r['precision']:.3f} "
            f"| {r['recall']:.3f} | {r['f1']:.3f} | {r['clusters']:.0f}/{r['statements']:.0f} | {r['cpu']:.1f}")


def main() -> int:
    """Run every (size, method) in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--peer", choices=["bertopic"], help="also run this peer on the same claims "
                        f"(sizes up to {PEER_LIMIT:,}), in the peer venv's python")
    parser.add_argument("--peer-python", type=Path, default=PEER_PYTHON,
                        help=f"the peer venv's python (default {PEER_PYTHON})")
    parser.add_argument("--peer-min-topic-size", type=int, nargs="+", default=[10, 2],
                        help="BERTopic min_topic_size values to run (10 is its default, 2 its smallest)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if options.child:
        sys.stdout.write(json.dumps(run_one(int(options.child[0]), options.child[1])) + "\n")
        return 0
    if options.peer and not options.peer_python.exists():
        logger.error("peer %s not run: %s not found. Install it with: python3.11 -m venv %s && "
                     "%s/bin/pip install --no-deps -r bench/requirements-peers.txt", options.peer,
                     options.peer_python, options.peer_python.parents[1], options.peer_python.parents[1])
        options.peer = None
    logger.info("load average %.1f at start on %d cores", os.getloadavg()[0], os.cpu_count() or 0)
    table = _Table()
    table.append(f"{'claims':>8s} | {'method':40s} | seconds | peak MB | B3 P  | B3 R  | B3 F1 | clusters/statements"
                 " | CPU s")
    for size in options.sizes:
        for method in ("exact", "graph"):
            graph = f"kNN graph (k={NEIGHBOURS}{', HNSW' if size > EXACT_LIMIT else ''}) + avg-link"
            name = "exact average-link (scipy)" if method == "exact" else graph
            if method == "exact" and size > 30_000:
                table.append(f"{size:>8d} | {name:40s} | not run: the distance matrix alone is "
                             f"{size * (size - 1) / 2 * 8 / 1e9:.0f} GB")
                continue
            logger.info("clustering %d claims: %s", size, name)
            output = subprocess.run([sys.executable, __file__, "--child", str(size), method], check=True,
                                    capture_output=True, text=True).stdout
            result = json.loads(output)
            logger.info("  (%d claims generated in %.1f s, not counted)", size, result["generated"])
            table.append(_row(size, name, result))
        if options.peer == "bertopic" and size <= PEER_LIMIT:
            for min_topic_size in options.peer_min_topic_size:
                name = f"BERTopic 0.17 (UMAP+HDBSCAN, min_topic={min_topic_size})"
                logger.info("clustering %d claims: %s", size, name)
                result = run_bertopic(size, options.peer_python, min_topic_size)
                table.append(_row(size, name, result) + f" ({result['outliers']:.0f} outliers)")
    load = os.getloadavg()
    table.append(f"load average at end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
