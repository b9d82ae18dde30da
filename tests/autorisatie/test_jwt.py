"""ZGW JWT client credentials: `Authorization: Bearer <jwt>`, HS256 with the client's secret."""

import time

import jwt
import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from autorisatie.models import Applicatie, ClientCredential
from klantinteracties.api.auth import JWTAuthentication

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"
SECRET = "een-geheim-van-de-applicatie-dat-lang-genoeg-is-ook-voor-hs512-0123456789"


@pytest.fixture
def credential():
    applicatie = Applicatie.objects.create(naam="Portaal", scopes=["partijen.lezen"])
    return ClientCredential.objects.create(
        applicatie=applicatie, client_id="portaal", secret=SECRET
    )


def bearer(claims=None, secret=SECRET, algorithm="HS256", **headers) -> dict:
    payload = {"client_id": "portaal", "iat": int(time.time()), **(claims or {})}
    token = jwt.encode(payload, secret, algorithm=algorithm, headers=headers or None)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_valid_jwt_reads_with_the_applications_scopes(credential):
    client = APIClient()

    assert client.get(URL, **bearer()).status_code == 200
    refused = client.post(URL, {}, format="json", **bearer())
    assert refused.status_code == 403
    assert refused.json()["code"] == "missing-scope"


def test_the_user_claims_are_in_the_request_context(credential):
    request = RequestFactory().get(
        URL, **bearer({"user_id": "mdw-17", "user_representation": "S. de Vries"})
    )

    applicatie, context = JWTAuthentication().authenticate(request)

    assert applicatie == credential.applicatie
    assert (context.user_id, context.user_representation) == ("mdw-17", "S. de Vries")
    assert context.applicatie == credential.applicatie


def unsigned() -> dict:
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    body = jwt.utils.base64url_encode(
        f'{{"client_id":"portaal","iat":{int(time.time())}}}'.encode()
    ).decode()
    return {"HTTP_AUTHORIZATION": f"Bearer {header}.{body}."}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda: bearer({"iat": int(time.time()) - 2 * 3600}), id="iat-too-old"),
        pytest.param(lambda: bearer({"exp": int(time.time()) - 120}), id="expired"),
        pytest.param(lambda: bearer({"iat": int(time.time()) + 3600}), id="iat-in-future"),
        pytest.param(lambda: bearer(secret="fout-geheim-" * 4), id="wrong-secret"),
        pytest.param(lambda: bearer({"client_id": "onbekend"}), id="unknown-client"),
        pytest.param(unsigned, id="alg-none"),
        pytest.param(lambda: bearer(algorithm="HS512"), id="other-algorithm"),
        pytest.param(
            lambda: {
                "HTTP_AUTHORIZATION": "Bearer " + jwt.encode({"client_id": "portaal"}, SECRET)
            },
            id="no-iat",
        ),
        pytest.param(lambda: {"HTTP_AUTHORIZATION": "Bearer geen.jwt"}, id="not-a-jwt"),
        pytest.param(lambda: {"HTTP_AUTHORIZATION": "Bearer"}, id="empty"),
    ],
)
def test_a_bad_jwt_is_a_401_problem(credential, headers):
    response = APIClient().get(URL, **headers())

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 401


def test_an_inactive_application_is_a_401(credential):
    Applicatie.objects.filter(pk=credential.applicatie.pk).update(actief=False)

    assert APIClient().get(URL, **bearer()).status_code == 401


@pytest.mark.parametrize("client_id", ["a\x00b", "x" * 201, "", 17])
def test_a_client_id_that_cannot_be_one_is_a_401(credential, client_id):
    response = APIClient().get(URL, **bearer({"client_id": client_id}))

    assert response.status_code == 401
