"""Module-level tasks for the isolation tests (a worker process imports them by name)."""

from __future__ import annotations

import os
import time

from narrascope.errors import PageError


def echo(value: object) -> object:
    """Return the argument."""
    return value


def sleep_forever(_: object) -> None:
    """Hang like a pathological regex."""
    time.sleep(3600)


def busy_loop(_: object) -> None:
    """Spin the CPU without ever returning."""
    while True:
        pass


def allocate(size: int) -> int:
    """Allocate `size` bytes and keep them."""
    block = bytearray(size)
    return len(block)


def abort(_: object) -> None:
    """Die the way a crashing C extension does."""
    os.abort()


def reject(reason: str) -> None:
    """Raise a typed rejection from inside the worker."""
    raise PageError("inner-source", reason, "rejected inside the worker")


def fail(_: object) -> None:
    """Raise an unexpected error."""
    raise ValueError("boom")


def worker_pid(_: object) -> int:
    """The process id of the worker that ran the task."""
    return os.getpid()


def hang_on_three(value: int) -> int:
    """Return the argument, except that 3 hangs like a pathological page."""
    if value == 3:
        time.sleep(3600)
    return value
