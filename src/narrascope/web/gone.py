"""Links to narratives that a later re-cluster merged, split or dissolved lead to what became of them.

Narrative ids survive new pages (narratives/history.py), but a merge or a split retires some. A link an
analyst saved, or a page a reader opened before the writer's refresh, then names an id that is no
longer current: instead of a bare 404, the page redirects to the one narrative it became, or answers
410 Gone with the narratives it was split into (the JSON twin always answers 410 with the successors).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from narrascope import views
from narrascope.store import Store
from narrascope.web.render import error_response
from narrascope.web.security import SECURITY_HEADERS


def _message(fate: dict[str, Any]) -> str:
    when = f"by the re-cluster of {fate['recorded_at']}"
    if not fate["successors"]:
        return f"this narrative was {fate['change']} {when}; its claims are in no current narrative"
    verb = {"merge": "merged into", "split": "split into"}.get(fate["change"], "continued in")
    return f"this narrative was {verb} {len(fate['successors'])} current narrative(s) {when}"


class NarrativeGone(HTTPException):
    """A narrative id retired by a recorded change; `fate` is `Store.narrative_fate`'s record.

    An HTTPException, so the request's connection goes back to the pool like after a 404.
    """

    def __init__(self, fate: dict[str, Any]) -> None:
        super().__init__(410, _message(fate))
        self.fate = fate


def found_narrative(store: Store, narrative_id: str) -> dict[str, Any]:
    """The narrative's detail record; NarrativeGone if a change retired the id; else 404."""
    record = views.narrative_detail(store, narrative_id)
    if record is not None:
        return record
    fate = store.narrative_fate(narrative_id)
    if fate is not None:
        raise NarrativeGone(fate)
    raise HTTPException(404, "no such narrative")


async def _gone(request: Request, error: Exception) -> Response:
    assert isinstance(error, NarrativeGone)
    fate = error.fate
    successors = fate["successors"]
    if len(successors) == 1 and not request.url.path.startswith("/api/"):
        # 307: the mapping can change again at the next re-cluster, so browsers must not cache it.
        return RedirectResponse(f"/narratives/{quote(successors[0]['id'], safe='')}", status_code=307,
                                headers=dict(SECURITY_HEADERS))
    return error_response(request, 410, error.detail, change=fate["change"], recorded_at=fate["recorded_at"],
                          successors=successors)


def install(app: FastAPI) -> None:
    """Register the handler."""
    app.add_exception_handler(NarrativeGone, _gone)
