"""A private PostgreSQL cluster for tests: initdb + pg_ctl into a temporary folder, unix socket only.

No TCP port is opened (listen_addresses is empty), so parallel test runs and a system server never
collide. initdb refuses to run as root, so as root (CI) the cluster is owned and run by the `postgres`
user through runuser. NARRASCOPE_REQUIRE_POSTGRES=1 turns "no server available" from a skip into a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SUPERUSER = "narrascope"


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL binaries, or the cluster would not start."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailableError("no initdb: install PostgreSQL (Debian: apt-get install postgresql)")


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise PostgresUnavailableError("running as root without runuser: cannot start PostgreSQL as `postgres`")
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def cluster() -> Iterator[str]:
    """Start a throwaway cluster; yields a libpq base URL without a database name (`...@/?host=DIR`)."""
    binaries = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="narrascope-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as error:
            raise PostgresUnavailableError("running as root and there is no `postgres` user") from error
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    run = subprocess.run
    try:
        done = run(_as_owner([str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), capture_output=True, text=True)
        if done.returncode != 0:
            raise PostgresUnavailableError(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = f"-c listen_addresses='' -c unix_socket_directories={folder} -c fsync=off -c max_connections=40"
        done = run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                              "-o", options, "start"]), capture_output=True, text=True)
        if done.returncode != 0:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            raise PostgresUnavailableError(f"pg_ctl start failed: {done.stderr.strip()} {log[-500:]}")
        try:
            yield f"postgresql://{SUPERUSER}@/?host={folder}"
        finally:
            run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def new_database(base_url: str) -> str:
    """Create an empty database in the cluster; returns its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base_url.replace("/?", "/postgres?"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return base_url.replace("/?", f"/{name}?")


# -- pytest fixtures (imported by tests/conftest.py) ------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """A private PostgreSQL cluster for the session (skipped without PostgreSQL, unless required)."""
    try:
        with cluster() as base_url:
            yield base_url
    except PostgresUnavailableError as error:
        if os.environ.get("NARRASCOPE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"NARRASCOPE_REQUIRE_POSTGRES=1 but PostgreSQL is unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: an SQLite file, then a PostgreSQL database (the same test runs on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "n.db")
    return new_database(request.getfixturevalue("postgres_cluster"))
