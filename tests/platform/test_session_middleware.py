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
