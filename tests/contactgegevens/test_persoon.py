"""Every path and method of /persoon and its date rule."""

import datetime
import uuid

import pytest

from contactgegevens.models import Persoon

from .factories import PERSOON_URL, invalid_params, make_persoon, persoon_body

pytestmark = pytest.mark.django_db


def test_create_returns_the_stored_persoon(api_client, contract):
    response = api_client.post(PERSOON_URL, persoon_body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    contract(body, "Persoon")
    persoon = Persoon.objects.get()
    assert body["uuid"] == str(persoon.uuid)
    assert body["url"] == f"http://testserver{PERSOON_URL}/{persoon.uuid}"
    assert body["geboortedatum"] == "1980-02-21"
    assert body["overlijdensdatum"] is None
    assert body["geslachtsnaam"] == "Jansen"
    assert body["geslacht"] == "v"
    assert body["voorvoegsel"] == "de"
    assert body["voornamen"] == "Anna Maria"
    assert body["adres"]["postcode"] == "1012 NX"
    assert body["adres"]["huisnummer"] == 1
    assert persoon.adres_postcode == "1012 NX"
    assert persoon.adres_nummeraanduiding_id == "0363200000123456"


def test_create_with_only_the_required_fields(api_client, contract):
    response = api_client.post(
        PERSOON_URL, {"geboortedatum": "1970-05-01", "geslachtsnaam": "Pietersen"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    contract(body, "Persoon")
    assert body["geslacht"] == ""
    assert body["overlijdensdatum"] is None
    # Every key is there; empty values as "" (or null), also where a pattern applies.
    assert body["adres"] == {
        "nummeraanduidingId": "",
        "straatnaam": "",
        "huisnummer": None,
        "huisnummertoevoeging": "",
        "postcode": "",
        "stad": "",
        "adresregel1": "",
        "adresregel2": "",
        "adresregel3": "",
        "land": "",
    }


def test_create_requires_geboortedatum_and_geslachtsnaam(api_client):
    response = api_client.post(PERSOON_URL, {}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert invalid_params(response) == {"geboortedatum": "required", "geslachtsnaam": "required"}


def test_list_is_paginated_newest_first_with_absolute_urls(api_client, contract):
    oud = make_persoon(geslachtsnaam="Oud")
    nieuw = make_persoon(geslachtsnaam="Nieuw")

    response = api_client.get(PERSOON_URL, {"pageSize": 1})

    assert response.status_code == 200
    body = response.json()
    contract(body, "PaginatedPersoonList")
    assert body["count"] == 2
    assert [p["uuid"] for p in body["results"]] == [str(nieuw.uuid)]
    assert body["next"] == f"http://testserver{PERSOON_URL}?page=2&pageSize=1"
    assert body["previous"] is None
    second = api_client.get(body["next"]).json()
    assert [p["uuid"] for p in second["results"]] == [str(oud.uuid)]


def test_list_item_equals_detail(api_client):
    persoon = make_persoon()

    listed = api_client.get(PERSOON_URL).json()["results"][0]
    detail = api_client.get(f"{PERSOON_URL}/{persoon.uuid}").json()

    assert listed == detail


def test_list_honours_the_host_header(api_client):
    make_persoon()

    body = api_client.get(PERSOON_URL, HTTP_HOST="klanten.example.nl").json()

    assert body["results"][0]["url"].startswith("http://klanten.example.nl/contactgegevens/")


def test_list_rejects_unknown_query_parameters(api_client):
    make_persoon()

    response = api_client.get(PERSOON_URL, {"geslachtsnaam": "Jansen"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"


def test_retrieve(api_client, contract):
    persoon = make_persoon(geslacht="m", voornamen="Jan")

    response = api_client.get(f"{PERSOON_URL}/{persoon.uuid}")

    assert response.status_code == 200
    assert response["API-version"] == "1.1.1"
    body = response.json()
    contract(body, "Persoon")
    assert body["uuid"] == str(persoon.uuid)
    assert body["geslacht"] == "m"
    assert body["adres"]["land"] == "NL"


def test_retrieve_unknown_uuid_is_404_problem(api_client):
    response = api_client.get(f"{PERSOON_URL}/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_put_replaces_the_fields(api_client, contract):
    persoon = make_persoon()
    body = persoon_body(geslachtsnaam="Bakker", voornamen="Piet", geslacht="m")

    response = api_client.put(f"{PERSOON_URL}/{persoon.uuid}", body, format="json")

    assert response.status_code == 200, response.json()
    contract(response.json(), "Persoon")
    persoon.refresh_from_db()
    assert (persoon.geslachtsnaam, persoon.voornamen, persoon.geslacht) == ("Bakker", "Piet", "m")


def test_put_requires_the_mandatory_fields(api_client):
    persoon = make_persoon()

    response = api_client.put(f"{PERSOON_URL}/{persoon.uuid}", {"voornamen": "Piet"}, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"geboortedatum": "required", "geslachtsnaam": "required"}


def test_patch_changes_only_what_it_gets(api_client):
    persoon = make_persoon(voornamen="Anna", geslachtsnaam="Jansen")

    response = api_client.patch(
        f"{PERSOON_URL}/{persoon.uuid}", {"voornamen": "Anne"}, format="json"
    )

    assert response.status_code == 200
    persoon.refresh_from_db()
    assert (persoon.voornamen, persoon.geslachtsnaam) == ("Anne", "Jansen")


def test_patch_validates_like_post(api_client):
    persoon = make_persoon()

    response = api_client.patch(
        f"{PERSOON_URL}/{persoon.uuid}", {"voorvoegsel": "x" * 11}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"voorvoegsel": "max_length"}
    persoon.refresh_from_db()
    assert persoon.voorvoegsel == ""


def test_delete(api_client):
    persoon = make_persoon()

    response = api_client.delete(f"{PERSOON_URL}/{persoon.uuid}")

    assert response.status_code == 204
    assert not Persoon.objects.exists()
    assert api_client.get(f"{PERSOON_URL}/{persoon.uuid}").status_code == 404


def test_delete_unknown_is_404(api_client):
    assert api_client.delete(f"{PERSOON_URL}/{uuid.uuid4()}").status_code == 404


# Validation of the persoon's own fields.


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("geboortedatum", "21-02-1980", "invalid"),
        ("geboortedatum", "1980-02-30", "invalid"),
        ("geboortedatum", None, "null"),
        ("overlijdensdatum", "gisteren", "invalid"),
        ("geslachtsnaam", "x" * 201, "max_length"),
        ("geslachtsnaam", "", "blank"),
        ("geslacht", "x", "invalid_choice"),
        ("geslacht", "M", "invalid_choice"),
        ("geslacht", None, "null"),
        ("voorvoegsel", "x" * 11, "max_length"),
        ("voornamen", "x" * 201, "max_length"),
        ("adres", "Kalverstraat 1", "invalid"),
    ],
)
def test_invalid_field_is_400(api_client, field, value, code):
    response = api_client.post(PERSOON_URL, persoon_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert invalid_params(response) == {field: code}
    assert not Persoon.objects.exists()


@pytest.mark.parametrize("geslacht", ["m", "v", "o", ""])
def test_every_geslacht_of_the_contract_is_accepted(api_client, geslacht):
    response = api_client.post(PERSOON_URL, persoon_body(geslacht=geslacht), format="json")

    assert response.status_code == 201
    assert response.json()["geslacht"] == geslacht


def test_read_only_fields_are_ignored(api_client):
    chosen = uuid.uuid4()

    response = api_client.post(
        PERSOON_URL, persoon_body(uuid=str(chosen), url="http://elders/x"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["uuid"] != str(chosen)


def test_unknown_body_fields_are_ignored(api_client):
    response = api_client.post(PERSOON_URL, persoon_body(land="NL", bsn="1"), format="json")

    assert response.status_code == 201


# overlijdensdatum may not be before geboortedatum.


def test_overlijdensdatum_before_geboortedatum_is_400(api_client):
    body = persoon_body(geboortedatum="1980-02-21", overlijdensdatum="1980-02-20")

    response = api_client.post(PERSOON_URL, body, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"overlijdensdatum": "invalid"}


def test_overlijdensdatum_on_geboortedatum_is_allowed(api_client):
    body = persoon_body(geboortedatum="1980-02-21", overlijdensdatum="1980-02-21")

    assert api_client.post(PERSOON_URL, body, format="json").status_code == 201


def test_patch_overlijdensdatum_is_checked_against_the_stored_geboortedatum(api_client):
    persoon = make_persoon()

    response = api_client.patch(
        f"{PERSOON_URL}/{persoon.uuid}", {"overlijdensdatum": "1900-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"overlijdensdatum": "invalid"}
    persoon.refresh_from_db()
    assert persoon.overlijdensdatum is None


def test_patch_geboortedatum_after_the_stored_overlijdensdatum_is_400(api_client):
    persoon = make_persoon(overlijdensdatum=datetime.date(2020, 1, 1))

    response = api_client.patch(
        f"{PERSOON_URL}/{persoon.uuid}", {"geboortedatum": "2021-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert invalid_params(response) == {"geboortedatum": "invalid"}


def test_put_with_inconsistent_dates_is_400(api_client):
    persoon = make_persoon()
    body = persoon_body(geboortedatum="2000-01-01", overlijdensdatum="1999-12-31")

    response = api_client.put(f"{PERSOON_URL}/{persoon.uuid}", body, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"overlijdensdatum": "invalid"}
