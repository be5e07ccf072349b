"""Isolation: timeouts, memory caps and crashes become typed PageErrors; killed workers are replaced."""

from __future__ import annotations

import os
import time

import pytest

from narrascope.errors import PageError
from narrascope.isolation import IsolatedWorker, WorkerPool, parse_isolated
from tests.battery import isolation_tasks as tasks


@pytest.fixture
def worker() -> IsolatedWorker:
    with IsolatedWorker(timeout_s=1.0, memory_bytes=512 * 1024**2) as isolated:
        yield isolated


def test_isolation_returns_result(worker: IsolatedWorker) -> None:
    assert worker.run(tasks.echo, {"a": [1, 2]}, source="s") == {"a": [1, 2]}
    assert worker.pid != os.getpid()


def test_isolation_timeout_kills_and_replaces_worker(worker: IsolatedWorker) -> None:
    first_pid = worker.run(tasks.worker_pid, None)
    started = time.monotonic()
    with pytest.raises(PageError) as caught:
        worker.run(tasks.busy_loop, None, source="hang.html")
    assert caught.value.reason == "timeout"
    assert caught.value.source == "hang.html"
    assert time.monotonic() - started < 5
    second_pid = worker.run(tasks.worker_pid, None)
    assert second_pid != first_pid
    assert worker.restarts == 1


def test_isolation_memory_cap(worker: IsolatedWorker) -> None:
    with pytest.raises(PageError) as caught:
        worker.run(tasks.allocate, 1024**3, source="big")  # 1 GiB under a 512 MiB cap
    assert caught.value.reason == "memory"
    assert worker.run(tasks.allocate, 1024) == 1024  # the replacement worker still works


def test_isolation_crash_is_typed(worker: IsolatedWorker) -> None:
    with pytest.raises(PageError) as caught:
        worker.run(tasks.abort, None, source="crash")
    assert caught.value.reason == "crashed"
    assert worker.run(tasks.echo, 5) == 5


def test_isolation_keeps_page_error_reason(worker: IsolatedWorker) -> None:
    with pytest.raises(PageError) as caught:
        worker.run(tasks.reject, "entity_amplification", source="outer")
    assert (caught.value.source, caught.value.reason) == ("inner-source", "entity_amplification")


def test_isolation_unexpected_error_is_internal_error(worker: IsolatedWorker) -> None:
    with pytest.raises(PageError) as caught:
        worker.run(tasks.fail, None, source="x")
    assert caught.value.reason == "internal_error"
    assert "ValueError: boom" in caught.value.message


def test_isolation_parse_isolated_shared_worker() -> None:
    assert parse_isolated(tasks.echo, b"abc", source="s", timeout_s=5) == b"abc"
    with pytest.raises(PageError) as caught:
        parse_isolated(tasks.sleep_forever, None, source="s", timeout_s=0.5)
    assert caught.value.reason == "timeout"
    assert parse_isolated(tasks.echo, 1, timeout_s=0.5) == 1


def test_isolation_pool_batch_survives_bad_items() -> None:
    items = [(f"page-{n}", n) for n in range(6)]
    with WorkerPool(workers=2, timeout_s=1.0, memory_bytes=None) as pool:
        outcomes = list(pool.map(tasks.hang_on_three, items))
        assert pool.restarts == 1
        assert pool.run(tasks.echo, "after", source="x") == "after"
    assert [source for source, _ in outcomes] == [source for source, _ in items]  # input order kept
    failed = dict(outcomes)["page-3"]
    assert isinstance(failed, PageError) and failed.reason == "timeout" and failed.source == "page-3"
    assert [result for source, result in outcomes if source != "page-3"] == [0, 1, 2, 4, 5]
