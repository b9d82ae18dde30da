"""A source to import from: this project served by gunicorn in a subprocess, on a second
database of the tests' PostgreSQL server (a copy of the migrated test database), filled with
every resource kind and relation (tests/datasets.py `rich_dataset`). And a small fake source
for what a real one rarely does (429, dangling references)."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest
from django.db import connection, connections

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _vrije_poort() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bronserver:
    def __init__(self, env: dict, poort: int, token: str):
        self.env = env
        self.poort = poort
        self.token = token
        self.origin = f"http://127.0.0.1:{poort}"
        self.urls = {
            "klantinteracties": f"{self.origin}/klantinteracties/api/v1",
            "contactgegevens": f"{self.origin}/contactgegevens/api/v1",
        }

    def python(self, code: str) -> str:
        """Run Django code against the source's database (to change its data)."""
        script = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'klantinteracties.settings'); django.setup()\n" + code
        )
        resultaat = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert resultaat.returncode == 0, resultaat.stderr[-3000:]
        return resultaat.stdout


def _wacht_op(url: str, proces: subprocess.Popen, log: Path) -> None:
    einde = time.monotonic() + 60
    while time.monotonic() < einde:
        assert proces.poll() is None, log.read_text()[-3000:]
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"de bron antwoordde niet op {url}")


@pytest.fixture(scope="session")
def bron(django_db_setup, django_db_blocker, tmp_path_factory):
    """The source server, with the rich data set and a token for it."""
    with django_db_blocker.unblock():
        instellingen = dict(connection.settings_dict)
        connections.close_all()
        naam = f"{instellingen['NAME']}_bron"
        beheer = {
            "host": instellingen["HOST"],
            "port": instellingen["PORT"],
            "user": instellingen["USER"],
            "password": instellingen["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **beheer) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{naam}"')
            # A copy of the migrated test database: no second migrate.
            c.execute(f'CREATE DATABASE "{naam}" TEMPLATE "{instellingen["NAME"]}"')
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION"}}
    env.update(
        DATABASE_URL=(
            f"postgres://{instellingen['USER']}@/{naam}"
            f"?host={instellingen['HOST']}&port={instellingen['PORT']}"
        ),
        KLANTINTERACTIES_DEV="1",
        ACCESS_LOG="0",
        # Every change at the source would otherwise be announced: not what is tested here.
        NOTIFICATIONS_DISABLED="1",
    )
    poort = _vrije_poort()
    server = Bronserver(env, poort, token="")
    server.token = (
        server.python(
            "from tests.datasets import rich_dataset\n"
            "from klantinteracties.api.models import Token\n"
            "rich_dataset()\n"
            "print(Token.objects.create_token('bron')[1])\n"
        )
        .strip()
        .splitlines()[-1]
    )
    log = tmp_path_factory.mktemp("bron") / "server.log"
    with open(log, "w") as uit:
        proces = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "klantinteracties.wsgi",
                "-c",
                str(BASE_DIR / "klantinteracties/gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{poort}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=uit,
            stderr=subprocess.STDOUT,
        )
    try:
        _wacht_op(server.origin + "/klantinteracties/api/v1/partijen", proces, log)
        yield server
    finally:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(15)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait(5)
        with django_db_blocker.unblock():
            with psycopg.connect(dbname="postgres", autocommit=True, **beheer) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


class NepBron:
    """A source that serves fixed lists, page by page, and can answer 429 first."""

    def __init__(
        self,
        lijsten: dict[str, list[dict]],
        weigeren: int = 0,
        retry_after: str = "1",
        extra_telling: int = 0,
    ):
        self.lijsten = lijsten
        # Counted but not served: objects created while a list is read.
        self.extra_telling = extra_telling
        self.weigeren = weigeren
        self.retry_after = retry_after
        self.verzoeken: list[tuple[float, str, str, int]] = []
        nep = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _antwoord(self, status, body, headers=()):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for naam, waarde in headers:
                    self.send_header(naam, waarde)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                deel = urlparse(self.path)
                if nep.weigeren > 0:
                    nep.weigeren -= 1
                    nep.verzoeken.append((time.monotonic(), "GET", self.path, 429))
                    self._antwoord(429, {"detail": "te veel"}, [("Retry-After", nep.retry_after)])
                    return
                nep.verzoeken.append((time.monotonic(), "GET", self.path, 200))
                if self.headers.get("Authorization") != "Token nep":
                    self._antwoord(401, {"detail": "token"})
                    return
                resource = deel.path.rstrip("/").rsplit("/", 1)[-1]
                items = nep.lijsten.get(resource, [])
                query = parse_qs(deel.query)
                grootte = int(query.get("pageSize", ["100"])[0])
                pagina = int(query.get("page", ["1"])[0])
                begin = (pagina - 1) * grootte
                volgende = begin + grootte < len(items)
                self._antwoord(
                    200,
                    {
                        "count": len(items) + nep.extra_telling,
                        "next": f"{deel.path}?page={pagina + 1}" if volgende else None,
                        "previous": None,
                        "results": items[begin : begin + grootte],
                    },
                )

            def _niet(self):
                nep.verzoeken.append((time.monotonic(), self.command, self.path, 405))
                self._antwoord(405, {})

            do_POST = do_PUT = do_PATCH = do_DELETE = _niet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.urls = {
            "klantinteracties": f"{self.origin}/klantinteracties/api/v1",
            "contactgegevens": f"{self.origin}/contactgegevens/api/v1",
        }
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def nep_bron():
    gestart = []

    def maak(lijsten, **kwargs):
        nep = NepBron(lijsten, **kwargs)
        gestart.append(nep)
        return nep

    yield maak
    for nep in gestart:
        nep.stop()
