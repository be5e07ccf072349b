"""H13 in `make test`: a few dozen hypothesis examples per parser, seeded with the H1-H12 inputs.

The 10-minute runs per parser are `bench/battery.py` (see its docstring) and the `battery_long` tests.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from tests.battery import fuzz_targets as targets

pytestmark = pytest.mark.battery

FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(max_examples=int(os.environ.get("NARRASCOPE_FUZZ_EXAMPLES", "5000")), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("seed", targets.FEED_SEEDS)
def test_battery_h13_feed_seeds(seed: bytes) -> None:
    targets.check_feed(seed)


@pytest.mark.parametrize("seed", targets.WARC_SEEDS)
def test_battery_h13_warc_seeds(seed: bytes) -> None:
    targets.check_warc(seed)


@FAST
@given(targets.mutated(targets.FEED_SEEDS))
def test_battery_h13_fuzz_feed(data: bytes) -> None:
    targets.check_feed(data)


@FAST
@given(targets.mutated(targets.WARC_SEEDS))
def test_battery_h13_fuzz_warc(data: bytes) -> None:
    targets.check_warc(data)


@FAST
@given(targets.mutated(targets.DECODE_SEEDS))
def test_battery_h13_fuzz_decode(data: bytes) -> None:
    targets.check_decode(data)


@pytest.mark.battery_long
@LONG
@given(targets.mutated(targets.FEED_SEEDS))
def test_battery_long_fuzz_feed(data: bytes) -> None:
    targets.check_feed(data)


@pytest.mark.battery_long
@LONG
@given(targets.mutated(targets.WARC_SEEDS))
def test_battery_long_fuzz_warc(data: bytes) -> None:
    targets.check_warc(data)


@pytest.mark.battery_long
@LONG
@given(targets.mutated(targets.DECODE_SEEDS))
def test_battery_long_fuzz_decode(data: bytes) -> None:
    targets.check_decode(data)
