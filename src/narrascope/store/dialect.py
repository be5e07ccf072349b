"""SQLite SQL -> PostgreSQL SQL: the explicit, mechanical rules that let one set of SQL serve both.

The store and its migrations are written once, in SQLite's dialect. On PostgreSQL every statement
passes through `translate` (queries) or `translate_migration` (schema), which apply the rules below and
refuse, naming the migration, anything they do not know how to carry over. A migration that needs
more than these rules gets a hand-written variant, `migrations/postgresql/<same name>.sql`.

Rules (SQLite -> PostgreSQL):
- `?` -> `%s` outside string literals, and every `%` -> `%%` (psycopg's placeholders).
- `INSERT OR IGNORE INTO ...` -> `INSERT INTO ... ON CONFLICT DO NOTHING`.
- `CROSS JOIN t ON ...` (SQLite's join-order hint) -> `JOIN t ON ...`; `group_concat(x)` ->
  `string_agg(x, ',')`; `json_each(x) j` -> `json_array_elements_text((x)::json) AS j(value)`;
  an empty list `IN ()` (SQLite: matches nothing) -> `IN (SELECT NULL WHERE FALSE)`.
- NULLs sort first in SQLite and last in PostgreSQL: every ORDER BY term and index column gets an explicit
  `NULLS FIRST` (ascending) or `NULLS LAST` (descending), so both sort alike and indexes still serve the sorts.
- Tables: `TEXT` -> `TEXT COLLATE "C"` (SQLite compares text bytewise), `INTEGER` -> `BIGINT`,
  `BLOB` -> `BYTEA`, `REAL` -> `DOUBLE PRECISION`; `INTEGER PRIMARY KEY [AUTOINCREMENT]` -> an identity
  primary key; every other table gets SQLite's implicit `rowid` as a trailing identity column (insertion
  order, used by some reads); `WITHOUT ROWID` tables get none.
- Generated columns: `VIRTUAL` -> `STORED` (PostgreSQL 15 has only stored ones); `json_array_length(c)`
  -> `json_array_length((c)::json)` (JSON is kept in TEXT columns).
- `CREATE VIRTUAL TABLE t USING fts5(a, b, ...)` -> a table `t(rowid, a, b, search_vector)` whose
  generated tsvector column has a GIN index (search: `search_vector @@ websearch_to_tsquery(...)`).
  FTS5's options (external content, tokenizer) are not carried over: PostgreSQL keeps its own copy of
  the text and uses the `simple` configuration (no stemming, no diacritics folding); a tsvector holds at
  most 1 MiB, so only the first FTS_INDEXED_CHARS characters of each row are indexed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from narrascope.errors import StoreError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# A tsvector holds at most 1 MiB; 300,000 characters of even all-distinct words stay under it (D10).
FTS_INDEXED_CHARS = 300_000


class DialectError(StoreError):
    """A statement uses SQLite SQL that the PostgreSQL rules cannot carry over."""


def is_postgres_url(target: str) -> bool:
    """Whether a `--db` value names a PostgreSQL database rather than an SQLite file."""
    return target.lower().startswith(POSTGRES_SCHEMES)


def display_target(target: str) -> str:
    """The database as it may be printed: a URL's password replaced by `***`."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*:)[^@/]*@", r"\1***@", target, flags=re.IGNORECASE)


# -- scanning outside string literals ------------------------------------------------------------------

_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


def _outside_literals(sql: str, pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]) -> str:
    """Apply a regex substitution only to the parts of `sql` outside '...' and "..." literals."""
    parts: list[str] = []
    position = 0
    for literal in _LITERAL.finditer(sql):
        parts.append(pattern.sub(replacement, sql[position:literal.start()]))
        parts.append(literal.group(0))
        position = literal.end()
    parts.append(pattern.sub(replacement, sql[position:]))
    return "".join(parts)


