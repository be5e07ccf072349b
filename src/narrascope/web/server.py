"""Several server processes on one port, each with its own listening socket (SO_REUSEPORT).

`uvicorn --workers` shares one listening socket between its processes: measured at 1M articles with 50
keep-alive clients, one process accepted nearly every connection and ran at 65% of a core while the
other idled at 7% (bench/README.md, "One million articles"). With a socket of its own per process and
SO_REUSEPORT, the kernel spreads new connections across the processes by their address hash.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from typing import Any

QUEUE = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that other processes may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(QUEUE)
    return sock


def _serve_one(db_path: str, options: dict[str, Any], host: str, port: int) -> None:
    import uvicorn

    from narrascope.web.app import create_app

    signal.signal(signal.SIGINT, signal.default_int_handler)
    config = uvicorn.Config(create_app(db_path, **options), log_level="warning", server_header=False)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def serve_processes(db_path: str, options: dict[str, Any], host: str, port: int, workers: int) -> None:
    """Run `workers` server processes until SIGINT or SIGTERM, then stop them and wait for them."""
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no state forked from this one
    processes = [context.Process(target=_serve_one, args=(db_path, options, host, port), daemon=False)
                 for _ in range(workers)]
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        while not stopping and all(process.is_alive() for process in processes):
            processes[0].join(timeout=0.5)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for process in processes:
            process.join(timeout=20)
            if process.is_alive():
                process.kill()
                process.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
