"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from narrascope import __version__
from narrascope.errors import NarrascopeError, StoreError
from narrascope.web import api, catalogue, downloads, errors, forms, gone, pages, upload, writes
from narrascope.web.cache import DatabaseStateCache
from narrascope.web.pool import StorePool
from narrascope.web.response_cache import ResponseCacheMiddleware
from narrascope.web.security import ReadAuthMiddleware, SecurityHeadersMiddleware
from narrascope.web.settings import DEFAULT_QUERY_TIMEOUT, WebSettings

logger = logging.getLogger(__name__)


def create_app(
    db_path: str, *, allow_writes: bool = False, token: str | None = None,
    query_timeout: float | None = DEFAULT_QUERY_TIMEOUT, require_token_for_reads: bool = False,
    allowed_hosts: Sequence[str] | None = None, response_cache: bool = True,
) -> FastAPI:
    """Build the web UI and JSON API over one database, read-only unless writes are enabled.

    Args:
        db_path: SQLite database file; every request opens it read-only (`mode=ro`).
        allow_writes: enable state-changing endpoints (upload); each request still needs `token`.
        token: the secret writes (and, with `require_token_for_reads`, every request) must carry.
        query_timeout: seconds after which a request's query is stopped with a "timed out" error.
        require_token_for_reads: every request needs the token (servers reachable from other machines).
        allowed_hosts: Host header values accepted (others get 400), against DNS rebinding of a loopback
            server; None accepts any.
        response_cache: keep whole GET answers while the database is unchanged (off: every answer is
            computed, as the latency benchmark measures).

    Returns:
        The ASGI application.

    Raises:
        StoreError: the database does not exist.
        NarrascopeError: writes or read authentication asked for without a token.

    Example:
        >>> app = create_app("narrascope.db")  # doctest: +SKIP
        >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
    """
    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database; run `narrascope ingest PATH --db {db_path}` first")
    if (allow_writes or require_token_for_reads) and not token:
        raise NarrascopeError("writes and read authentication need a token: pass --token SECRET")
    pool = StorePool(db_path)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="narrascope", lifespan=lifespan, version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="Narratives, claims, speakers and outlets with their evidence spans. Read-only "
                              "unless started with writes enabled; lists are paginated (limit <= 500).")
    app.state.web = WebSettings(db_path=db_path, allow_writes=allow_writes, token=token,
                                query_timeout=query_timeout)
    app.state.cache = DatabaseStateCache(db_path)
    app.state.pool = pool
    errors.install(app)
    gone.install(app)
    if response_cache:
        app.add_middleware(ResponseCacheMiddleware, db_path=db_path)  # innermost: behind authentication
    if require_token_for_reads and token:
        app.add_middleware(ReadAuthMiddleware, token=token)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)  # added last, so outermost: every response gets the headers
    app.mount("/static", StaticFiles(packages=[("narrascope.web", "static")]), name="static")
    for router in (api.router, catalogue.router, downloads.router, writes.router, upload.router, forms.router,
                   pages.router):
        app.include_router(router)
    return app