# -- queries ---------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"[?%]")
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_UNSUPPORTED_QUERY = re.compile(r"\bINSERT\s+OR\s+(REPLACE|ROLLBACK|ABORT|FAIL)\b|^\s*REPLACE\s+INTO\b|\bPRAGMA\b"
                                r"|\bMATCH\b|\bGLOB\b|\bjson_extract\b|\bjson_group_array\b", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\(\s*(DISTINCT\s+)?([\w.]+)\s*\)", re.IGNORECASE)
_NOT_ALIAS = r"(?!(?:WHERE|CROSS|JOIN|ON|LEFT|INNER|GROUP|ORDER|LIMIT|UNION)\b)"
_JSON_EACH = re.compile(rf"\bjson_each\(([^()]*)\)(?:\s+(?:AS\s+)?{_NOT_ALIAS}(\w+))?", re.IGNORECASE)
_CROSS_JOIN_ON = re.compile(r"\bCROSS\s+JOIN(\s+\w+(?:\s+(?:AS\s+)?\w+)?\s+ON\b)", re.IGNORECASE)
_EMPTY_IN = re.compile(r"\bIN\s*\(\s*\)", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT)\b", re.IGNORECASE)


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """A query (SELECT, INSERT, UPDATE, DELETE) in SQLite SQL, rewritten for PostgreSQL."""
    unsupported = _UNSUPPORTED_QUERY.search(_LITERAL.sub("''", sql))
    if unsupported:
        raise DialectError(f"no PostgreSQL rule for `{unsupported.group(0)}` in: {sql[:200]}")
    text = sql
    if _INSERT_OR_IGNORE.search(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text, count=1) + " ON CONFLICT DO NOTHING"
    text = _outside_literals(text, _GROUP_CONCAT, lambda m: (
        f"string_agg({m.group(1) or ''}{m.group(2)}, ',')"))
    text = _outside_literals(text, _JSON_EACH, lambda m: (
        f"json_array_elements_text(({m.group(1)})::json) AS {m.group(2) or 'json_each'}(value)"))
    text = _outside_literals(text, _CROSS_JOIN_ON, r"JOIN\1")
    text = _outside_literals(text, _EMPTY_IN, "IN (SELECT NULL WHERE FALSE)")
    text = _order_nulls_like_sqlite(text)
    text = _outside_literals(text, _PLACEHOLDER, lambda m: "%s" if m.group(0) == "?" else "%%")
    # psycopg reads placeholders everywhere, literals included: a literal's `%` is doubled too
    return _LITERAL.sub(lambda m: m.group(0).replace("%", "%%") if m.group(0).startswith("'") else m.group(0), text)


def _order_nulls_like_sqlite(sql: str) -> str:
    """Give every ORDER BY term SQLite's NULL placement (NULLs smallest)."""
    result: list[str] = []
    position = 0
    for found in _ORDER_BY.finditer(sql):
        if found.start() < position:
            continue
        end = _clause_end(sql, found.end())
        result.append(sql[position:found.end()])
        result.append(" " + ", ".join(_with_nulls(term) for term in _split_top_level(sql[found.end():end])) + " ")
        position = end
    result.append(sql[position:])
    return "".join(result)


def _clause_end(sql: str, start: int) -> int:
    """Where an ORDER BY list ends: a closing parenthesis of its level, LIMIT/OFFSET, or the end."""
    depth = 0
    index = start
    while index < len(sql):
        char = sql[index]
        if char in "'\"":
            closing = sql.find(char, index + 1)
            index = len(sql) if closing < 0 else closing + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0 and _ORDER_END.match(sql, index) and (index == 0 or not sql[index - 1].isalnum()):
            return index
        index += 1
    return index


def _split_top_level(text: str) -> list[str]:
    terms: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    terms.append("".join(current))
    return [term.strip() for term in terms if term.strip()]


def _with_nulls(term: str) -> str:
    if re.search(r"\bNULLS\s+(FIRST|LAST)\s*$", term, re.IGNORECASE):
        return term
    return term + (" NULLS LAST" if re.search(r"\bDESC\s*$", term, re.IGNORECASE) else " NULLS FIRST")


# -- migrations ------------------------------------------------------------------------------------------

_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*)\)\s*(WITHOUT\s+ROWID)?\s*$",
                           re.IGNORECASE | re.DOTALL)
_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\s+\w+\s+ADD\s+(?:COLUMN\s+)?", re.IGNORECASE)
_CREATE_INDEX = re.compile(r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+\w+\s*)\((.*?)\)"
                           r"(\s*(?:WHERE\b.*)?)$", re.IGNORECASE | re.DOTALL)
