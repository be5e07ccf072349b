"""Run parsers of untrusted input in worker processes with caps on time and memory.

A hostile page or feed can hang a parser (feedparser's author regex takes seconds on a 40 KB author),
blow up its memory or crash it in C code. Running it in a separate process turns each of those into a
typed `PageError` (`timeout`, `memory`, `crashed`) instead of a hung or dead batch.

Caps come from BATTERY.md's conventions: wall <= 30 s per document (5 s per feed, set by the caller),
`RLIMIT_AS` <= 2 GiB. A worker that was killed or ran out of memory is replaced before the next task.

Example:
    >>> from narrascope.isolation import parse_isolated
    >>> parse_isolated(len, b"abc", source="x", timeout_s=5)
    3
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from queue import Queue
from typing import Any, TypeVar

from narrascope.errors import PageError

__all__ = ["DEFAULT_MEMORY_BYTES", "DEFAULT_TIMEOUT_S", "IsolatedWorker", "WorkerPool", "parse_isolated"]

logger = logging.getLogger(__name__)

Argument = TypeVar("Argument")
Result = TypeVar("Result")

DEFAULT_TIMEOUT_S = 30.0  # BATTERY.md: wall <= 30 s per document
DEFAULT_MEMORY_BYTES = 2 * 1024**3  # BATTERY.md: RLIMIT_AS <= 2 GiB
# forkserver: workers start from a small clean process, not a fork of a parent holding models and
# threads (fork after threads can deadlock); spawn is the portable fallback.
_CONTEXT = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _limit_resources(memory_bytes: int | None) -> None:
    """In the child: cap the address space and switch off core dumps."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # The parent decides when to stop a worker; a Ctrl-C in the terminal goes to the parent only.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_main(connection: Connection, memory_bytes: int | None) -> None:
    """Child loop: receive (function, argument), send back ("ok", result) or a typed failure."""
    _limit_resources(memory_bytes)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        except MemoryError:
            connection.send(("memory", "the task did not fit in the memory cap"))
            continue
        except Exception as error:  # a task that cannot be unpickled (import error) is reported, not fatal
            connection.send(("internal_error", f"{type(error).__name__}: {error}"))
            continue
        if task is None:
            return
        function, argument = task
        try:
            reply: tuple[Any, ...] = ("ok", function(argument))
        except PageError as error:
            reply = ("page_error", error.source, error.reason, error.message)
        except MemoryError:
            reply = ("memory", "the parser ran out of its memory cap")
        except RecursionError:
            reply = ("internal_error", "the input nests too deeply for the parser (RecursionError)")
        except Exception as error:
            reply = ("internal_error", f"{type(error).__name__}: {error}")
        del task, function, argument
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(("memory", "the result did not fit in the memory cap"))
        except Exception as error:  # an unpicklable result
            connection.send(("internal_error", f"cannot return the result ({type(error).__name__}: {error})"))


