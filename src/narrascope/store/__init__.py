"""Store: an SQLite file by default, or a PostgreSQL database by URL; the only place with SQL."""

from narrascope.store.sqlite import Store

__all__ = ["Store"]
