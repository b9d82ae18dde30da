"""A reference's `url` must be one of this service's: another host is a 400, not ignored."""

import pytest
from rest_framework.exceptions import ValidationError

from klantinteracties.api.fields import ReferenceField
from partijen.models import Partij
from tests.partijen.factories import make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def digitaal_adres(partij_ref: dict) -> dict:
    return {
        "verstrektDoorPartij": partij_ref,
        "adres": "jan@example.nl",
        "soortDigitaalAdres": "email",
        "omschrijving": "privé",
    }


def post(api_client, url_template: str, **extra):
    partij = make_partij()
    ref = {"uuid": str(partij.uuid), "url": url_template.format(uuid=partij.uuid)}
    return api_client.post(f"{API}/digitaleadressen", digitaal_adres(ref), format="json", **extra)


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "https://evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "http://testserver.evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "http://testserver@evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "ftp://testserver/klantinteracties/api/v1/partijen/{uuid}",
        "//evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "http://[::1/klantinteracties/api/v1/partijen/{uuid}",
        # No host part as urlparse reads them, but a host to a browser or a person.
        "evil.example:8000/klantinteracties/api/v1/partijen/{uuid}",
        "https:evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "http:/evil.example/klantinteracties/api/v1/partijen/{uuid}",
        "http:///klantinteracties/api/v1/partijen/{uuid}",
        "mailto:x/klantinteracties/api/v1/partijen/{uuid}",
        "http://evil.example\\@testserver/klantinteracties/api/v1/partijen/{uuid}",
        # The service's host, but not this API's path.
        "http://testserver/contactgegevens/api/v1/partijen/{uuid}",
        "http://testserver/elders/partijen/{uuid}",
    ],
)
def test_a_url_on_another_host_is_a_400_naming_the_reference(api_client, url):
    response = post(api_client, url)

    assert response.status_code == 400, response.json()
    params = response.json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in params] == [("verstrektDoorPartij", "url_mismatch")]


@pytest.mark.parametrize(
    "url",
    [
        # What the service itself writes, and the same with another scheme, port or case.
        "http://testserver/klantinteracties/api/v1/partijen/{uuid}",
        "https://testserver/klantinteracties/api/v1/partijen/{uuid}",
        "http://TestServer:8000/klantinteracties/api/v1/partijen/{uuid}/",
        "//testserver/klantinteracties/api/v1/partijen/{uuid}",
        "/klantinteracties/api/v1/partijen/{uuid}",
        # Under a proxy's path prefix.
        "https://testserver/openklant/klantinteracties/api/v1/partijen/{uuid}",
    ],
)
def test_a_url_on_the_requests_own_host_is_accepted(api_client, url):
    assert post(api_client, url).status_code == 201


def test_each_request_host_is_its_own(api_client):
    url = "http://klant.gemeente.nl/klantinteracties/api/v1/partijen/{uuid}"
    assert post(api_client, url, HTTP_HOST="klant.gemeente.nl").status_code == 201
    assert post(api_client, url, HTTP_HOST="intern.gemeente.nl").status_code == 400


def test_another_name_in_allowed_hosts_is_accepted(api_client, settings):
    settings.ALLOWED_HOSTS = ["testserver", ".gemeente.nl"]
    assert post(api_client, "https://api.gemeente.nl" + API + "/partijen/{uuid}").status_code == 201
    assert (
        post(api_client, "https://gemeente.nl.evil" + API + "/partijen/{uuid}").status_code == 400
    )


def test_patch_checks_the_url_too(api_client):
    created = post(api_client, "http://testserver" + API + "/partijen/{uuid}")
    other = make_partij()
    response = api_client.patch(
        created.json()["url"],
        {
            "verstrektDoorPartij": {
                "uuid": str(other.uuid),
                "url": f"http://evil.example{API}/partijen/{other.uuid}",
            }
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "verstrektDoorPartij"


def test_without_a_request_only_the_names_in_allowed_hosts_count(settings):
    settings.ALLOWED_HOSTS = ["*", "klant.gemeente.nl"]
    partij = make_partij()
    field = ReferenceField("partijen", queryset=Partij.objects.all())
    path = f"{API}/partijen/{partij.uuid}"

    assert field.to_internal_value({"url": f"https://klant.gemeente.nl{path}"}) == partij
    assert field.to_internal_value({"url": path}) == partij
    with pytest.raises(ValidationError):
        field.to_internal_value({"url": f"https://evil.example{path}"})


def test_a_uuid_and_a_url_of_different_objects_are_a_400_saying_so(api_client):
    een, ander = make_partij(), make_partij()
    ref = {"uuid": str(een.uuid), "url": f"http://testserver{API}/partijen/{ander.uuid}"}

    response = api_client.post(f"{API}/digitaleadressen", digitaal_adres(ref), format="json")

    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("verstrektDoorPartij", "uuid_mismatch")
    assert "verschillende objecten" in param["reason"]


def test_an_empty_reference_asks_for_its_uuid_or_url(api_client):
    response = api_client.post(f"{API}/digitaleadressen", digitaal_adres({}), format="json")

    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("verstrektDoorPartij", "required")
    assert "`uuid` of de `url`" in param["reason"]
