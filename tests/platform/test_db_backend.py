"""The project's PostgreSQL backend: idle-only health checks, generic plans when prepared."""

import time

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_project_backend_is_used():
    assert connection.settings_dict["ENGINE"] == "klantinteracties.db_backend"
    assert connection.health_check_enabled


def test_prepared_statements_run_with_a_generic_plan():
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    assert connection.connection.prepare_threshold > 10**6


@pytest.mark.parametrize(("idle", "checked"), [(0.0, False), (5.0, True)])
def test_health_check_only_after_idle(monkeypatch, idle, checked):
    connection.ensure_connection()
    calls = []
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or True)
    connection.health_check_done = False
    connection._last_healthy = time.monotonic() - idle
    connection.close_if_health_check_failed()
    assert bool(calls) == checked
    assert connection.health_check_done
    assert connection.connection is not None


def test_prepared_statements_check_an_idle_connection_first(monkeypatch):
    from klantinteracties.api.sqljson import prepared_cursor

    connection.ensure_connection()
    calls = []
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or True)
    connection.health_check_done = False
    connection._last_healthy = time.monotonic() - 5.0
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1")
    assert calls == [1]
