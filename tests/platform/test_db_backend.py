"""The project's PostgreSQL backend: idle-only health checks, statements planned for their
values, server-side binding with single-row INSERTs prepared."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantcontacten.models import Klantcontact
from klantinteracties.db_backend.base import PREPARED_INSERT_MAX_PARAMS, prepared_cursor
from partijen.models import Partij

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_project_backend_is_used():
    assert connection.settings_dict["ENGINE"] == "klantinteracties.db_backend"
    assert connection.health_check_enabled


def test_statements_are_planned_for_their_values_and_prepared_only_when_asked():
    # A session-wide generic plan would also apply to every unprepared statement.
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
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
    connection.ensure_connection()
    calls = []
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or True)
    connection.health_check_done = False
    connection._last_healthy = time.monotonic() - 5.0
    with prepared_cursor(connection) as cursor:
        cursor.execute("SELECT 1")
    assert calls == [1]


def test_values_are_bound_server_side():
    assert connection.features.uses_server_side_binding
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text, %s::int", ["it's", 7])
        assert cursor.fetchone() == ("it's", 7)


def inserts_into(table: str) -> list[str]:
    return [sql for sql in prepared_statements() if sql.startswith(f'INSERT INTO "{table}"')]


def test_a_single_row_insert_is_prepared_and_logged_with_its_values():
    assert inserts_into("klantcontacten_klantcontact") == []
    with CaptureQueriesContext(connection) as queries:
        for onderwerp in ("eerste", "tweede"):
            Klantcontact.objects.create(
                kanaal="telefoon", onderwerp=onderwerp, nummer=onderwerp, vertrouwelijk=False
            )
    # Prepared once, executed by name after that: one statement for both rows.
    assert len(inserts_into("klantcontacten_klantcontact")) == 1
    assert sorted(Klantcontact.objects.values_list("onderwerp", flat=True)) == ["eerste", "tweede"]
    logged = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(logged) == 2 and "'tweede'" in logged[1]


def test_an_insert_of_many_values_is_not_prepared():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE waarden (n int)")
        for count in (3, PREPARED_INSERT_MAX_PARAMS + 1):
            values = ", ".join(["(%s)"] * count)
            cursor.execute(f'INSERT INTO "waarden" VALUES {values}', list(range(count)))
        cursor.execute("SELECT count(*) FROM waarden")
        assert cursor.fetchone()[0] == PREPARED_INSERT_MAX_PARAMS + 4
    assert [len(sql.split("(")) - 1 for sql in inserts_into("waarden")] == [3]


def test_a_bulk_create_is_one_prepared_statement_whatever_its_size():
    # Django inserts the rows of a bulk_create as arrays (UNNEST): one parameter per column.
    for start, rows in ((1, 2), (10, 300)):
        Partij.objects.bulk_create(
            [Partij(soort_partij="persoon", nummer=f"{n:010d}") for n in range(start, start + rows)]
        )
    assert Partij.objects.count() == 302
    assert len(inserts_into("partijen_partij")) == 1


def test_a_failing_prepared_insert_leaves_nothing_behind_and_the_connection_usable():
    from django.db import IntegrityError, transaction

    Klantcontact.objects.create(kanaal="telefoon", nummer="0000000001", vertrouwelijk=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Klantcontact.objects.create(kanaal="telefoon", nummer="0000000001", vertrouwelijk=False)
    assert Klantcontact.objects.filter(nummer="0000000001").count() == 1
    Klantcontact.objects.create(kanaal="balie", nummer="0000000002", vertrouwelijk=False)
    assert Klantcontact.objects.count() == 2


def test_nothing_is_prepared_when_prepared_statements_are_off(settings):
    settings.DB_PREPARED_STATEMENTS = False
    params = connection.get_connection_params()
    assert params["prepare_threshold"] is None
    import psycopg

    from klantinteracties.db_backend.base import Cursor, PreparedCursor

    with psycopg.connect(**params) as raw:
        assert raw.cursor_factory is Cursor
        PreparedCursor(raw).execute("SELECT %s::int", [1])
        with raw.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE waarden (n int)")
            cursor.execute('INSERT INTO "waarden" VALUES (%s)', [1])
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] == 0
