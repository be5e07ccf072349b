"""BERTopic on embedded claims given as a .npy file: the peer of bench/cluster_scale.py.

Runs in the peer venv (bench/requirements-peers.txt), not in narrascope's: it imports only numpy and
BERTopic. The embeddings are passed in (`embedding_model=None`: nothing is downloaded or embedded).
Each claim's document text is placeholder words (its index modulo 97: nothing of the gold), so
BERTopic's c-TF-IDF topic words are computed but carry no information. A first, untimed fit on 5,000
of the claims (UMAP's nearest-neighbour descent starts at 4,096) compiles numba's functions, so the
timed fit measures BERTopic, not the compiler; the warm-up's seconds are printed apart. Prints one
JSON line: seconds (fit_transform only), CPU seconds, peak RSS MB; the topic of each claim (-1:
HDBSCAN's outliers) goes to LABELS.json. Usage:
    /tmp/peers/bin/python bench/cluster_peer_bertopic.py VECTORS.npy LABELS.json [--min-topic-size N]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

import numpy as np

WARM_UP = 5000  # claims in the untimed first fit


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _model(min_topic_size: int) -> Any:
    """BERTopic with its own default UMAP and HDBSCAN settings and no embedding model."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    # min_cluster_size follows min_topic_size, as in the HDBSCAN that BERTopic builds by default.
    # No random_state: UMAP would then run on one thread, and BERTopic's default sets none.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False)
    hdbscan_model = HDBSCAN(min_cluster_size=min_topic_size, metric="euclidean",
                            cluster_selection_method="eom", prediction_data=True)
    return BERTopic(embedding_model=None, umap_model=umap_model, hdbscan_model=hdbscan_model,
                    min_topic_size=min_topic_size)


def main(argv: list[str]) -> int:
    """Fit BERTopic on the vectors and write the topics to LABELS.json; the figures go to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("vectors")
    parser.add_argument("labels")
    parser.add_argument("--min-topic-size", type=int, default=10, help="BERTopic's default is 10")
    arguments = parser.parse_args(argv)
    vectors = np.load(arguments.vectors)
    # BERTopic's c-TF-IDF fails on a one-word vocabulary, hence a few placeholder words.
    documents = [f"claim w{index % 97}" for index in range(len(vectors))]
    warm_up = time.perf_counter()
    _model(arguments.min_topic_size).fit_transform(documents[:WARM_UP], embeddings=vectors[:WARM_UP])
    warm_up = time.perf_counter() - warm_up
    model = _model(arguments.min_topic_size)
    cpu, started = _cpu_seconds(), time.perf_counter()
    topics, _ = model.fit_transform(documents, embeddings=vectors)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    with open(arguments.labels, "w", encoding="utf-8") as output:
        json.dump([int(topic) for topic in topics], output)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "warm_up": warm_up}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
