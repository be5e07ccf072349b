"""What a running web server was started with."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_QUERY_TIMEOUT = 1.0


@dataclass(frozen=True)
class WebSettings:
    """Database path, write permission, token and the per-request query time limit (seconds)."""

    db_path: str
    allow_writes: bool = False
    token: str | None = None
    query_timeout: float | None = DEFAULT_QUERY_TIMEOUT
