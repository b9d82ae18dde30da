"""Every path and method of /organisatie and its date rule."""

import datetime
import uuid

import pytest

from contactgegevens.models import Organisatie

from .factories import ORGANISATIE_URL, invalid_params, make_organisatie, organisatie_body

pytestmark = pytest.mark.django_db


def test_create_returns_the_stored_organisatie(api_client, contract):
    response = api_client.post(ORGANISATIE_URL, organisatie_body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    contract(body, "Organisatie")
    organisatie = Organisatie.objects.get()
    assert body["uuid"] == str(organisatie.uuid)
    assert body["url"] == f"http://testserver{ORGANISATIE_URL}/{organisatie.uuid}"
    assert body["handelsnaam"] == "Bakkerij De Korenschoof"
    assert body["oprichtingsdatum"] == "1999-01-01"
    assert body["opheffingsdatum"] is None
    assert body["adres"]["stad"] == "Amsterdam"
    assert organisatie.adres_stad == "Amsterdam"


def test_create_with_only_handelsnaam(api_client, contract):
    response = api_client.post(ORGANISATIE_URL, {"handelsnaam": "Gemeente"}, format="json")

    assert response.status_code == 201
    body = response.json()
    contract(body, "Organisatie")
    assert body["oprichtingsdatum"] is None
    assert body["opheffingsdatum"] is None


def test_create_requires_handelsnaam(api_client):
    response = api_client.post(ORGANISATIE_URL, {}, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"handelsnaam": "required"}


def test_list_is_paginated_newest_first(api_client, contract):
    make_organisatie(handelsnaam="Oud")
    nieuw = make_organisatie(handelsnaam="Nieuw")

    response = api_client.get(ORGANISATIE_URL, {"pageSize": 1})

    assert response.status_code == 200
    body = response.json()
    contract(body, "PaginatedOrganisatieList")
    assert body["count"] == 2
    assert [o["uuid"] for o in body["results"]] == [str(nieuw.uuid)]
    assert body["next"] == f"http://testserver{ORGANISATIE_URL}?page=2&pageSize=1"


def test_list_rejects_unknown_query_parameters(api_client):
    response = api_client.get(ORGANISATIE_URL, {"handelsnaam": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"


def test_retrieve(api_client, contract):
    organisatie = make_organisatie()

    response = api_client.get(f"{ORGANISATIE_URL}/{organisatie.uuid}")

    assert response.status_code == 200
    contract(response.json(), "Organisatie")
    assert response.json()["uuid"] == str(organisatie.uuid)


def test_retrieve_unknown_uuid_is_404(api_client):
    response = api_client.get(f"{ORGANISATIE_URL}/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_put(api_client, contract):
    organisatie = make_organisatie()
    body = organisatie_body(handelsnaam="Nieuwe naam", opheffingsdatum="2024-12-31")

    response = api_client.put(f"{ORGANISATIE_URL}/{organisatie.uuid}", body, format="json")

    assert response.status_code == 200, response.json()
    contract(response.json(), "Organisatie")
    organisatie.refresh_from_db()
    assert organisatie.handelsnaam == "Nieuwe naam"
    assert organisatie.opheffingsdatum == datetime.date(2024, 12, 31)


def test_put_requires_handelsnaam(api_client):
    organisatie = make_organisatie()

    response = api_client.put(
        f"{ORGANISATIE_URL}/{organisatie.uuid}", {"oprichtingsdatum": None}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"handelsnaam": "required"}


def test_patch(api_client):
    organisatie = make_organisatie(handelsnaam="Oud")

    response = api_client.patch(
        f"{ORGANISATIE_URL}/{organisatie.uuid}", {"handelsnaam": "Nieuw"}, format="json"
    )

    assert response.status_code == 200
    organisatie.refresh_from_db()
    assert organisatie.handelsnaam == "Nieuw"
    assert organisatie.oprichtingsdatum == datetime.date(1999, 1, 1)


def test_patch_can_clear_a_date(api_client):
    organisatie = make_organisatie()

    response = api_client.patch(
        f"{ORGANISATIE_URL}/{organisatie.uuid}", {"oprichtingsdatum": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["oprichtingsdatum"] is None


def test_delete(api_client):
    organisatie = make_organisatie()

    response = api_client.delete(f"{ORGANISATIE_URL}/{organisatie.uuid}")

    assert response.status_code == 204
    assert not Organisatie.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("handelsnaam", "x" * 256, "max_length"),
        ("handelsnaam", "", "blank"),
        ("handelsnaam", None, "null"),
        ("oprichtingsdatum", "1999-13-01", "invalid"),
        ("oprichtingsdatum", "2020-01-01T10:00:00Z", "invalid"),
        ("opheffingsdatum", 20200101, "invalid"),
    ],
)
def test_invalid_field_is_400(api_client, field, value, code):
    response = api_client.post(ORGANISATIE_URL, organisatie_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {field: code}
    assert not Organisatie.objects.exists()


# opheffingsdatum may not be before oprichtingsdatum.


def test_opheffingsdatum_before_oprichtingsdatum_is_400(api_client):
    body = organisatie_body(oprichtingsdatum="2000-01-01", opheffingsdatum="1999-12-31")

    response = api_client.post(ORGANISATIE_URL, body, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"opheffingsdatum": "invalid"}


def test_opheffingsdatum_on_oprichtingsdatum_is_allowed(api_client):
    body = organisatie_body(oprichtingsdatum="2000-01-01", opheffingsdatum="2000-01-01")

    assert api_client.post(ORGANISATIE_URL, body, format="json").status_code == 201


def test_opheffingsdatum_without_oprichtingsdatum_is_allowed(api_client):
    body = organisatie_body(oprichtingsdatum=None, opheffingsdatum="2000-01-01")

    assert api_client.post(ORGANISATIE_URL, body, format="json").status_code == 201


def test_patch_opheffingsdatum_is_checked_against_the_stored_oprichtingsdatum(api_client):
    organisatie = make_organisatie(oprichtingsdatum=datetime.date(2010, 6, 1))

    response = api_client.patch(
        f"{ORGANISATIE_URL}/{organisatie.uuid}", {"opheffingsdatum": "2010-05-31"}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"opheffingsdatum": "invalid"}


def test_patch_oprichtingsdatum_after_the_stored_opheffingsdatum_is_400(api_client):
    organisatie = make_organisatie(
        oprichtingsdatum=datetime.date(2000, 1, 1), opheffingsdatum=datetime.date(2005, 1, 1)
    )

    response = api_client.patch(
        f"{ORGANISATIE_URL}/{organisatie.uuid}", {"oprichtingsdatum": "2006-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"oprichtingsdatum": "invalid"}
