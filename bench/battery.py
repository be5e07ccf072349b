"""Long battery runs: BATTERY.md H13, fuzzing parse_feed, the WARC reader and decode_page for minutes each.

Usage (from the repository root; `make battery` runs the pytest `battery_long` tests instead):

    .venv/bin/python bench/battery.py --minutes 10          # 10 min per parser, the BATTERY.md length
    .venv/bin/python bench/battery.py --minutes 1 --targets feed

Each target is fed hypothesis examples built from random buffers (hypothesis' `fuzz_one_input`), seeded
with the H1-H12 inputs of `tests/battery/inputs.py`; a hang past the parser's cap (5 s per feed, 30 s per
document) counts as a failure. Prints one Markdown table row per target for bench/README.md and exits 1
when any example broke the contract (an exception outside the typed set, or a hang).
"""

from __future__ import annotations

import argparse
import logging
import random
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings
from tests.battery import fuzz_targets as targets

logger = logging.getLogger("battery")

TARGETS: dict[str, tuple[Callable[[bytes], None], list[bytes], float]] = {
    "feed": (targets.check_feed, targets.FEED_SEEDS, targets.FEED_CAP_S),
    "warc": (targets.check_warc, targets.WARC_SEEDS, targets.DOC_CAP_S),
    "decode": (targets.check_decode, targets.DECODE_SEEDS, targets.DOC_CAP_S),
}


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang("example ran past the cap")


def fuzz(name: str, seconds: float, seed: int) -> dict[str, object]:
    """Run one target for `seconds`; returns its figures."""
    check, seeds, cap = TARGETS[name]

    @settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(targets.mutated(seeds))
    def run(data: bytes) -> None:
        check(data)

    chooser = random.Random(seed)
    examples = failures = 0
    slowest = 0.0
    first_failure = ""
    signal.signal(signal.SIGALRM, _alarm)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        buffer = chooser.randbytes(chooser.choice((64, 512, 4096, 16384)))
        started = time.monotonic()
        signal.alarm(int(cap) + 5)
        try:
            run.hypothesis.fuzz_one_input(buffer)  # type: ignore[attr-defined]
        except Exception as error:  # a broken contract: keep going, report the first
            failures += 1
            first_failure = first_failure or f"{type(error).__name__}: {str(error)[:200]}"
        finally:
            signal.alarm(0)
        slowest = max(slowest, time.monotonic() - started)
        examples += 1
    return {
        "target": name,
        "minutes": seconds / 60,
        "examples": examples,
        "failures": failures,
        "slowest_s": round(slowest, 3),
        "first_failure": first_failure,
    }


def main() -> int:
    """Run the chosen targets and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0, help="per target (BATTERY.md H13: 10)")
    parser.add_argument("--targets", default="feed,warc,decode", help="comma-separated: feed, warc, decode")
    parser.add_argument("--seed", type=int, default=13)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the parsers log every rejection; figures only here
    results = [fuzz(name, arguments.minutes * 60, arguments.seed) for name in arguments.targets.split(",")]
    sys.stdout.write("| target | minutes | examples | failures | slowest example (s) |\n|---|---|---|---|---|\n")
    for result in results:
        sys.stdout.write(
            f"| {result['target']} | {result['minutes']:g} | {result['examples']} | {result['failures']}"
            f" | {result['slowest_s']} |\n"
        )
        if result["failures"]:
            sys.stdout.write(f"first failure of {result['target']}: {result['first_failure']}\n")
    return 1 if any(result["failures"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
