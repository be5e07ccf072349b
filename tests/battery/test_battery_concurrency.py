"""BATTERY.md D5: an ingest writer (`narrascope watch`, fed a new page every second) and 20 readers (HTTP
clients of `narrascope serve` on loopback, mixed pages and API endpoints) at once.

Pass: no "database is locked" anywhere (HTTP answers, the writer's log), no 5xx, the writer keeps storing,
the WAL stays bounded (checkpoints are not starved). Reader p99 is measured and reported; here it is only
a hang guard, because these machines share 2 cores between many jobs (figures in bench/README.md).
A short run is in `make test`; the 10-minute one in `make battery`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.battery.load import writer_and_readers

WAL_BOUND_BYTES = 64 * 1024 * 1024


def _check(figures: dict[str, object]) -> None:
    assert figures["locked_http"] == 0 and figures["locked_writer"] == 0, figures["writer_log_tail"]
    assert figures["server_errors"] == 0, figures["statuses"]
    assert figures["transport_failures"] == [], figures["transport_failures"]
    assert figures["writer_exit"] == 0, figures["writer_log_tail"]
    assert int(figures["articles_written"]) > 0  # type: ignore[call-overload]
    assert int(figures["wal_max_bytes"]) < WAL_BOUND_BYTES  # type: ignore[call-overload]
    assert float(figures["p99_ms"]) < 10_000  # type: ignore[arg-type]  # a hang guard, not a benchmark


@pytest.mark.battery
def test_battery_d5_writer_and_twenty_readers_short(tmp_path: Path) -> None:
    figures = writer_and_readers(tmp_path, seconds=20, readers=20)
    _check(figures)
    assert int(figures["requests"]) > 100  # type: ignore[call-overload]


@pytest.mark.battery_long
def test_battery_d5_writer_and_twenty_readers_ten_minutes(tmp_path: Path) -> None:
    _check(writer_and_readers(tmp_path, seconds=600, readers=20, sample_s=5.0))
