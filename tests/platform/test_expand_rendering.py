"""expand renders each requested relation, also when serializers are reused across requests."""

import pytest

from klantcontacten.models import Betrokkene, Klantcontact
from partijen.models import Categorie, CategorieRelatie
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


@pytest.fixture
def partij(db):
    partij = make_partij()
    make_digitaal_adres(partij, adres="jan@example.nl")
    contact = Klantcontact.objects.create(
        nummer="1", kanaal="telefoon", onderwerp="afval", taal="nld", vertrouwelijk=False
    )
    Betrokkene.objects.create(klantcontact=contact, partij=partij, rol="klant", initiator=True)
    CategorieRelatie.objects.create(partij=partij, categorie=Categorie.objects.create(naam="VIP"))
    return partij


def expanded(api_client, expand):
    response = api_client.get(URL, {"expand": expand})
    assert response.status_code == 200, response.json()
    return response.json()["results"][0]["_expand"]


def test_several_expansions_in_any_order(api_client, partij):
    for expand in (
        "digitaleAdressen,betrokkenen,categorieRelaties",
        "categorieRelaties,betrokkenen,digitaleAdressen",
    ):
        data = expanded(api_client, expand)
        assert [a["adres"] for a in data["digitaleAdressen"]] == ["jan@example.nl"]
        assert data["betrokkenen"][0]["wasPartij"]["uuid"] == str(partij.uuid)
        assert data["categorieRelaties"][0]["categorie"]["naam"] == "VIP"


def test_nested_expansion_and_no_leak_between_requests(api_client, partij):
    data = expanded(api_client, "betrokkenen.hadKlantcontact,betrokkenen")
    assert data["betrokkenen"][0]["_expand"]["hadKlantcontact"]["onderwerp"] == "afval"
    data = expanded(api_client, "betrokkenen")
    assert set(data) == {"betrokkenen"}
    assert "_expand" not in data["betrokkenen"][0]
    plain = api_client.get(URL).json()["results"][0]
    assert "_expand" not in plain
    assert (
        api_client.get(URL, HTTP_HOST="other.example")
        .json()["results"][0]["url"]
        .startswith("http://other.example/")
    )