_FTS5 = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_ROWID_KEY = re.compile(r"\s*PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.IGNORECASE)
_UNSUPPORTED_SCHEMA = re.compile(r"^\s*(CREATE\s+(TEMP\w*\s+)?TRIGGER|CREATE\s+VIRTUAL|PRAGMA|ATTACH|DETACH|VACUUM"
                                 r"|REINDEX|ANALYZE)\b|\bSTRICT\s*$", re.IGNORECASE)
_VIRTUAL = re.compile(r"\)\s*VIRTUAL\b", re.IGNORECASE)
_JSON_LENGTH = re.compile(r"\bjson_array_length\((\w+)\)", re.IGNORECASE)


def translate_migration(name: str, statement: str) -> list[str]:
    """One migration statement in SQLite SQL as the PostgreSQL statements doing the same."""
    fts = _FTS5.match(statement)
    if fts:
        return _fts_table(fts.group(1), fts.group(2))
    if _UNSUPPORTED_SCHEMA.search(_LITERAL.sub("''", statement)):
        raise DialectError(f"migration {name}: no PostgreSQL rule for: {statement[:200]}; add a hand-written "
                           f"variant as migrations/postgresql/{name}")
    table = _CREATE_TABLE.match(statement)
    if table:
        return [_create_table(table.group(1) or "", table.group(2), table.group(3), bool(table.group(4)))]
    if _ADD_COLUMN.match(statement):
        return [_add_column(statement)]
    index = _CREATE_INDEX.match(statement)
    if index:
        columns = ", ".join(_with_nulls(term) for term in _split_top_level(index.group(2)))
        return [f"{index.group(1)}({columns}){index.group(3)}"]
    try:
        return [translate(statement)]
    except DialectError as error:
        raise DialectError(f"migration {name}: {error}; add a hand-written variant as "
                           f"migrations/postgresql/{name}") from error


def _create_table(if_not_exists: str, name: str, body: str, without_rowid: bool) -> str:
    definitions = [_column_definition(part) for part in _split_top_level(body)]
    if not without_rowid and not any("IDENTITY PRIMARY KEY" in part for part in definitions):
        definitions.append("rowid BIGINT GENERATED BY DEFAULT AS IDENTITY")
    return f"CREATE TABLE {if_not_exists}{name} (" + ", ".join(definitions) + ")"


_CONSTRAINT = re.compile(r"^(PRIMARY|UNIQUE|FOREIGN|CHECK|CONSTRAINT)\b", re.IGNORECASE)
_DEFINITION = re.compile(r'^("(?:[^"]|"")*"|\w+)(?:\s+(\w+))?(.*)$', re.DOTALL)
_TYPES = {"TEXT": 'TEXT COLLATE "C"', "INTEGER": "BIGINT", "INT": "BIGINT", "BLOB": "BYTEA",
          "REAL": "DOUBLE PRECISION"}


def _column_definition(definition: str) -> str:
    """`name TYPE constraints` with the type (and SQLite-only parts) rewritten; table constraints as they are."""
    found = _DEFINITION.match(definition.strip())
    if _CONSTRAINT.match(definition.strip()) or not found:
        return definition.strip()
    column, kind, rest = found.group(1), (found.group(2) or ""), found.group(3)
    rowid_key = _ROWID_KEY.match(rest)
    if kind.upper() == "INTEGER" and rowid_key:  # SQLite's rowid alias: numbered on insert
        return f"{column} BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY{rest[rowid_key.end():]}".rstrip()
    kind = _TYPES.get(kind.upper(), kind)
    rest = _outside_literals(rest, _JSON_LENGTH, lambda m: f"json_array_length(({m.group(1)})::json)")
    rest = _outside_literals(rest, _VIRTUAL, ") STORED")
    return f"{column} {kind}{rest}".rstrip()


def _add_column(statement: str) -> str:
    found = _ADD_COLUMN.match(statement)
    assert found is not None
    return statement[:found.end()].rstrip() + " " + _column_definition(statement[found.end():])


def _fts_table(name: str, arguments: str) -> list[str]:
    columns = [part.strip() for part in _split_top_level(arguments) if "=" not in part]
    if not columns or not all(re.fullmatch(r"\w+", column) for column in columns):
        raise DialectError(f"fts5 table {name}: cannot read its columns from ({arguments})")
    joined = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    document = f"left({joined}, {FTS_INDEXED_CHARS})"
    text_columns = ", ".join(f'{column} TEXT COLLATE "C"' for column in columns)
    return [
        f"CREATE TABLE {name} (rowid BIGINT PRIMARY KEY, {text_columns}, search_vector tsvector"
        f" GENERATED ALWAYS AS (to_tsvector('simple', {document})) STORED)",
        f"CREATE INDEX {name}_search ON {name} USING GIN (search_vector)",
    ]
