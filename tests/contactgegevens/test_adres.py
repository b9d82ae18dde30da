"""The nested `adres` of persoon and organisatie: storage, partial updates and validation."""

import pytest

from contactgegevens.models import Organisatie, Persoon

from .factories import (
    ADRES,
    ORGANISATIE_URL,
    PERSOON_URL,
    invalid_params,
    make_organisatie,
    make_persoon,
    organisatie_body,
    persoon_body,
)

pytestmark = pytest.mark.django_db

RESOURCES = {
    "persoon": (PERSOON_URL, persoon_body, make_persoon, Persoon),
    "organisatie": (ORGANISATIE_URL, organisatie_body, make_organisatie, Organisatie),
}


@pytest.fixture(params=sorted(RESOURCES))
def resource(request):
    return RESOURCES[request.param]


def test_adres_round_trips(api_client, resource):
    url, body, _, model = resource

    response = api_client.post(url, body(), format="json")

    assert response.status_code == 201, response.json()
    adres = response.json()["adres"]
    assert adres == {key: value for key, value in ADRES.items()}
    stored = model.objects.get()
    assert stored.adres_straatnaam == "Kalverstraat"
    assert stored.adres_huisnummer == 1
    assert stored.adres_huisnummertoevoeging == "A"
    assert stored.adres_land == "NL"


def test_patch_of_one_adres_field_keeps_the_others(api_client, resource):
    url, _, make, model = resource
    instance = make(adres_straatnaam="Dam", adres_huisnummer=1, adres_postcode="1012 JS")

    response = api_client.patch(
        f"{url}/{instance.uuid}", {"adres": {"huisnummer": 2}}, format="json"
    )

    assert response.status_code == 200, response.json()
    adres = response.json()["adres"]
    assert (adres["straatnaam"], adres["huisnummer"], adres["postcode"]) == ("Dam", 2, "1012 JS")


def test_adres_null_clears_the_address(api_client, resource, contract):
    url, _, make, model = resource
    instance = make(adres_straatnaam="Dam", adres_huisnummer=1, adres_postcode="1012 JS")

    response = api_client.patch(f"{url}/{instance.uuid}", {"adres": None}, format="json")

    assert response.status_code == 200, response.json()
    instance.refresh_from_db()
    assert instance.adres_straatnaam == ""
    assert instance.adres_huisnummer is None
    assert instance.adres_postcode == ""
    assert instance.adres_land == ""
    # Every key stays in the response, empty; "" is documented beside the pattern.
    assert response.json()["adres"] == {
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
    contract(response.json(), model.__name__)


def test_adres_left_out_of_a_patch_is_kept(api_client, resource):
    url, _, make, model = resource
    instance = make(adres_straatnaam="Dam")

    api_client.patch(f"{url}/{instance.uuid}", {}, format="json")

    instance.refresh_from_db()
    assert instance.adres_straatnaam == "Dam"


def test_empty_string_clears_a_constrained_field(api_client, resource, contract):
    url, _, make, model = resource
    instance = make(adres_postcode="1012 JS", adres_land="NL")

    response = api_client.patch(
        f"{url}/{instance.uuid}",
        {"adres": {"postcode": "", "land": "", "nummeraanduidingId": ""}},
        format="json",
    )

    assert response.status_code == 200
    instance.refresh_from_db()
    assert (instance.adres_postcode, instance.adres_land) == ("", "")
    # Returned as "", which the contract documents beside the pattern (as an `anyOf`).
    adres = response.json()["adres"]
    assert (adres["postcode"], adres["land"], adres["nummeraanduidingId"]) == ("", "", "")
    contract(response.json(), model.__name__)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("postcode", "1012nx", "invalid"),
        ("postcode", "1012NX", "invalid"),
        ("postcode", "0123 AB", "invalid"),
        ("postcode", 1012, "invalid"),
        ("nummeraanduidingId", "123", "invalid"),
        ("nummeraanduidingId", "036320000012345A", "invalid"),
        ("nummeraanduidingId", "03632000001234567", "max_length"),
        ("land", "XX", "invalid"),
        ("land", "nl", "invalid"),
        ("land", "NLD", "max_length"),
        ("huisnummer", 0, "min_value"),
        ("huisnummer", 100000, "max_value"),
        ("huisnummer", "twaalf", "invalid"),
        ("huisnummertoevoeging", "x" * 21, "max_length"),
        ("straatnaam", "x" * 256, "max_length"),
        ("stad", "x" * 256, "max_length"),
        ("adresregel1", "x" * 81, "max_length"),
        ("adresregel2", "x" * 81, "max_length"),
        ("adresregel3", "x" * 81, "max_length"),
    ],
)
def test_invalid_adres_field_is_400_with_dotted_name(api_client, resource, field, value, code):
    url, body, _, model = resource

    response = api_client.post(url, body(adres={field: value}), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert invalid_params(response) == {f"adres.{field}": code}
    assert not model.objects.exists()


def test_every_broken_rule_of_a_field_is_reported(api_client, resource):
    url, body, _, _ = resource

    response = api_client.post(
        url, body(adres={"postcode": "1012 NXX", "land": "N"}), format="json"
    )

    assert response.status_code == 400
    reported = sorted((p["name"], p["code"]) for p in response.json()["invalidParams"])
    assert reported == [
        ("adres.land", "invalid"),
        ("adres.land", "min_length"),
        ("adres.postcode", "invalid"),
        ("adres.postcode", "max_length"),
    ]


def test_invalid_adres_in_patch_is_400(api_client, resource):
    url, _, make, model = resource
    instance = make()

    response = api_client.patch(f"{url}/{instance.uuid}", {"adres": {"land": "ZZ"}}, format="json")

    assert response.status_code == 400
    assert invalid_params(response) == {"adres.land": "invalid"}
    instance.refresh_from_db()
    assert instance.adres_land == ("NL" if model is Persoon else "")


@pytest.mark.parametrize("land", ["NL", "BE", "DE", "CW", "SX", "BQ", "AQ"])
def test_iso_3166_landcodes_are_accepted(api_client, resource, land):
    url, body, _, _ = resource

    response = api_client.post(url, body(adres={"land": land}), format="json")

    assert response.status_code == 201
    assert response.json()["adres"]["land"] == land


def test_adres_of_only_adresregels(api_client, resource):
    url, body, _, _ = resource
    adres = {"adresregel1": "Rue de la Loi 16", "adresregel2": "1000 Brussel", "land": "BE"}

    response = api_client.post(url, body(adres=adres), format="json")

    assert response.status_code == 201
    assert response.json()["adres"]["adresregel1"] == "Rue de la Loi 16"
