import pytest

from partijen.models import DigitaalAdres
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/digitaleadressen"


def names(response):
    assert response.status_code == 400, response.json()
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_crud_without_verstrekt_door_partij(api_client):
    created = api_client.post(
        URL, {"adres": "a@example.nl", "soortDigitaalAdres": "email"}, format="json"
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["verstrektDoorPartij"] is None
    assert data["referentie"] == ""
    assert api_client.get(data["url"]).json() == data
    partij = make_partij()
    put = api_client.put(
        data["url"],
        {
            "adres": "0612345678",
            "soortDigitaalAdres": "telefoonnummer",
            "verstrektDoorPartij": {"uuid": str(partij.uuid)},
        },
        format="json",
    )
    assert put.status_code == 200, put.json()
    assert put.json()["verstrektDoorPartij"]["uuid"] == str(partij.uuid)
    assert (
        api_client.patch(data["url"], {"omschrijving": "mobiel"}, format="json").json()[
            "omschrijving"
        ]
        == "mobiel"
    )
    assert api_client.delete(data["url"]).status_code == 204
    assert not DigitaalAdres.objects.exists()


@pytest.mark.parametrize(
    "payload, name",
    [
        ({"adres": "geen-email", "soortDigitaalAdres": "email"}, "adres"),
        ({"adres": "12345", "soortDigitaalAdres": "telefoonnummer"}, "adres"),
        ({"adres": "x", "soortDigitaalAdres": "fax"}, "soortDigitaalAdres"),
        ({"soortDigitaalAdres": "email"}, "adres"),
        (
            {"adres": "a@b.nl", "soortDigitaalAdres": "email", "referentie": "met spatie"},
            "referentie",
        ),
        (
            {"adres": "a@b.nl", "soortDigitaalAdres": "email", "omschrijving": "x" * 41},
            "omschrijving",
        ),
        (
            {"adres": "a@b.nl", "soortDigitaalAdres": "email", "verstrektDoorPartij": {}},
            "verstrektDoorPartij",
        ),
        (
            {"adres": "a@b.nl", "soortDigitaalAdres": "email", "verificatieDatum": "gisteren"},
            "verificatieDatum",
        ),
    ],
)
def test_validation(api_client, payload, name):
    assert name in names(api_client.post(URL, payload, format="json"))


@pytest.mark.parametrize(
    "adres",
    ["0800123456", "0900123456", "+31800123456", "0031900123456", "1400", "14020", "140201"],
)
def test_service_numbers_the_contract_forbids_are_400(api_client, adres):
    response = api_client.post(
        URL, {"adres": adres, "soortDigitaalAdres": "telefoonnummer"}, format="json"
    )

    assert "adres" in names(response)
    assert not DigitaalAdres.objects.exists()


@pytest.mark.parametrize(
    "adres", ["0612345678", "+31612345678", "0031612345678", "0201234567", "0881234567"]
)
def test_valid_phone_numbers(api_client, adres):
    assert (
        api_client.post(
            URL, {"adres": adres, "soortDigitaalAdres": "telefoonnummer"}, format="json"
        ).status_code
        == 201
    )


def test_patch_revalidates_adres_against_soort(api_client):
    adres = make_digitaal_adres(adres="a@example.nl")
    response = api_client.patch(
        f"{URL}/{adres.uuid}", {"soortDigitaalAdres": "telefoonnummer"}, format="json"
    )
    assert "adres" in names(response)


def test_standaard_adres_is_unique_per_partij_and_soort(api_client):
    partij = make_partij()
    ref = {"uuid": str(partij.uuid)}
    first = api_client.post(
        URL,
        {
            "adres": "a@example.nl",
            "soortDigitaalAdres": "email",
            "isStandaardAdres": True,
            "verstrektDoorPartij": ref,
        },
        format="json",
    ).json()
    phone = api_client.post(
        URL,
        {
            "adres": "0612345678",
            "soortDigitaalAdres": "telefoonnummer",
            "isStandaardAdres": True,
            "verstrektDoorPartij": ref,
        },
        format="json",
    ).json()
    second = api_client.post(
        URL,
        {
            "adres": "b@example.nl",
            "soortDigitaalAdres": "email",
            "isStandaardAdres": True,
            "verstrektDoorPartij": ref,
        },
        format="json",
    ).json()
    assert api_client.get(first["url"]).json()["isStandaardAdres"] is False
    assert api_client.get(second["url"]).json()["isStandaardAdres"] is True
    assert api_client.get(phone["url"]).json()["isStandaardAdres"] is True
    api_client.patch(first["url"], {"isStandaardAdres": True}, format="json")
    assert api_client.get(second["url"]).json()["isStandaardAdres"] is False


def test_filters(api_client):
    persoon = make_partij()
    make_identificator(persoon, "111222333")
    organisatie = make_partij(soort_partij="organisatie")
    a = make_digitaal_adres(
        persoon,
        adres="jan@example.nl",
        is_standaard_adres=True,
        omschrijving="privé",
        referentie="ref-1",
        verificatie_datum="2024-05-01",
    )
    b = make_digitaal_adres(organisatie, adres="0612345678", soort_digitaal_adres="telefoonnummer")
    cases = {
        "adres": "jan@example.nl",
        "adres__icontains": "JAN@",
        "isStandaardAdres": "true",
        "isGeverifieerd": "true",
        "omschrijving": "priv",
        "referentie": "ref-1",
        "soortDigitaalAdres": "email",
        "verificatieDatum": "2024-05-01",
        "verificatieDatum__gt": "2024-04-30",
        "verificatieDatum__gte": "2024-05-01",
        "verificatieDatum__lt": "2024-05-02",
        "verificatieDatum__lte": "2024-05-01",
        "verstrektDoorPartij__uuid": str(persoon.uuid),
        "verstrektDoorPartij__url": f"http://testserver/klantinteracties/api/v1/partijen/{persoon.uuid}",
        "verstrektDoorPartij__soortPartij": "persoon",
        "verstrektDoorPartij__partijIdentificator__objectId": "111222333",
        "verstrektDoorPartij__partijIdentificator__codeSoortObjectId": "bsn",
        "verstrektDoorPartij__partijIdentificator__codeRegister": "brp",
        "verstrektDoorPartij__partijIdentificator__codeObjecttype": "natuurlijk_persoon",
    }
    for param, value in cases.items():
        results = api_client.get(URL, {param: value}).json()["results"]
        assert [r["uuid"] for r in results] == [str(a.uuid)], param
    results = api_client.get(URL, {"isGeverifieerd": "false"}).json()["results"]
    assert [r["uuid"] for r in results] == [str(b.uuid)]


def test_an_adres_stored_before_a_rule_can_be_sent_back_unchanged(api_client):
    # A 0800 number, as an earlier version accepted it.
    adres = make_digitaal_adres(adres="0800123456", soort_digitaal_adres="telefoonnummer")
    same = {"adres": "0800123456", "soortDigitaalAdres": "telefoonnummer", "omschrijving": "x"}

    assert api_client.put(f"{URL}/{adres.uuid}", same, format="json").status_code == 200
    assert (
        api_client.patch(f"{URL}/{adres.uuid}", {"omschrijving": "y"}, format="json").status_code
        == 200
    )
    changed = api_client.patch(f"{URL}/{adres.uuid}", {"adres": "0900123456"}, format="json")
    assert "adres" in names(changed)
