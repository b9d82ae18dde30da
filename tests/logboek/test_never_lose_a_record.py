"""A processing that cannot be logged does not happen: a write rolls back, a read is not
answered (503)."""

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logboek.models import AuditRecord, Handeling
from partijen.models import Partij
from tests.klantcontacten.factories import make_partij

API = "/klantinteracties/api/v1"
BODY = {
    "soortPartij": "persoon",
    "indicatieActief": True,
    "indicatieGeheimhouding": False,
    "voorkeurstaal": "nld",
    "partijIdentificatie": {"contactnaam": {"achternaam": "Berg"}},
}


@contextlib.contextmanager
def failing_inserts(table: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_log_kapot() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'logboek kapot'; END; $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_log_kapot BEFORE INSERT ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION test_log_kapot()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_log_kapot ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_log_kapot()")


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["logboek_handeling", "logboek_auditrecord"])
def test_a_write_whose_records_cannot_be_stored_is_not_saved(api_client, table):
    partij = make_partij(interne_notitie="voor")
    with failing_inserts(table):
        created = api_client.post(f"{API}/partijen", BODY, format="json")
        changed = api_client.patch(
            f"{API}/partijen/{partij.uuid}", {"interneNotitie": "na"}, format="json"
        )
        deleted = api_client.delete(f"{API}/partijen/{partij.uuid}")

    for response in (created, changed, deleted):
        assert response.status_code == 503, response.content
        assert response.json()["code"] == "logboek_niet_beschikbaar"
        assert response["Retry-After"]
    assert list(Partij.objects.values_list("interne_notitie", flat=True)) == ["voor"]
    assert not AuditRecord.objects.exists()
    assert not Handeling.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["logboek_handeling", "logboek_verwerking"])
def test_a_read_whose_record_cannot_be_stored_is_not_answered(api_client, table, both_renderings):
    # Outside a transaction, as the API reads: on the SQL path the page's own statement
    # writes the record, then the page is read again and the record written on its own.
    partij = make_partij(interne_notitie="geheim")
    with failing_inserts(table):
        detail = api_client.get(f"{API}/partijen/{partij.uuid}")
        page = api_client.get(f"{API}/partijen")
        second = api_client.get(f"{API}/partijen", {"page": 2, "pageSize": 1})

    for response in (detail, page):
        assert response.status_code == 503
        assert response.json()["code"] == "logboek_niet_beschikbaar"
        assert b"geheim" not in response.content
    assert second.status_code == 404  # no second page: nothing read, nothing to log
    # The session's settings are back after the failure; once the log works, so does the read.
    assert session_settings() == ("auto", "on")
    assert api_client.get(f"{API}/partijen/{partij.uuid}").status_code == 200
    assert Handeling.objects.count() == 1


def session_settings() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('plan_cache_mode'), current_setting('synchronous_commit')"
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("synchroon", [True, False])
def test_a_read_outside_a_transaction_leaves_the_session_as_it_was(
    api_client, settings, synchroon, both_renderings
):
    settings.LOGBOEK_LEZEN_SYNCHROON = synchroon
    partij = make_partij()
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"{API}/partijen/{partij.uuid}").status_code == 200
        assert api_client.get(f"{API}/partijen").status_code == 200
    assert Handeling.objects.count() == 2
    # Each read's record is written by one statement, its own transaction, which says
    # whether its commit waits for the disk; the session is as it was after it.
    writes = [q["sql"] for q in queries.captured_queries if 'INTO "logboek_handeling"' in q["sql"]]
    assert len(writes) == 2
    assert all(("'synchronous_commit', 'off', true" in sql) != synchroon for sql in writes)
    assert not any(q["sql"].startswith(("BEGIN", "SET")) for q in queries.captured_queries)
    assert session_settings() == ("auto", "on")


@pytest.mark.django_db
def test_a_read_in_a_transaction_leaves_its_commit_alone(api_client, settings, both_renderings):
    # Within a transaction (not the API's reads; the tests') a read's record may not decide
    # how that transaction commits.
    settings.LOGBOEK_LEZEN_SYNCHROON = False
    partij = make_partij()
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"{API}/partijen/{partij.uuid}").status_code == 200
    assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    "transactional",
    [
        pytest.param(False, marks=pytest.mark.django_db),
        pytest.param(True, marks=pytest.mark.django_db(transaction=True)),
    ],
    ids=["in a transaction", "as the API reads"],
)
def test_a_page_statement_that_fails_with_its_record_is_read_again(
    api_client, monkeypatch, caplog, transactional
):
    # Whatever makes the page's statement with the record fail (here: a record that names
    # no table), the read is answered and logged once, by the log's own statement.
    from logboek import vastleggen

    monkeypatch.setattr(
        vastleggen.LeesRecord, "ctes", lambda self, keys: "handeling AS (SELECT * FROM geen_tabel)"
    )
    partij = make_partij()
    for path in (f"{API}/partijen/{partij.uuid}", f"{API}/partijen"):
        before = Handeling.objects.count()
        response = api_client.get(path)
        assert response.status_code == 200
        assert Handeling.objects.count() == before + 1
        [handeling] = Handeling.objects.order_by("-id")[:1]
        assert list(handeling.verwerkingen.values_list("subject_uuid", flat=True)) == [partij.uuid]
    assert "opnieuw zonder" in caplog.text
