"""Exception handlers: clear messages, right status codes, no reflected input (W3)."""

from __future__ import annotations

import logging
import sqlite3

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from narrascope.errors import StoreError
from narrascope.store.browsing import QueryTimeoutError
from narrascope.web.render import error_response

logger = logging.getLogger(__name__)
TIMED_OUT = "timed out: the query ran longer than the server's time limit and was stopped; narrow it down"


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = error.detail if isinstance(error.detail, str) else "request failed"
    return error_response(request, error.status_code, message)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    # Field locations and messages only: the offending values are not echoed back.
    fields = [{"location": [str(part) for part in item.get("loc", ())], "message": str(item.get("msg", ""))}
              for item in error.errors()]
    return error_response(request, 422, "invalid parameters", fields=fields)


async def _timeout(request: Request, error: Exception) -> Response:
    return error_response(request, 503, TIMED_OUT)


async def _operational(request: Request, error: Exception) -> Response:
    if "interrupt" in str(error):
        return error_response(request, 503, TIMED_OUT)
    logger.error("database error on %s: %s", request.url.path, error)
    return error_response(request, 500, "database error")


async def _store_error(request: Request, error: Exception) -> Response:
    logger.error("store error on %s: %s", request.url.path, error)
    return error_response(request, 503, "database unavailable")


async def _internal(request: Request, error: Exception) -> Response:
    logger.exception("internal error on %s", request.url.path, exc_info=error)
    return error_response(request, 500, "internal error")


def install(app: FastAPI) -> None:
    """Register every handler on the app."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QueryTimeoutError, _timeout)
    app.add_exception_handler(sqlite3.OperationalError, _operational)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _internal)
