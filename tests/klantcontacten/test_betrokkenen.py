"""CRUD and validation of /betrokkenen."""

import uuid

import pytest

from klantcontacten.models import Betrokkene
from partijen.models import DigitaalAdres

from .factories import make_betrokkene, make_digitaal_adres, make_klantcontact, make_partij

pytestmark = pytest.mark.django_db

BASE = "http://testserver/klantinteracties/api/v1"
LIST = "/klantinteracties/api/v1/betrokkenen"


def ref(resource: str, obj) -> dict:
    return {"uuid": str(obj.uuid), "url": f"{BASE}/{resource}/{obj.uuid}"}


def body(klantcontact, **overrides) -> dict:
    data = {
        "hadKlantcontact": {"uuid": str(klantcontact.uuid)},
        "rol": "klant",
        "initiator": True,
    }
    data.update(overrides)
    return data


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.json()
    return {param["name"] for param in response.json()["invalidParams"]}


def test_create_with_groups_and_partij(api_client):
    contact = make_klantcontact()
    partij = make_partij()

    response = api_client.post(
        LIST,
        body(
            contact,
            wasPartij={"uuid": str(partij.uuid)},
            bezoekadres={
                "nummeraanduidingId": "0363200000000001",
                "straatnaam": "Dam",
                "huisnummer": 1,
                "postcode": "1012 JS",
                "stad": "Amsterdam",
                "land": "NL",
            },
            correspondentieadres={"adresregel1": "Postbus 1", "adresregel2": "1000 AA"},
            contactnaam={
                "voorletters": "J",
                "voornaam": "Jan",
                "voorvoegselAchternaam": "de",
                "achternaam": "Vries",
            },
            organisatienaam="Gemeente",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    betrokkene = Betrokkene.objects.get()
    assert data["url"] == f"{BASE}/betrokkenen/{betrokkene.uuid}"
    assert data["wasPartij"] == ref("partijen", partij)
    assert data["hadKlantcontact"] == ref("klantcontacten", contact)
    assert data["digitaleAdressen"] == []
    assert data["volledigeNaam"] == "Jan de Vries"
    assert data["bezoekadres"]["postcode"] == "1012 JS"
    assert data["bezoekadres"]["huisnummer"] == 1
    assert betrokkene.bezoekadres_nummeraanduiding_id == "0363200000000001"
    # Empty values are sent as "", also those with a pattern.
    assert data["correspondentieadres"]["postcode"] == ""
    assert data["correspondentieadres"]["land"] == ""
    assert data["correspondentieadres"]["nummeraanduidingId"] == ""
    assert data["correspondentieadres"]["adresregel1"] == "Postbus 1"
    assert data["contactnaam"]["voorvoegselAchternaam"] == "de"


def test_was_partij_is_optional_and_null_renders_null(api_client):
    contact = make_klantcontact()

    response = api_client.post(LIST, body(contact, wasPartij=None), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["wasPartij"] is None


def test_digitale_adressen_are_references(api_client):
    betrokkene = make_betrokkene()
    adres = make_digitaal_adres(betrokkene=betrokkene)

    data = api_client.get(f"{LIST}/{betrokkene.uuid}").json()

    assert data["digitaleAdressen"] == [ref("digitaleadressen", adres)]


def test_patch_one_group_field_keeps_the_others(api_client):
    betrokkene = make_betrokkene(bezoekadres_straatnaam="Dam", bezoekadres_stad="Amsterdam")

    response = api_client.patch(
        f"{LIST}/{betrokkene.uuid}", {"bezoekadres": {"stad": "Utrecht"}}, format="json"
    )

    assert response.status_code == 200, response.json()
    betrokkene.refresh_from_db()
    assert (betrokkene.bezoekadres_straatnaam, betrokkene.bezoekadres_stad) == ("Dam", "Utrecht")


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_group_sent_as_null_is_cleared(api_client, method, both_renderings):
    contact = make_klantcontact()
    betrokkene = make_betrokkene(
        contact,
        bezoekadres_straatnaam="Dam",
        bezoekadres_huisnummer=5,
        bezoekadres_postcode="1012JS",
        correspondentieadres_stad="Utrecht",
        contactnaam_achternaam="Jansen",
    )
    nulls = {"bezoekadres": None, "correspondentieadres": None, "contactnaam": None}
    payload = nulls if method == "patch" else body(contact, **nulls)

    response = getattr(api_client, method)(f"{LIST}/{betrokkene.uuid}", payload, format="json")

    assert response.status_code == 200, response.json()
    betrokkene.refresh_from_db()
    assert (
        betrokkene.bezoekadres_straatnaam,
        betrokkene.bezoekadres_huisnummer,
        betrokkene.bezoekadres_postcode,
        betrokkene.correspondentieadres_stad,
        betrokkene.contactnaam_achternaam,
    ) == ("", None, "", "", "")
    shown = api_client.get(f"{LIST}/{betrokkene.uuid}").json()
    assert response.json() == shown
    assert shown["bezoekadres"]["straatnaam"] == ""
    assert shown["bezoekadres"]["huisnummer"] is None
    assert shown["bezoekadres"]["postcode"] == ""
    assert shown["correspondentieadres"]["stad"] == ""
    assert shown["contactnaam"]["achternaam"] == ""


def test_a_group_sent_as_null_on_create_stores_no_values(api_client):
    response = api_client.post(
        LIST, body(make_klantcontact(), bezoekadres=None, contactnaam=None), format="json"
    )

    assert response.status_code == 201, response.json()
    stored = Betrokkene.objects.get()
    assert (stored.bezoekadres_straatnaam, stored.contactnaam_achternaam) == ("", "")


def test_put_and_delete(api_client):
    betrokkene = make_betrokkene()
    ander = make_klantcontact()

    response = api_client.put(
        f"{LIST}/{betrokkene.uuid}", body(ander, rol="vertegenwoordiger"), format="json"
    )
    assert response.status_code == 200, response.json()
    betrokkene.refresh_from_db()
    assert (betrokkene.klantcontact, betrokkene.rol) == (ander, "vertegenwoordiger")

    assert api_client.delete(f"{LIST}/{betrokkene.uuid}").status_code == 204
    assert not Betrokkene.objects.exists()


def test_delete_keeps_digitale_adressen_unlinked(api_client):
    betrokkene = make_betrokkene()
    adres = make_digitaal_adres(betrokkene=betrokkene)

    assert api_client.delete(f"{LIST}/{betrokkene.uuid}").status_code == 204

    adres.refresh_from_db()
    assert adres.betrokkene is None
    assert DigitaalAdres.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, name",
    [
        ({"hadKlantcontact": None}, "hadKlantcontact"),
        ({"hadKlantcontact": {}}, "hadKlantcontact"),
        ({"hadKlantcontact": {"uuid": str(uuid.uuid4())}}, "hadKlantcontact"),
        ({"hadKlantcontact": {"uuid": "geen-uuid"}}, "hadKlantcontact"),
        ({"wasPartij": {"uuid": str(uuid.uuid4())}}, "wasPartij"),
        (
            {"wasPartij": {"url": f"{BASE}/klantcontacten/{uuid.uuid4()}"}},
            "wasPartij",
        ),
        ({"rol": "toeschouwer"}, "rol"),
        ({"rol": None}, "rol"),
        ({"initiator": None}, "initiator"),
        ({"organisatienaam": "x" * 201}, "organisatienaam"),
        ({"bezoekadres": {"postcode": "1234ab"}}, "bezoekadres.postcode"),
        ({"bezoekadres": {"postcode": "0123 AB"}}, "bezoekadres.postcode"),
        ({"bezoekadres": {"nummeraanduidingId": "12345"}}, "bezoekadres.nummeraanduidingId"),
        ({"bezoekadres": {"huisnummer": 100000}}, "bezoekadres.huisnummer"),
        ({"bezoekadres": {"huisnummer": 0}}, "bezoekadres.huisnummer"),
        ({"bezoekadres": {"land": "NLD"}}, "bezoekadres.land"),
        ({"bezoekadres": {"straatnaam": "x" * 256}}, "bezoekadres.straatnaam"),
        ({"bezoekadres": {"huisnummertoevoeging": "x" * 21}}, "bezoekadres.huisnummertoevoeging"),
        ({"bezoekadres": {"adresregel1": "x" * 81}}, "bezoekadres.adresregel1"),
        ({"correspondentieadres": {"postcode": "abc"}}, "correspondentieadres.postcode"),
        ({"correspondentieadres": {"land": "N"}}, "correspondentieadres.land"),
        ({"contactnaam": {"voorletters": "x" * 11}}, "contactnaam.voorletters"),
        ({"contactnaam": {"achternaam": "x" * 201}}, "contactnaam.achternaam"),
        (
            {"contactnaam": {"voorvoegselAchternaam": "x" * 11}},
            "contactnaam.voorvoegselAchternaam",
        ),
    ],
)
def test_field_validation(api_client, overrides, name):
    contact = make_klantcontact()

    response = api_client.post(LIST, body(contact, **overrides), format="json")

    assert invalid_names(response) == {name}
    assert not Betrokkene.objects.exists()


def test_required_fields(api_client):
    response = api_client.post(LIST, {}, format="json")

    assert invalid_names(response) == {"hadKlantcontact", "rol", "initiator"}


def test_patch_with_empty_reference_is_400(api_client):
    betrokkene = make_betrokkene()

    response = api_client.patch(f"{LIST}/{betrokkene.uuid}", {"hadKlantcontact": {}}, format="json")

    assert invalid_names(response) == {"hadKlantcontact"}


def test_list_newest_first(api_client):
    eerste = make_betrokkene()
    tweede = make_betrokkene()

    results = api_client.get(LIST).json()["results"]

    assert [r["uuid"] for r in results] == [str(tweede.uuid), str(eerste.uuid)]
