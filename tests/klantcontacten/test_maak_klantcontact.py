"""POST /maak-klantcontact: klantcontact, betrokkene and onderwerpobject in one transaction."""

import uuid

import pytest
from django.db import IntegrityError

from klantcontacten.models import Betrokkene, Klantcontact, Onderwerpobject
from klantcontacten.services import klantcontact_register

from .factories import make_partij

pytestmark = pytest.mark.django_db

BASE = "http://testserver/klantinteracties/api/v1"
URL = "/klantinteracties/api/v1/maak-klantcontact"


def klantcontact(**overrides) -> dict:
    data = {"kanaal": "telefoon", "onderwerp": "Afvalpas", "taal": "nld", "vertrouwelijk": False}
    data.update(overrides)
    return data


def nothing_saved() -> bool:
    return not (
        Klantcontact.objects.exists()
        or Betrokkene.objects.exists()
        or Onderwerpobject.objects.exists()
    )


def test_creates_all_three_linked(api_client):
    partij = make_partij()

    response = api_client.post(
        URL,
        {
            "klantcontact": klantcontact(),
            "betrokkene": {
                "wasPartij": {"uuid": str(partij.uuid)},
                "rol": "klant",
                "initiator": True,
                "contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"},
                # Read-only here: the new klantcontact is used.
                "hadKlantcontact": {"uuid": str(uuid.uuid4())},
            },
            "onderwerpobject": {
                "onderwerpobjectidentificator": {"objectId": "zaak-9", "codeObjecttype": "zaak"},
                "klantcontact": {"uuid": str(uuid.uuid4())},
            },
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    contact = Klantcontact.objects.get()
    betrokkene = Betrokkene.objects.get()
    onderwerpobject = Onderwerpobject.objects.get()
    assert (betrokkene.klantcontact, betrokkene.partij) == (contact, partij)
    assert onderwerpobject.klantcontact == contact
    contact_ref = {"uuid": str(contact.uuid), "url": f"{BASE}/klantcontacten/{contact.uuid}"}
    assert data["klantcontact"]["uuid"] == str(contact.uuid)
    assert data["klantcontact"]["nummer"] == contact.nummer
    assert data["klantcontact"]["hadBetrokkenen"][0]["uuid"] == str(betrokkene.uuid)
    assert data["klantcontact"]["gingOverOnderwerpobjecten"][0]["uuid"] == str(onderwerpobject.uuid)
    assert data["betrokkene"]["hadKlantcontact"] == contact_ref
    assert data["betrokkene"]["volledigeNaam"] == "Jan Jansen"
    assert data["onderwerpobject"]["klantcontact"] == contact_ref
    assert data["onderwerpobject"]["onderwerpobjectidentificator"]["objectId"] == "zaak-9"


def test_klantcontact_alone(api_client):
    response = api_client.post(URL, {"klantcontact": klantcontact(nummer="")}, format="json")

    assert response.status_code == 201, response.json()
    # Every part's key is there: null for a part that was not given.
    assert set(response.json()) == {"klantcontact", "betrokkene", "onderwerpobject"}
    assert response.json()["betrokkene"] is None
    assert response.json()["onderwerpobject"] is None
    assert Klantcontact.objects.get().nummer == response.json()["klantcontact"]["nummer"] != ""
    assert not Betrokkene.objects.exists()


def test_empty_parts_are_absent_parts(api_client):
    response = api_client.post(
        URL,
        {"klantcontact": klantcontact(), "betrokkene": {}, "onderwerpobject": {}},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["betrokkene"] is None
    assert response.json()["onderwerpobject"] is None
    assert not Betrokkene.objects.exists()
    assert not Onderwerpobject.objects.exists()


def test_null_parts_are_absent_parts(api_client):
    response = api_client.post(
        URL,
        {"klantcontact": klantcontact(), "betrokkene": None, "onderwerpobject": None},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Klantcontact.objects.count() == 1
    assert not Betrokkene.objects.exists()


@pytest.mark.parametrize(
    "payload, name",
    [
        (
            {
                "klantcontact": klantcontact(),
                "betrokkene": {
                    "wasPartij": {"uuid": str(uuid.uuid4())},
                    "rol": "klant",
                    "initiator": True,
                },
            },
            "betrokkene.wasPartij",
        ),
        (
            {"klantcontact": klantcontact(), "betrokkene": {"rol": "klant"}},
            "betrokkene.initiator",
        ),
        (
            {
                "klantcontact": klantcontact(),
                "betrokkene": {
                    "rol": "klant",
                    "initiator": True,
                    "bezoekadres": {"postcode": "1234"},
                },
            },
            "betrokkene.bezoekadres.postcode",
        ),
        (
            {
                "klantcontact": klantcontact(taal="nederlands"),
                "betrokkene": {"rol": "klant", "initiator": True},
            },
            "klantcontact.taal",
        ),
        (
            {
                "klantcontact": klantcontact(),
                "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "x" * 201}},
            },
            "onderwerpobject.onderwerpobjectidentificator.objectId",
        ),
        ({}, "klantcontact"),
        ({"klantcontact": None}, "klantcontact"),
    ],
)
def test_any_invalid_part_rejects_everything(api_client, payload, name):
    response = api_client.post(URL, payload, format="json")

    assert response.status_code == 400, response.json()
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]
    assert nothing_saved()


def test_service_rolls_back_when_a_later_write_fails():
    with pytest.raises(IntegrityError):
        klantcontact_register(
            klantcontact=klantcontact(),
            # No `initiator`: the database refuses the betrokkene after the klantcontact.
            betrokkene={"rol": "klant", "initiator": None},
        )

    assert nothing_saved()


def test_get_is_not_allowed(api_client):
    response = api_client.get(URL)

    assert response.status_code == 405
