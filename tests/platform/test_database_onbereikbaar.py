"""A database that cannot be reached is answered with 503 and Retry-After, never a 500, and the
service recovers without a restart (klantinteracties/gezondheid.py); the health endpoints."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from partijen.views import PartijViewSet

from .servers import (
    API,
    Cluster,
    Gunicorn,
    copy_test_database,
    create_token,
    project_env,
    request,
    under_load,
)


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


@pytest.fixture
def eigen_server(django_db_setup, django_db_blocker):
    """This project under gunicorn on a copy of the test database in a cluster of its own."""
    root = Path(tempfile.mkdtemp(prefix="onbereikbaar-"))
    root.chmod(0o755)  # the server may run as a user of its own (as root: embedded_postgres)
    cluster = Cluster(root)
    copy_test_database(cluster, root, django_db_blocker)
    # Persistent connections, as in production: each is broken when the server stops.
    env = project_env(cluster.url())
    token = create_token(env, "onbereikbaar")
    server = Gunicorn(env, root)
    try:
        yield server.origin, token, cluster
    finally:
        server.stop()
        cluster.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _status(url: str, token: str | None = None) -> tuple[int, dict]:
    status, headers, _ = request(url, token)
    return status, headers


def test_the_database_stopped_under_load_is_503_then_recovered_without_a_restart(eigen_server):
    origin, token, cluster = eigen_server
    seen: list[tuple[str, int, dict]] = []
    phase = ["voor"]

    def read():
        status, headers = _status(f"{origin}{API}/partijen?pageSize=5", token)
        seen.append((phase[0], status, headers))

    with under_load(read):
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
