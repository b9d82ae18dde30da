import time
from io import StringIO

import pytest
from django.core.management import call_command

from klantinteracties.api import auth
from klantinteracties.api.models import Token

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


def assert_problem(response, status, code=None):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    for key in ("type", "code", "title", "status", "detail", "instance"):
        assert key in body
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def test_no_token_is_401_problem(anon_client):
    body = assert_problem(anon_client.get(URL), 401, "not_authenticated")
    assert body["title"] == "Authenticatiegegevens zijn niet opgegeven."


def test_wrong_token_is_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    body = assert_problem(anon_client.get(URL), 401, "authentication_failed")
    # Given, but wrong: the title does not claim that none was given.
    assert body["title"] == "Ongeldige authenticatiegegevens."


def test_other_scheme_is_401(anon_client, token):
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(anon_client.get(URL), 401)


def test_inactive_token_is_401_once_the_cache_expires(api_client, monkeypatch):
    assert api_client.get(URL).status_code == 200
    Token.objects.update(is_active=False)
    later = time.monotonic() + auth.TOKEN_CACHE_SECONDS + 1
    monkeypatch.setattr(auth.time, "monotonic", lambda: later)
    assert_problem(api_client.get(URL), 401)


def test_token_saved_inactive_is_401_at_once(api_client):
    assert api_client.get(URL).status_code == 200
    token = Token.objects.get()
    token.is_active = False
    token.save()
    assert_problem(api_client.get(URL), 401)


def test_valid_token_is_200_and_records_last_use(api_client):
    assert api_client.get(URL).status_code == 200
    assert Token.objects.get().last_used is not None


def test_key_is_stored_hashed(token):
    stored = Token.objects.get()
    assert token not in (stored.key_hash, stored.prefix)
    assert stored.prefix == token[:8]


def test_createtoken_prints_a_working_key(anon_client):
    out = StringIO()
    call_command("createtoken", "kcc", stdout=out)
    key = out.getvalue().strip()
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get(URL).status_code == 200


def test_revoketoken_deactivates(anon_client):
    out = StringIO()
    call_command("createtoken", "portaal", stdout=out)
    key = out.getvalue().strip()
    call_command("revoketoken", "portaal", stdout=StringIO())
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get(URL).status_code == 401


def test_schema_is_public_and_yaml(anon_client):
    response = anon_client.get("/klantinteracties/api/v1/schema")
    assert response.status_code == 200
    assert b"openapi: 3.0.3" in response.content
    docs = anon_client.get("/klantinteracties/api/v1/schema/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
