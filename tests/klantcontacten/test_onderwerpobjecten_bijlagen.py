"""CRUD of /onderwerpobjecten (including DELETE ?cascade) and /bijlagen."""

import uuid

import pytest

from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from partijen.models import DigitaalAdres

from .factories import (
    make_betrokkene,
    make_bijlage,
    make_digitaal_adres,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/klantinteracties/api/v1"
ONDERWERPOBJECTEN = "/klantinteracties/api/v1/onderwerpobjecten"
BIJLAGEN = "/klantinteracties/api/v1/bijlagen"


def ref(resource: str, obj) -> dict:
    return {"uuid": str(obj.uuid), "url": f"{BASE}/{resource}/{obj.uuid}"}


def identificator(object_id="zaak-1") -> dict:
    return {
        "objectId": object_id,
        "codeObjecttype": "zaak",
        "codeRegister": "openzaak",
        "codeSoortObjectId": "uuid",
    }


def test_onderwerpobject_crud(api_client):
    contact = make_klantcontact()
    vorig = make_klantcontact()

    response = api_client.post(
        ONDERWERPOBJECTEN,
        {
            "klantcontact": {"uuid": str(contact.uuid)},
            "wasKlantcontact": {"uuid": str(vorig.uuid)},
            "onderwerpobjectidentificator": identificator(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    obj = Onderwerpobject.objects.get()
    assert data["url"] == f"{BASE}/onderwerpobjecten/{obj.uuid}"
    assert data["klantcontact"] == ref("klantcontacten", contact)
    assert data["wasKlantcontact"] == ref("klantcontacten", vorig)
    assert data["onderwerpobjectidentificator"] == identificator()

    detail = f"{ONDERWERPOBJECTEN}/{obj.uuid}"
    assert api_client.get(detail).json() == data
    assert api_client.get(ONDERWERPOBJECTEN).json()["results"] == [data]

    response = api_client.patch(detail, {"wasKlantcontact": None}, format="json")
    assert response.status_code == 200
    assert response.json()["wasKlantcontact"] is None

    response = api_client.put(
        detail, {"onderwerpobjectidentificator": identificator("zaak-2")}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["onderwerpobjectidentificator"]["objectId"] == "zaak-2"

    assert api_client.delete(detail).status_code == 204
    assert not Onderwerpobject.objects.exists()
    assert Klantcontact.objects.count() == 2


@pytest.mark.parametrize(
    "payload, name",
    [
        ({"klantcontact": {"uuid": str(uuid.uuid4())}}, "klantcontact"),
        ({"wasKlantcontact": {}}, "wasKlantcontact"),
        (
            {"onderwerpobjectidentificator": {"objectId": "x" * 201}},
            "onderwerpobjectidentificator.objectId",
        ),
        (
            {"onderwerpobjectidentificator": {"codeRegister": "x" * 201}},
            "onderwerpobjectidentificator.codeRegister",
        ),
    ],
)
def test_onderwerpobject_validation(api_client, payload, name):
    response = api_client.post(ONDERWERPOBJECTEN, payload, format="json")

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]


def test_delete_without_cascade_keeps_klantcontact(api_client):
    contact = make_klantcontact()
    obj = make_onderwerpobject(klantcontact=contact)

    response = api_client.delete(f"{ONDERWERPOBJECTEN}/{obj.uuid}?cascade=false")

    assert response.status_code == 204
    assert Klantcontact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("query", ["cascde=true", "expand=klantcontact"])
def test_delete_with_an_unknown_parameter_is_400_and_deletes_nothing(api_client, query):
    obj = make_onderwerpobject(klantcontact=make_klantcontact())

    response = api_client.delete(f"{ONDERWERPOBJECTEN}/{obj.uuid}?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"
    assert Onderwerpobject.objects.filter(pk=obj.pk).exists()


def test_delete_cascade_removes_unused_klantcontact_and_its_adressen(api_client):
    contact = make_klantcontact()
    obj = make_onderwerpobject(klantcontact=contact)
    betrokkene = make_betrokkene(contact)
    los_adres = make_digitaal_adres(betrokkene=betrokkene)
    partij = make_partij()
    partij_adres = make_digitaal_adres(betrokkene=betrokkene, partij=partij, adres="p@example.com")
    ander = make_klantcontact()

    response = api_client.delete(f"{ONDERWERPOBJECTEN}/{obj.uuid}?cascade=true")

    assert response.status_code == 200
    assert response.json() == {"behouden": []}
    assert not Klantcontact.objects.filter(pk=contact.pk).exists()
    assert not Betrokkene.objects.exists()
    assert not DigitaalAdres.objects.filter(pk=los_adres.pk).exists()
    # A partij's own adres stays (unlinked from the removed betrokkene).
    partij_adres.refresh_from_db()
    assert partij_adres.betrokkene is None
    assert Klantcontact.objects.filter(pk=ander.pk).exists()


def test_delete_cascade_keeps_klantcontact_used_by_other_onderwerpobject(api_client):
    gedeeld = make_klantcontact()
    eigen = make_klantcontact()
    obj = make_onderwerpobject(klantcontact=gedeeld, was_klantcontact=eigen)
    make_onderwerpobject(was_klantcontact=gedeeld)

    response = api_client.delete(f"{ONDERWERPOBJECTEN}/{obj.uuid}?cascade=true")

    assert response.status_code == 200
    assert response.json() == {"behouden": [f"{BASE}/klantcontacten/{gedeeld.uuid}"]}
    assert Klantcontact.objects.filter(pk=gedeeld.pk).exists()
    assert not Klantcontact.objects.filter(pk=eigen.pk).exists()
    assert not Onderwerpobject.objects.filter(pk=obj.pk).exists()


def test_delete_cascade_rejects_non_boolean(api_client):
    obj = make_onderwerpobject()

    response = api_client.delete(f"{ONDERWERPOBJECTEN}/{obj.uuid}?cascade=misschien")

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "cascade"
    assert Onderwerpobject.objects.filter(pk=obj.pk).exists()


def test_bijlage_crud(api_client):
    contact = make_klantcontact()
    ident = {
        "objectId": "doc-1",
        "codeObjecttype": "DOCUMENT",
        "codeRegister": "drc",
        "codeSoortObjectId": "uuid",
    }

    response = api_client.post(
        BIJLAGEN,
        {"wasBijlageVanKlantcontact": {"uuid": str(contact.uuid)}, "bijlageidentificator": ident},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    bijlage = Bijlage.objects.get()
    assert data["url"] == f"{BASE}/bijlagen/{bijlage.uuid}"
    assert data["wasBijlageVanKlantcontact"] == ref("klantcontacten", contact)
    assert data["bijlageidentificator"] == ident

    detail = f"{BIJLAGEN}/{bijlage.uuid}"
    assert api_client.get(detail).json() == data
    assert api_client.get(BIJLAGEN).json()["results"] == [data]
    response = api_client.patch(
        detail, {"bijlageidentificator": {"objectId": "doc-2"}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["bijlageidentificator"]["objectId"] == "doc-2"
    assert response.json()["bijlageidentificator"]["codeRegister"] == "drc"
    assert (
        api_client.put(detail, {"wasBijlageVanKlantcontact": None}, format="json").status_code
        == 200
    )
    assert api_client.delete(detail).status_code == 204
    assert not Bijlage.objects.exists()


def test_bijlage_validation(api_client):
    response = api_client.post(
        BIJLAGEN,
        {
            "wasBijlageVanKlantcontact": {"uuid": str(uuid.uuid4())},
            "bijlageidentificator": {"codeObjecttype": "x" * 201},
        },
        format="json",
    )

    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {
        "wasBijlageVanKlantcontact",
        "bijlageidentificator.codeObjecttype",
    }


def test_bijlage_of_deleted_klantcontact_is_deleted(api_client):
    contact = make_klantcontact()
    bijlage = make_bijlage(klantcontact=contact)

    assert (
        api_client.delete(f"/klantinteracties/api/v1/klantcontacten/{contact.uuid}").status_code
        == 204
    )

    assert not Bijlage.objects.filter(pk=bijlage.pk).exists()
