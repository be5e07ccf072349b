"""Named schema migrations, each applied all-or-nothing inside one transaction."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from importlib import resources

from narrascope.errors import StoreError


def migration_names() -> list[str]:
    """The migration files shipped with the package, in the order they apply."""
    folder = resources.files("narrascope.store") / "migrations"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))


def migrate(connection: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied; returns the names applied now.

    SQLite's DDL is transactional, so a migration interrupted by a crash leaves the
    database entirely at the old schema.
    """
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    applied: list[str] = []
    folder = resources.files("narrascope.store") / "migrations"
    for name in migration_names():
        script = (folder / name).read_text(encoding="utf-8")
        try:
            # Checked under the write lock: another process opening the same database at the same moment
            # may have applied this migration since we looked (found by BATTERY.md D6, two writers).
            connection.execute("BEGIN IMMEDIATE")
            if connection.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                connection.execute("COMMIT")
                continue
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed and was rolled back: {error}") from error
        applied.append(name)
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration into statements (migrations hold no semicolons inside strings or triggers)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
