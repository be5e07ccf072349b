"""Request-scoped resources: a read-only database connection with a time limit, and pagination."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from narrascope.store import Store
from narrascope.views import MAX_PAGE_SIZE
from narrascope.web.pool import StorePool
from narrascope.web.settings import WebSettings


def open_store(request: Request) -> Iterator[Store]:
    """A read-only connection (`mode=ro`) whose queries stop after the server's time limit."""
    web: WebSettings = request.app.state.web
    pool: StorePool = request.app.state.pool
    with pool.borrowed(keep_after=(HTTPException,)) as store, store.query_deadline(web.query_timeout):
        yield store


AGGREGATE_TIMEOUT = 120.0  # seconds allowed to build an aggregate or index (once per database state)


def cached(request: Request, key: Hashable, compute: Callable[[Store], Any]) -> Any:
    """An aggregate computed once per state of the database (see DatabaseStateCache).

    It is computed on its own connection under AGGREGATE_TIMEOUT, not under the page's limit: at a million
    articles counting every table or grouping the outlets takes seconds, and under a page's 1 s limit it
    would fail on every request (nothing is cached from a failed computation). Requests that arrive
    meanwhile wait for that one computation.
    """
    def build() -> Any:
        web: WebSettings = request.app.state.web
        pool: StorePool = request.app.state.pool
        limit = None if web.query_timeout is None else max(web.query_timeout, AGGREGATE_TIMEOUT)
        with pool.borrowed() as store, store.query_deadline(limit):
            return compute(store)

    return request.app.state.cache.get(key, build)


ReadStore = Annotated[Store, Depends(open_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"page size, at most {MAX_PAGE_SIZE}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
MinArticles = Annotated[int | None, Query(ge=1, le=10_000_000, description="narratives of at least this many articles")]
Since = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                    description="narratives last seen on or after this date (YYYY[-MM[-DD]])")]
