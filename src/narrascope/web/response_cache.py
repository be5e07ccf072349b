"""Whole responses of read-only GET requests, kept while the database files are unchanged.

Every page and JSON answer is a function of its URL and the database alone (no cookies, sessions or
per-request nonces), so an answer computed once stays right until a writer touches the database: then
the size or modification time of the database file or its WAL changes and every entry is dropped.
The hot pages (overview, lists, common searches) then cost a dictionary lookup instead of the 10-30 ms
of CPU that queries and rendering take, which is what lets one 2-core machine serve 50 busy clients.
Only complete 200 answers under `max_body` bytes are kept (exports stream and are left alone); the
cache sits inside the authentication middleware, so only authorised requests ever reach it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from narrascope.web.cache import database_signature

Headers = list[tuple[bytes, bytes]]
CACHED_HEADER = (b"x-narrascope-cache", b"hit")


class ResponseCacheMiddleware:
    """An LRU of GET answers (status 200, headers, body) keyed by path and query, bounded in bytes."""

    def __init__(self, app: ASGIApp, db_path: str, *, max_bytes: int = 64 * 2**20, max_body: int = 2 * 2**20,
                 ) -> None:
        self.app = app
        self.db_path = db_path
        self.max_bytes = max_bytes
        self.max_body = max_body
        self._entries: OrderedDict[bytes, tuple[Headers, bytes]] = OrderedDict()
        self._bytes = 0
        self._signature: tuple[tuple[int, int], ...] = ()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = scope.get("raw_path", scope["path"].encode()) + b"?" + scope.get("query_string", b"")
        signature = database_signature(self.db_path)
        entry = self._lookup(key, signature)
        if entry is not None:
            headers, body = entry
            await send({"type": "http.response.start", "status": 200, "headers": [*headers, CACHED_HEADER]})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True

        async def recording_send(message: Message) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                keep = sum(map(len, chunks)) <= self.max_body
            await send(message)

        await self.app(scope, receive, recording_send)
        if start is not None and keep:
            self._store(key, signature, list(start.get("headers", [])), b"".join(chunks))

    def _lookup(self, key: bytes, signature: tuple[tuple[int, int], ...]) -> tuple[Headers, bytes] | None:
        with self._lock:
            if signature != self._signature:
                self._entries.clear()
                self._bytes = 0
                self._signature = signature
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _store(self, key: bytes, signature: tuple[tuple[int, int], ...], headers: Headers, body: bytes) -> None:
        with self._lock:
            # An answer computed while a writer changed the database may mix both states: not kept.
            if signature != self._signature or signature != database_signature(self.db_path):
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
