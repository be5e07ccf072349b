"""Loopback HTTP servers for the fetch tests: a canary that must never be reached, and a stand-in web site.

No test reaches the internet: a test resolver maps invented names to loopback addresses. The canary
listens on 127.0.0.1 (blocked, as loopback always is); the stand-in site listens on 127.0.0.2, which
the tests' AddressPolicy alone trusts.
"""

from __future__ import annotations

import gzip
import ipaddress
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from narrascope.ingest.ssrf import AddressPolicy

SITE_ADDRESS = "127.0.0.2"
CANARY_ADDRESS = "127.0.0.1"
TEST_POLICY = AddressPolicy(allowed=(ipaddress.ip_network(f"{SITE_ADDRESS}/32"),))
ARTICLE = (b"<html><head><title>Talks resume</title></head><body><article><p>The minister said on Tuesday "
           b"that the talks would resume next week.</p></article></body></html>")
FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><item><title>One</title>'
        b"<link>https://site.test/1</link><guid>1</guid><description>The minister said the talks would resume "
        b"next week, officials confirmed.</description></item></channel></rss>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]
    routes: dict[str, object]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        path = self.path.split("?", 1)[0]
        route = self.server.routes.get(path)
        try:
            if route is None:
                self._send(404, b"not found")
            elif isinstance(route, tuple) and route[0] == "redirect":
                self.send_response(302)
                self.send_header("Location", str(route[1]))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif route == "endless":
                self._headers(200, "text/html", None)
                while True:
                    self.wfile.write(b"<p>more</p>" * 1000)
            elif route == "slow":
                self._headers(200, "text/html", None)
                for _ in range(600):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif route == "gzip-bomb":
                body = gzip.compress(b"\0" * (16 * 1024 * 1024), compresslevel=6)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif isinstance(route, tuple) and route[0] == "status":
                self._send(int(route[1]), b"")
            elif isinstance(route, tuple):
                self._send(200, bytes(route[1]), str(route[0]))
            else:
                self._send(200, bytes(route), "text/html; charset=utf-8")  # type: ignore[arg-type]
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _headers(self, status: int, content_type: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self._headers(status, content_type, len(body))
        self.wfile.write(body)


@contextmanager
def serve(address: str, routes: dict[str, object] | None = None, *,
          certificate: tuple[Path, Path] | None = None) -> Iterator[_Server]:
    """Run a server on `address` (any free port) until the block ends; `server.hits` lists requested paths."""
    server = _Server((address, 0), _Handler)
    server.hits = []
    server.routes = routes if routes is not None else {"/": ARTICLE}
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(certificate[0]), str(certificate[1]))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A throwaway certificate and key for `name`, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class Resolver:
    """A test DNS: names map to answers; a list of answers per call simulates rebinding."""

    def __init__(self, answers: dict[str, list[list[str]] | list[str]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise OSError(f"unknown test host {host}")
        if answer and isinstance(answer[0], list):
            rounds = answer  # type: ignore[assignment]
            index = min(self.calls.count(host) - 1, len(rounds) - 1)
            return list(rounds[index])  # type: ignore[arg-type]
        return list(answer)  # type: ignore[arg-type]
