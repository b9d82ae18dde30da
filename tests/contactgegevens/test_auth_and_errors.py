"""Token authentication and problem details on every path and method of the API."""

import uuid

import pytest
import yaml

from klantinteracties.api.models import Token

from .factories import ORGANISATIE_URL, PERSOON_URL, make_organisatie, make_persoon

pytestmark = pytest.mark.django_db

OPERATIONS = [
    ("get", "list"),
    ("post", "list"),
    ("get", "detail"),
    ("put", "detail"),
    ("patch", "detail"),
    ("delete", "detail"),
]


@pytest.fixture(params=["persoon", "organisatie"])
def urls(request):
    if request.param == "persoon":
        instance, base = make_persoon(), PERSOON_URL
    else:
        instance, base = make_organisatie(), ORGANISATIE_URL
    return {"list": base, "detail": f"{base}/{instance.uuid}"}


@pytest.mark.parametrize(("method", "kind"), OPERATIONS)
def test_without_token_is_401_problem(anon_client, urls, method, kind):
    response = getattr(anon_client, method)(urls[kind], {}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "not_authenticated"
    assert body["instance"].startswith("urn:uuid:")


@pytest.mark.parametrize(("method", "kind"), OPERATIONS)
def test_wrong_token_is_401_problem(anon_client, urls, method, kind):
    anon_client.credentials(HTTP_AUTHORIZATION="Token niet-geldig")

    response = getattr(anon_client, method)(urls[kind], {}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "authentication_failed"


def test_revoked_token_is_401(anon_client, token, urls):
    Token.objects.update(is_active=False)
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert anon_client.get(urls["list"]).status_code == 401


def test_other_auth_scheme_is_401(anon_client, urls):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer abc")

    assert anon_client.get(urls["list"]).status_code == 401


@pytest.mark.parametrize(
    ("method", "kind"), [("put", "list"), ("patch", "list"), ("delete", "list"), ("post", "detail")]
)
def test_method_a_path_lacks_is_405_problem(api_client, urls, method, kind):
    response = getattr(api_client, method)(urls[kind], {}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_body_that_is_not_json_is_415_problem(api_client, urls):
    response = api_client.post(urls["list"], "handelsnaam=x", content_type="text/plain")

    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"


def test_malformed_json_is_400_problem(api_client, urls):
    response = api_client.post(urls["list"], "{", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_body_that_is_a_list_is_400(api_client, urls):
    response = api_client.post(urls["list"], [1, 2], format="json")

    assert response.status_code == 400


def test_options_answers(api_client, urls):
    assert api_client.options(urls["list"]).status_code == 200
    assert api_client.options(urls["detail"]).status_code == 200


def test_not_a_uuid_is_404_problem(api_client, urls):
    response = api_client.get(f"{urls['list']}/geen-uuid")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("page_size", [1, 500, 501])
def test_page_size_is_capped_at_500(api_client, urls, page_size):
    response = api_client.get(urls["list"], {"pageSize": page_size})

    assert response.status_code == 200


def test_page_out_of_range_is_404(api_client, urls):
    assert api_client.get(urls["list"], {"page": 99}).status_code == 404


def test_api_version_header(api_client, urls):
    assert api_client.get(urls["list"])["API-version"] == "1.1.1"
    assert api_client.delete(urls["detail"])["API-version"] == "1.1.1"


def test_schema_is_served_without_token(anon_client):
    response = anon_client.get("/contactgegevens/api/v1/schema")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert set(schema["paths"]) == {
        "/persoon",
        "/persoon/{uuid}",
        "/organisatie",
        "/organisatie/{uuid}",
        "/persoon/{uuid}/audittrail",
        "/persoon/{uuid}/audittrail/{audit_uuid}",
        "/organisatie/{uuid}/audittrail",
        "/organisatie/{uuid}/audittrail/{audit_uuid}",
    }


def test_unknown_path_is_404_problem(api_client):
    response = api_client.get(f"/contactgegevens/api/v1/medewerker/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
