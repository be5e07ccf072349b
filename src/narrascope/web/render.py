"""Jinja2 templates (autoescaped: every scraped field is shown as text) and error responses."""

from __future__ import annotations

import logging
from functools import lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from narrascope.web.security import SECURITY_HEADERS
from narrascope.web.text import highlight, safe_href, timeline_bars

logger = logging.getLogger(__name__)
MAX_UPLOAD_FILES = 200  # files per upload (web.upload checks it; the form says it)


def _query(base: dict[str, Any], **changes: Any) -> str:
    merged = {key: value for key, value in (base | changes).items() if value not in (None, "")}
    return "?" + urlencode(merged) if merged else ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment: autoescape on for every template (ruff S701), strict undefined."""
    env = Environment(loader=PackageLoader("narrascope.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["part"] = lambda value: quote(str(value), safe="")
    env.globals.update(safe_href=safe_href, highlight=highlight, timeline_bars=timeline_bars, query=_query)
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template into an HTML response."""
    web = request.app.state.web
    html = environment().get_template(template).render(request_path=request.url.path,
                                                        allow_writes=web.allow_writes, max_files=MAX_UPLOAD_FILES,
                                                        **context)
    return HTMLResponse(html, status_code=status_code)


def error_response(request: Request, status_code: int, message: str, **extra: Any) -> Response:
    """An error as JSON under /api/ and as an HTML page elsewhere; never echoes the request's input."""
    headers = dict(SECURITY_HEADERS)  # also set here: errors can leave through Starlette's outermost layer
    if request.url.path.startswith("/api/"):
        body = {"error": {"status": status_code, "message": message} | extra}
        return JSONResponse(body, status_code=status_code, headers=headers)
    html = environment().get_template("error.html").render(
        request_path="", allow_writes=False, status=status_code, title=HTTPStatus(status_code).phrase,
        message=message, successors=extra.get("successors", []))
    return HTMLResponse(html, status_code=status_code, headers=headers)
