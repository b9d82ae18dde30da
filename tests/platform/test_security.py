"""No way in without a valid token, on any path of either API; safe production settings."""

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from klantinteracties.api.models import Token

pytestmark = pytest.mark.django_db

PUBLIC = re.compile(r"/schema(/docs|/redoc)?$")


def api_paths() -> list[tuple[str, list[str]]]:
    """Every concrete API path with the methods its view answers."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                path = "/" + route.replace("^", "").replace("$", "").replace("\\.", ".")
                path = re.sub(r"\(\?P<\w+>[^)]*\)", str(uuid.uuid4()), path)
                path = re.sub(r"<\w+:?\w*>", str(uuid.uuid4()), path)
                if "(?P<format>" in path or not path.startswith(
                    ("/klantinteracties/api", "/contactgegevens/api")
                ):
                    continue
                if PUBLIC.search(path):
                    continue
                view = pattern.callback
                actions = getattr(view, "actions", None)
                if actions:
                    methods = [m.upper() for m in actions]
                else:
                    methods = [
                        m.upper()
                        for m in view.cls.http_method_names
                        if m not in ("options", "head")
                    ]
                found.append((path, methods))

    walk(get_resolver().url_patterns, "")
    return found


PATHS = api_paths()


def test_enumeration_finds_both_apis():
    joined = " ".join(path for path, _ in PATHS)
    for resource in (
        "partijen",
        "klantcontacten",
        "maak-klantcontact",
        "internetaken",
        "persoon",
        "organisatie",
    ):
        assert f"/{resource}" in joined
    assert len(PATHS) >= 30


@pytest.mark.parametrize("path, methods", PATHS, ids=[p for p, _ in PATHS])
def test_every_api_path_needs_a_valid_token(anon_client, path, methods):
    _, revoked = Token.objects.create_token("ingetrokken", is_active=False)
    for credentials in (None, "Token onbekend", f"Token {revoked}", "Bearer x"):
        anon_client.credentials(**({"HTTP_AUTHORIZATION": credentials} if credentials else {}))
        for method in methods:
            response = getattr(anon_client, method.lower())(path, {}, format="json")
            assert response.status_code == 401, (method, path, credentials)
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["status"] == 401


def test_request_body_over_the_limit_is_413(api_client):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_client.post(
        "/klantinteracties/api/v1/partijen", {"interneNotitie": big}, format="json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")


def test_cors_is_off_by_default(api_client):
    response = api_client.get(
        "/klantinteracties/api/v1/partijen", HTTP_ORIGIN="https://kcc.example.nl"
    )
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://kcc.example.nl"])
def test_cors_for_configured_origin(anon_client):
    response = anon_client.options(
        "/klantinteracties/api/v1/partijen",
        HTTP_ORIGIN="https://kcc.example.nl",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert response["Access-Control-Allow-Origin"] == "https://kcc.example.nl"
    allowed = response["Access-Control-Allow-Headers"].lower()
    # A browser client may ask to reuse a digitaal adres and pass its trace on.
    for header in ("authorization", "prefer", "traceparent"):
        assert header in allowed


@override_settings(CORS_ALLOWED_ORIGINS=["https://kcc.example.nl"])
def test_cors_exposes_what_clients_read(api_client):
    response = api_client.get(
        "/klantinteracties/api/v1/partijen", HTTP_ORIGIN="https://kcc.example.nl"
    )
    exposed = response["Access-Control-Expose-Headers"].lower()
    for header in ("traceparent", "preference-applied", "content-location"):
        assert header in exposed


def test_security_headers(api_client):
    response = api_client.get("/klantinteracties/api/v1/partijen")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("secret", [None, "insecure-development-key-do-not-use-in-production"])
def test_production_refuses_to_start_without_own_secret_key(secret):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_VERSION", "KLANTINTERACTIES_DEV", "SECRET_KEY")
    }
    env.update({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DEBUG": "1"})
    if secret:
        env["SECRET_KEY"] = secret
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'klantinteracties.settings'); django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