class IsolatedWorker:
    """One long-lived worker process; replaced after a timeout, a crash or a memory failure.

    Not thread-safe: use one worker per thread, or `WorkerPool`.
    """

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
                 context: str = _CONTEXT) -> None:
        self.timeout_s = timeout_s
        self.memory_bytes = memory_bytes
        self._context: Any = multiprocessing.get_context(context)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The worker's process id, or None before the first task."""
        return self._process.pid if self._process is not None else None

    def _start(self) -> Connection:
        parent_end: Connection
        child_end: Connection
        parent_end, child_end = multiprocessing.Pipe(duplex=True)
        process = self._context.Process(target=_worker_main, args=(child_end, self.memory_bytes), daemon=True,
                                        name="narrascope-parser")
        process.start()
        child_end.close()
        self._process, self._connection = process, parent_end
        return parent_end

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
            self._process.close()
        if self._connection is not None:
            self._connection.close()
        self._process, self._connection = None, None
        self.restarts += 1

    def run(self, function: Callable[[Argument], Result], argument: Argument, *, source: str = "<input>",
            timeout_s: float | None = None) -> Result:
        """Run `function(argument)` in the worker and return its result.

        `function` must be importable by name (a module-level function); `argument` and the result
        must pickle.

        Raises:
            PageError: `timeout` (killed at the wall-clock cap), `memory` (over the memory cap),
                `crashed` (the process died), `internal_error` (the parser raised), or the PageError
                the function itself raised, with its own reason.
        """
        timeout = self.timeout_s if timeout_s is None else timeout_s
        connection = self._connection
        if connection is None or self._process is None or not self._process.is_alive():
            if connection is not None:
                self._kill()
            connection = self._start()
        try:
            connection.send((function, argument))
        except (BrokenPipeError, EOFError, OSError):
            self._kill()  # the worker died between tasks: start a fresh one and try once more
            connection = self._start()
            try:
                connection.send((function, argument))
            except (BrokenPipeError, EOFError, OSError):
                self._kill()
                raise PageError(source, "crashed", "the parser process could not start; a script using "
                                "narrascope must guard its entry point with `if __name__ == '__main__':`") from None
        if not connection.poll(timeout):
            logger.warning("%s: parser killed after %.1f s", source, timeout)
            self._kill()
            raise PageError(source, "timeout", f"parsing took longer than {timeout:g} s and was stopped")
        try:
            reply = connection.recv()
        except (EOFError, OSError):
            assert self._process is not None
            self._process.join(timeout=5)
            code = self._process.exitcode
            self._kill()
            if code == -signal.SIGKILL:
                raise PageError(source, "memory", "the parser was killed (out of memory)") from None
            raise PageError(source, "crashed", f"the parser process died (exit code {code})") from None
        status = reply[0]
        if status == "ok":
            return reply[1]  # type: ignore[no-any-return]
        if status == "page_error":
            raise PageError(reply[1], reply[2], reply[3])
        if status == "memory":
            self._kill()  # a process that hit its cap may be in a bad state: start afresh
            raise PageError(source, "memory", f"{reply[1]} ({_format_bytes(self.memory_bytes)})")
        raise PageError(source, "internal_error", reply[1])

    def close(self) -> None:
        """Stop the worker process."""
        if self._connection is not None and self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
                self._process.join(timeout=2)
            except OSError:
                pass
        self._kill()
        self.restarts -= 1

    def __enter__(self) -> IsolatedWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _format_bytes(size: int | None) -> str:
    return "no cap" if size is None else f"cap {size / 1024**2:.0f} MiB"


class WorkerPool:
    """A few isolated workers for batches; results come back in input order.

    Example:
        >>> with WorkerPool(workers=2, timeout_s=5) as pool:
        ...     results = list(pool.map(len, [("a", b"x"), ("b", b"yy")]))
    """

    def __init__(self, workers: int = 2, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 memory_bytes: int | None = DEFAULT_MEMORY_BYTES) -> None:
        self._idle: Queue[IsolatedWorker] = Queue()
        self._workers = [IsolatedWorker(timeout_s=timeout_s, memory_bytes=memory_bytes) for _ in range(workers)]
        for worker in self._workers:
            self._idle.put(worker)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="narrascope-pool")

    def run(self, function: Callable[[Argument], Result], argument: Argument, *, source: str = "<input>") -> Result:
        """Run one task on an idle worker (blocks until one is free)."""
        worker = self._idle.get()
        try:
            return worker.run(function, argument, source=source)
        finally:
            self._idle.put(worker)

    def map(self, function: Callable[[Argument], Result],
            items: Iterable[tuple[str, Argument]]) -> Iterator[tuple[str, Result | PageError]]:
        """Yield (source, result or PageError) per (source, argument), in order; a failure never stops the rest."""

        def one(item: tuple[str, Argument]) -> tuple[str, Result | PageError]:
            source, argument = item
            try:
                return source, self.run(function, argument, source=source)
            except PageError as error:
                return source, error

        yield from self._executor.map(one, items)

    @property
    def restarts(self) -> int:
        """How many workers were replaced after a kill or crash."""
        return sum(worker.restarts for worker in self._workers)

    def close(self) -> None:
        """Stop every worker."""
        self._executor.shutdown(wait=True)
        for worker in self._workers:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: dict[tuple[float, int | None], IsolatedWorker] = {}
_shared_lock = threading.Lock()


def parse_isolated(function: Callable[[Argument], Result], argument: Argument, *, source: str = "<input>",
                   timeout_s: float = DEFAULT_TIMEOUT_S, memory_bytes: int | None = DEFAULT_MEMORY_BYTES) -> Result:
    """Run `function(argument)` in a capped worker process and return its result.

    A worker per (timeout, memory) setting is kept between calls (imports are paid once) and replaced
    after a kill. Calls are serialised; use `WorkerPool` to run several at once.

    Raises:
        PageError: `timeout`, `memory`, `crashed`, `internal_error`, or the function's own PageError.
    """
    with _shared_lock:
        key = (timeout_s, memory_bytes)
        worker = _shared.get(key)
        if worker is None:
            worker = _shared[key] = IsolatedWorker(timeout_s=timeout_s, memory_bytes=memory_bytes)
        return worker.run(function, argument, source=source)


@atexit.register
def _close_shared() -> None:
    with _shared_lock:
        for worker in _shared.values():
            worker.close()
        _shared.clear()
