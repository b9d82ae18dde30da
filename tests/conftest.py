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


def without_log(captured: list[dict]) -> list[dict]:
    """The captured statements of a request, without the processing log's one (every read
    of personal data writes it; tests/logboek pins it)."""
    return [query for query in captured if not query["sql"].startswith(LOG_STATEMENT)]
