"""Store: SQLite by default (one file); the only place with SQL."""

from narrascope.store.sqlite import Store

__all__ = ["Store"]
