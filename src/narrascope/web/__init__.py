"""Web UI and HTTP API: server-rendered pages and their JSON twins over the same query functions."""

from narrascope.web.app import create_app

__all__ = ["create_app"]
