"""Sessions, the session user and messages run for the admin, not for the token-only APIs."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from klantinteracties.api.middleware import (
    AuthenticationMiddleware,
    MessageMiddleware,
    SessionMiddleware,
)


def chain():
    return SessionMiddleware(AuthenticationMiddleware(MessageMiddleware(lambda r: HttpResponse())))


@pytest.mark.parametrize(
    ("path", "with_session"),
    [
        ("/klantinteracties/api/v1/partijen", False),
        ("/contactgegevens/api/v1/personen", False),
        ("/admin/login/", True),
        ("/klantinteracties-elders/", True),
    ],
)
def test_session_only_outside_the_apis(path, with_session):
    request = RequestFactory().get(path)
    chain()(request)
    assert hasattr(request, "session") is with_session
    assert hasattr(request, "user") is with_session
    assert hasattr(request, "_messages") is with_session


@pytest.mark.django_db
def test_admin_login_still_works(admin_client):
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_api_responses_keep_their_length_and_security_headers(api_client):
    response = api_client.get("/klantinteracties/api/v1/partijen")

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrftoken" not in response.cookies


def test_admin_paths_keep_slash_redirects_and_csrf():
    from django.middleware.csrf import get_token

    from klantinteracties.api.middleware import CommonMiddleware, CsrfViewMiddleware

    request = RequestFactory().get("/admin")
    response = CommonMiddleware(lambda r: HttpResponse(status=404))(request)
    assert response.status_code == 301 and response["Location"] == "/admin/"

    request = RequestFactory().get("/admin/login/")

    def view(request):
        get_token(request)
        return HttpResponse()

    response = CsrfViewMiddleware(view)(request)
    assert "csrftoken" in response.cookies
