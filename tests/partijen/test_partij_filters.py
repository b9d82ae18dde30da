import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partijen.models import Categorie, CategorieRelatie, PartijIdentificator, Vertegenwoordigden
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


def uuids(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {item["uuid"] for item in response.json()["results"]}


@pytest.fixture
def twee(db):
    a = make_partij(
        soort_partij="persoon",
        indicatie_actief=True,
        indicatie_geheimhouding=True,
        nummer="1",
        bezoekadres_adresregel1="Straat 1",
        bezoekadres_adresregel2="a2",
        bezoekadres_adresregel3="a3",
        bezoekadres_land="NL",
        bezoekadres_nummeraanduiding_id="0363200000123456",
        correspondentieadres_adresregel1="Postbus 1",
        correspondentieadres_adresregel2="c2",
        correspondentieadres_adresregel3="c3",
        correspondentieadres_land="BE",
        correspondentieadres_nummeraanduiding_id="0363200000654321",
    )
    b = make_partij(soort_partij="organisatie", indicatie_actief=False, nummer="2")
    make_identificator(a, "111222333")
    kvk = make_identificator(
        b,
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    PartijIdentificator.objects.create(
        partij=b,
        object_id="000012345678",
        code_objecttype="vestiging",
        code_soort_object_id="vestigingsnummer",
        code_register="hr",
        sub_identificator_van=kvk,
    )
    categorie = Categorie.objects.create(naam="VIP")
    CategorieRelatie.objects.create(partij=a, categorie=categorie)
    return str(a.uuid), str(b.uuid), a, b


@pytest.mark.parametrize(
    "params, expect",
    [
        ({"soortPartij": "persoon"}, "a"),
        ({"soortPartij": "organisatie"}, "b"),
        ({"indicatieActief": "true"}, "a"),
        ({"indicatieActief": "false"}, "b"),
        ({"indicatieGeheimhouding": "true"}, "a"),
        ({"nummer": "2"}, "b"),
        ({"partijIdentificator__objectId": "111222333"}, "a"),
        ({"partijIdentificator__codeSoortObjectId": "kvk_nummer"}, "b"),
        ({"partijIdentificator__codeRegister": "brp"}, "a"),
        ({"partijIdentificator__codeObjecttype": "vestiging"}, "b"),
        ({"subIdentificatorVan__objectId": "12345678"}, "b"),
        ({"subIdentificatorVan__codeSoortObjectId": "kvk_nummer"}, "b"),
        ({"subIdentificatorVan__codeRegister": "hr"}, "b"),
        ({"subIdentificatorVan__codeObjecttype": "niet_natuurlijk_persoon"}, "b"),
        ({"categorierelatie__categorie__naam": "VIP"}, "a"),
        ({"bezoekadresAdresregel1": "Straat 1"}, "a"),
        ({"bezoekadresAdresregel2": "a2"}, "a"),
        ({"bezoekadresAdresregel3": "a3"}, "a"),
        ({"bezoekadresLand": "NL"}, "a"),
        ({"bezoekadresNummeraanduidingId": "0363200000123456"}, "a"),
        ({"correspondentieadresAdresregel1": "Postbus 1"}, "a"),
        ({"correspondentieadresAdresregel2": "c2"}, "a"),
        ({"correspondentieadresAdresregel3": "c3"}, "a"),
        ({"correspondentieadresLand": "BE"}, "a"),
        ({"correspondentieadresNummeraanduidingId": "0363200000654321"}, "a"),
    ],
)
def test_filter_narrows(api_client, twee, params, expect):
    a, b, *_ = twee
    assert uuids(api_client, **params) == {a if expect == "a" else b}


def test_identificator_filters_apply_to_one_identificator(api_client, twee):
    # objectId of one identificator with the soort of another must not match.
    assert (
        uuids(
            api_client,
            partijIdentificator__objectId="12345678",
            partijIdentificator__codeSoortObjectId="bsn",
        )
        == set()
    )
    a, b, *_ = twee
    assert uuids(
        api_client,
        partijIdentificator__objectId="12345678",
        partijIdentificator__codeSoortObjectId="kvk_nummer",
    ) == {b}


def test_vertegenwoordigde_partij_filter(api_client, twee):
    a, b, pa, pb = twee
    Vertegenwoordigden.objects.create(vertegenwoordigende_partij=pa, vertegenwoordigde_partij=pb)
    assert uuids(api_client, vertegenwoordigdePartij__uuid=a) == {b}
    url = f"http://testserver/klantinteracties/api/v1/partijen/{a}"
    assert uuids(api_client, vertegenwoordigdePartij__url=url) == {b}
    # A url that does not end with a uuid matches nothing; what is not a url is a 400.
    assert uuids(api_client, vertegenwoordigdePartij__url="http://testserver/x/onzin") == set()
    assert api_client.get(URL, {"vertegenwoordigdePartij__url": "onzin"}).status_code == 400
    assert api_client.get(f"{URL}/{a}").json()["vertegenwoordigden"][0]["uuid"] == b


def test_invalid_filter_values_are_400(api_client, twee):
    assert api_client.get(URL, {"soortPartij": "kat"}).status_code == 400
    assert api_client.get(URL, {"vertegenwoordigdePartij__uuid": "geen-uuid"}).status_code == 400


def test_expand_digitale_adressen_and_categorie_relaties(api_client, twee):
    a, b, pa, pb = twee
    make_digitaal_adres(pa, adres="a@example.nl")
    data = api_client.get(f"{URL}/{a}", {"expand": "digitaleAdressen,categorieRelaties"}).json()
    assert [d["adres"] for d in data["_expand"]["digitaleAdressen"]] == ["a@example.nl"]
    assert data["_expand"]["categorieRelaties"][0]["categorie"]["naam"] == "VIP"
    listed = api_client.get(URL, {"expand": "digitaleAdressen", "nummer": "2"}).json()["results"][0]
    assert listed["_expand"] == {"digitaleAdressen": []}
    assert "_expand" not in api_client.get(f"{URL}/{a}").json()


def test_expand_costs_the_same_queries_for_1_and_50_partijen(both_renderings, api_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(
                URL, {"expand": "digitaleAdressen,categorieRelaties", "pageSize": 100}
            )
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    api_client.get(URL)  # authenticate once: the token is cached afterwards
    p = make_partij()
    make_digitaal_adres(p, adres="x0@example.nl")
    make_identificator(p, "111222333")
    one, n = count()
    assert n == 1
    for i in range(49):
        q = make_partij()
        make_digitaal_adres(q, adres=f"x{i + 1}@example.nl")
    fifty, n = count()
    assert n == 50
    assert one == fifty
