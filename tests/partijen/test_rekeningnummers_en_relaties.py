import datetime

import pytest

from partijen.models import Categorie, CategorieRelatie, Rekeningnummer, Vertegenwoordigden
from tests.partijen.factories import make_partij

pytestmark = pytest.mark.django_db

BASE = "/klantinteracties/api/v1"


def names(response):
    assert response.status_code == 400, response.json()
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_rekeningnummer_crud_and_filters(api_client):
    partij = make_partij()
    created = api_client.post(
        f"{BASE}/rekeningnummers",
        {"partij": {"uuid": str(partij.uuid)}, "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = created.json()["url"]
    assert api_client.get(url).json() == created.json()
    assert api_client.patch(url, {"bic": "INGBNL2A"}, format="json").json()["bic"] == "INGBNL2A"
    assert api_client.put(url, {"iban": "NL20INGB0001234567"}, format="json").status_code == 200
    Rekeningnummer.objects.create(iban="NL91ABNA0417164300")
    for param, value in {
        "iban": "NL20INGB0001234567",
        "bic": "INGBNL2A",
        "uuid": created.json()["uuid"],
    }.items():
        results = api_client.get(f"{BASE}/rekeningnummers", {param: value}).json()["results"]
        assert [r["uuid"] for r in results] == [created.json()["uuid"]], param
    assert api_client.delete(url).status_code == 204


@pytest.mark.parametrize(
    "payload, name",
    [
        ({"iban": "NL91ABNA0417164301"}, "iban"),  # checksum
        ({"iban": "geen iban"}, "iban"),
        ({}, "iban"),
        ({"iban": "NL91ABNA0417164300", "bic": "abc"}, "bic"),
        ({"iban": "NL91ABNA0417164300", "bic": "ABNA NL2A"}, "bic"),
    ],
)
def test_rekeningnummer_validation(api_client, payload, name):
    assert name in names(api_client.post(f"{BASE}/rekeningnummers", payload, format="json"))


def test_vertegenwoordiging_crud_filters_and_rules(api_client):
    a, b, c = make_partij(), make_partij(), make_partij()
    url = f"{BASE}/vertegenwoordigingen"
    created = api_client.post(
        url,
        {
            "vertegenwoordigendePartij": {"uuid": str(a.uuid)},
            "vertegenwoordigdePartij": {"uuid": str(b.uuid)},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    again = api_client.post(
        url,
        {
            "vertegenwoordigendePartij": {"uuid": str(a.uuid)},
            "vertegenwoordigdePartij": {"uuid": str(b.uuid)},
        },
        format="json",
    )
    assert "vertegenwoordigdePartij" in names(again)
    self_rep = api_client.post(
        url,
        {
            "vertegenwoordigendePartij": {"uuid": str(c.uuid)},
            "vertegenwoordigdePartij": {"uuid": str(c.uuid)},
        },
        format="json",
    )
    assert "vertegenwoordigdePartij" in names(self_rep)
    assert "vertegenwoordigendePartij" in names(
        api_client.post(url, {"vertegenwoordigdePartij": {"uuid": str(c.uuid)}}, format="json")
    )
    Vertegenwoordigden.objects.create(vertegenwoordigende_partij=c, vertegenwoordigde_partij=a)
    own = created.json()["uuid"]
    for param, value in {
        "vertegenwoordigendePartij__uuid": str(a.uuid),
        "vertegenwoordigdePartij__uuid": str(b.uuid),
        "vertegenwoordigendePartij__url": f"http://testserver{BASE}/partijen/{a.uuid}",
        "vertegenwoordigdePartij__url": f"http://testserver{BASE}/partijen/{b.uuid}",
    }.items():
        assert [r["uuid"] for r in api_client.get(url, {param: value}).json()["results"]] == [
            own
        ], param
    detail = created.json()["url"]
    assert (
        api_client.patch(
            detail, {"vertegenwoordigdePartij": {"uuid": str(c.uuid)}}, format="json"
        ).status_code
        == 200
    )
    assert (
        api_client.put(
            detail,
            {
                "vertegenwoordigendePartij": {"uuid": str(b.uuid)},
                "vertegenwoordigdePartij": {"uuid": str(c.uuid)},
            },
            format="json",
        ).status_code
        == 200
    )
    assert api_client.delete(detail).status_code == 204


def test_categorie_crud(api_client):
    url = f"{BASE}/categorieen"
    created = api_client.post(url, {"naam": "VIP"}, format="json")
    assert created.status_code == 201
    detail = created.json()["url"]
    assert api_client.put(detail, {"naam": "Zakelijk"}, format="json").json()["naam"] == "Zakelijk"
    assert api_client.patch(detail, {"naam": "Z"}, format="json").json()["naam"] == "Z"
    assert "naam" in names(api_client.post(url, {"naam": "x" * 81}, format="json"))
    assert api_client.get(url).json()["count"] == 1
    assert api_client.delete(detail).status_code == 204


def test_categorie_relatie_starts_today_and_filters(api_client):
    partij = make_partij(nummer="77")
    categorie = Categorie.objects.create(naam="VIP")
    url = f"{BASE}/categorie-relaties"
    created = api_client.post(
        url,
        {"partij": {"uuid": str(partij.uuid)}, "categorie": {"uuid": str(categorie.uuid)}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["beginDatum"] == datetime.date.today().isoformat()
    assert data["categorie"]["naam"] == "VIP"
    null_begin = api_client.patch(data["url"], {"beginDatum": None}, format="json")
    assert null_begin.json()["beginDatum"] == datetime.date.today().isoformat()
    assert "eindDatum" in names(
        api_client.patch(data["url"], {"eindDatum": "2000-01-01"}, format="json")
    )
    CategorieRelatie.objects.create(
        partij=make_partij(),
        categorie=Categorie.objects.create(naam="Ander"),
        begin_datum="2020-01-01",
    )
    for param, value in {
        "partij__uuid": str(partij.uuid),
        "partij__url": f"http://testserver{BASE}/partijen/{partij.uuid}",
        "partij__nummer": "77",
        "categorie__uuid": str(categorie.uuid),
        "categorie__url": f"http://testserver{BASE}/categorieen/{categorie.uuid}",
        "categorie__naam": "VIP",
        "beginDatum": datetime.date.today().isoformat(),
    }.items():
        assert [r["uuid"] for r in api_client.get(url, {param: value}).json()["results"]] == [
            data["uuid"]
        ], param
    partij_data = api_client.get(f"{BASE}/partijen/{partij.uuid}").json()
    assert partij_data["categorieRelaties"][0]["categorieNaam"] == "VIP"
    assert (
        api_client.put(data["url"], {"eindDatum": "2999-01-01"}, format="json").status_code == 200
    )
    assert api_client.get(url, {"eindDatum": "2999-01-01"}).json()["count"] == 1
    assert api_client.delete(data["url"]).status_code == 204
