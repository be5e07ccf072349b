"""Named schema migrations, each applied all-or-nothing inside one transaction.

The files are SQLite SQL; on PostgreSQL each statement is carried over by store/dialect.py's rules, or a
migration ships a hand-written variant as `migrations/postgresql/<same name>`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from importlib.abc import Traversable

from narrascope.errors import StoreError
from narrascope.store.database import Database
from narrascope.store.dialect import translate_migration

_LEDGER = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


def _folder() -> Traversable:
    return resources.files("narrascope.store") / "migrations"


def migration_names() -> list[str]:
    """The migration files shipped with the package, in the order they apply."""
    return sorted(entry.name for entry in _folder().iterdir() if entry.name.endswith(".sql") and entry.is_file())


def engine_statements(name: str, dialect: str) -> list[str]:
    """The statements of one migration as `dialect` ("sqlite" or "postgresql") runs them."""
    script = (_folder() / name).read_text(encoding="utf-8")
    if dialect == "sqlite":
        return _statements(script)
    variant = _folder() / "postgresql" / name
    if variant.is_file():
        return _statements(variant.read_text(encoding="utf-8"))
    return [translated for statement in _statements(script) for translated in translate_migration(name, statement)]


def migrate(database: Database) -> list[str]:
    """Apply every migration not yet applied; returns the names applied now.

    DDL is transactional on SQLite and PostgreSQL alike, so a migration interrupted by a crash leaves the
    database entirely at the old schema.
    """
    ledger = _LEDGER if database.dialect == "sqlite" else translate_migration("schema_migrations", _LEDGER)[0]
    _apply(database, "schema_migrations", [ledger], ledger=False)
    applied: list[str] = []
    for name in migration_names():
        if _apply(database, name, None, ledger=True):
            applied.append(name)
    return applied


def _apply(database: Database, name: str, statements: list[str] | None, *, ledger: bool) -> bool:
    try:
        # Checked under the write lock: another process opening the same database at the same moment
        # may have applied this migration since we looked (found by BATTERY.md D6, two writers).
        database.begin_write()
        if ledger and database.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
            database.commit()
            return False
        for statement in statements if statements is not None else engine_statements(name, database.dialect):
            database.execute_schema(statement)
        if ledger:
            database.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                             (name, datetime.now(UTC).isoformat(timespec="seconds")))
        database.commit()
    except Exception as error:
        if database.in_transaction:
            database.rollback()
        if not isinstance(error, (*database.errors, StoreError)):
            raise
        raise StoreError(f"migration {name} failed and was rolled back: {error}") from error
    return True


def _statements(script: str) -> list[str]:
    """Split a migration into statements (migrations hold no semicolons inside strings or triggers)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
