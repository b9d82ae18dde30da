import pytest
from django.db import connection
from rest_framework.test import APIClient

from klantinteracties.api import auth
from klantinteracties.api.models import Token


@pytest.fixture(autouse=True)
def _clear_token_cache():
    auth._cache.clear()
    yield
    auth._cache.clear()


@pytest.fixture(autouse=True)
def _kept_counts_at_each_statement(request):
    """KlantcontactTelling's triggers fire at each statement in a test's rolled-back
    transaction: they are deferred to a commit it never reaches (klantcontacten migration
    0008), and the unfiltered klantcontacten list reads its count from them. A transactional
    test commits, and sees them fire as in production."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    )
    if transactional or (marker is None and "db" not in request.fixturenames):
        return
    request.getfixturevalue("db")
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS klantcontact_telling, klantcontact_telling_wijziging IMMEDIATE"
        )


@pytest.fixture
def token(db) -> str:
    _, key = Token.objects.create_token("test")
    return key


@pytest.fixture
def api_client(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture(params=[True, False], ids=["sql-json", "serializers"])
def both_renderings(request, settings):
    """Run a list test on both render paths: JSON built by PostgreSQL, and the serializers."""
    settings.SQL_JSON_LISTS = request.param
    return request.param


LOG_STATEMENT = 'WITH handeling AS (INSERT INTO "logboek_handeling"'
# What the processing log adds to a request under the tests (in a transaction): its
# statement (logboek.vastleggen).
LOG_STATEMENTS = 1
# On the SQL path the page's own statement writes the read's record: under the tests (in a
# transaction) within a savepoint, which is all it adds (logboek.viewsets).
LOG_STATEMENTS_SQL = 2
# The statement that writes a read's handeling, whichever it is.
WRITES_HANDELING = 'AS (INSERT INTO "logboek_handeling"'


def is_log(sql: str) -> bool:
    return sql.startswith(
        # Its own statement; a read's savepoint around the page statement that writes it.
        (LOG_STATEMENT, "SAVEPOINT ", "RELEASE SAVEPOINT ")
    )


def without_log(captured: list[dict]) -> list[dict]:
    """The captured statements of a request, without the processing log's (every read of
    personal data writes it; tests/logboek pins them). On the SQL path the page's statement
    writes the record itself: it stays."""
    return [query for query in captured if not is_log(query["sql"])]
