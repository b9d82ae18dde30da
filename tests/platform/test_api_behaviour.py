import json

import pytest
from django.test import override_settings
from rest_framework.request import Request

from contactgegevens.models import Persoon
from klantcontacten.models import Klantcontact
from klantinteracties.api.pagination import PageNumberPagination
from partijen.models import Partij
from tests.partijen.factories import make_partij

pytestmark = pytest.mark.django_db

BASE = "/klantinteracties/api/v1"


def test_unknown_query_parameter_is_400(api_client):
    make_partij()
    response = api_client.get(f"{BASE}/partijen", {"soortPartji": "persoon"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "unknown-parameters"
    assert body["invalidParams"][0]["code"] == "unknown-parameters"


def test_unknown_uuid_is_404_problem(api_client):
    response = api_client.get(f"{BASE}/partijen/9f1a1a1a-1111-4111-8111-111111111111")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_malformed_uuid_is_404_problem(api_client):
    response = api_client.get(f"{BASE}/partijen/not-a-uuid")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_method_not_allowed_is_405_problem(api_client):
    response = api_client.delete(f"{BASE}/partijen")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_non_json_body_is_415_problem(api_client):
    response = api_client.post(f"{BASE}/partijen", "soortPartij=persoon", content_type="text/plain")
    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/json")


def test_malformed_json_is_400(api_client):
    response = api_client.post(f"{BASE}/partijen", "{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_array_body_is_400_not_500(api_client):
    response = api_client.post(f"{BASE}/partijen", [1, 2], format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "method, path, model",
    [
        ("post", "/klantinteracties/api/v1/partijen", Partij),
        ("post", "/klantinteracties/api/v1/maak-klantcontact", Klantcontact),
        ("patch", "/klantinteracties/api/v1/partijen/{uuid}", Partij),
        ("post", "/contactgegevens/api/v1/persoon", Persoon),
    ],
)
def test_deeply_nested_json_is_400_and_saves_nothing(api_client, method, path, model):
    # Nested past what Python's JSON parser follows (about 1,000 levels in 3.11, 10,000 in
    # 3.13), in a body well under the size limit.
    partij = make_partij()
    before = model.objects.count()
    body = "[" * 200_000 + "]" * 200_000
    response = getattr(api_client, method)(
        path.format(uuid=partij.uuid), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "parse_error"
    assert model.objects.count() == before


def test_options_on_list_and_detail(api_client):
    partij = make_partij()
    assert api_client.options(f"{BASE}/partijen").status_code == 200
    assert api_client.options(f"{BASE}/partijen/{partij.uuid}").status_code == 200


def test_pagination_shape_and_absolute_next(api_client):
    for _ in range(3):
        make_partij()
    response = api_client.get(f"{BASE}/partijen", {"pageSize": 2}, HTTP_HOST="kcc.gemeente.nl")
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://kcc.gemeente.nl/klantinteracties/api/v1/partijen?")
    assert "page=2" in body["next"]
    second = api_client.get(body["next"]).json()
    assert len(second["results"]) == 1
    assert second["previous"] is not None


def test_page_size_is_capped_at_500(api_client, rf):
    make_partij()
    response = api_client.get(f"{BASE}/partijen", {"pageSize": 100000})
    assert response.status_code == 200
    paginator = PageNumberPagination()
    assert paginator.get_page_size(Request(rf.get("/", {"pageSize": "100000"}))) == 500
    assert paginator.get_page_size(Request(rf.get("/", {"pageSize": "20"}))) == 20


def test_page_out_of_range_is_404(api_client):
    response = api_client.get(f"{BASE}/partijen", {"page": 99})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_api_version_header(api_client):
    assert api_client.get(f"{BASE}/partijen")["API-version"] == "0.9.0"


def test_unknown_api_path_is_404_problem(api_client):
    response = api_client.get(f"{BASE}/bestaatniet")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_unknown_expand_is_400(api_client):
    response = api_client.get(f"{BASE}/partijen", {"expand": "nietBestaand"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "expand"


@override_settings(
    USE_X_FORWARDED_HOST=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_urls_behind_a_proxy_use_forwarded_host_and_proto(api_client):
    for _ in range(2):
        make_partij()
    body = api_client.get(
        f"{BASE}/partijen",
        {"pageSize": 1},
        HTTP_X_FORWARDED_HOST="klantinteracties.gemeente.nl",
        HTTP_X_FORWARDED_PROTO="https",
    ).json()
    assert body["next"].startswith("https://klantinteracties.gemeente.nl/klantinteracties/api/v1/")
    assert body["results"][0]["url"].startswith("https://klantinteracties.gemeente.nl/")


def test_forwarded_host_is_ignored_unless_configured(api_client):
    make_partij()
    body = api_client.get(f"{BASE}/partijen", HTTP_X_FORWARDED_HOST="evil.example").json()
    assert body["results"][0]["url"].startswith("http://testserver/")


def test_host_not_allowed_is_a_400_problem(api_client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = api_client.get(f"{BASE}/partijen", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "bad_request"
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("authenticated", [False, True])
def test_an_error_page_of_the_browsable_api_says_it_is_html(api_client, anon_client, authenticated):
    client = api_client if authenticated else anon_client
    response = client.get(f"{BASE}/partijen", {"soortPartij": "iets"}, HTTP_ACCEPT="text/html")

    assert response.status_code == (400 if authenticated else 401)
    assert response["Content-Type"].startswith("text/html")
    assert response.content.lstrip().startswith(b"<!DOCTYPE html>")
    # A JSON client still gets the problem body.
    response = client.get(f"{BASE}/partijen", {"soortPartij": "iets"})
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("vertrouwelijk", "misschien", "Moet een geldige boolean zijn (true of false)."),
        ("onderwerp", {"a": 1}, "Geen geldige tekst."),
        ("plaatsgevondenOp", "0001-01-01T00:00:00+01:00", "Datum en tijd liggen buiten"),
        ("onderwerp", "\ud800", "Surrogaattekens zijn niet toegestaan: U+D800."),
    ],
)
def test_validation_messages_are_dutch(api_client, field, value, reason):
    body = {"kanaal": "telefoon", "onderwerp": "Vraag", "taal": "nld", "vertrouwelijk": False}
    body[field] = value

    response = api_client.post(
        "/klantinteracties/api/v1/klantcontacten",
        json.dumps(body, ensure_ascii=True),
        content_type="application/json",
    )

    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert param["name"] == field
    assert param["reason"].startswith(reason)
