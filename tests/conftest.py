import pytest
from rest_framework.test import APIClient

from klantinteracties.api import auth
from klantinteracties.api.models import Token


@pytest.fixture(autouse=True)
def _clear_token_cache():
    auth._cache.clear()
    yield
    auth._cache.clear()


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
# What the processing log adds to a request under the tests (in a transaction): its plan
# setting, its statement and the setting's reset (logboek.vastleggen).
LOG_STATEMENTS = 3


def is_log(sql: str) -> bool:
    return sql.startswith(LOG_STATEMENT) or "plan_cache_mode" in sql


def without_log(captured: list[dict]) -> list[dict]:
    """The captured statements of a request, without the processing log's (every read of
    personal data writes it; tests/logboek pins them)."""
    return [query for query in captured if not is_log(query["sql"])]
