"""`expand` on /klantcontacten and /betrokkenen, and its constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantcontacten.serializers import BetrokkeneSerializer, KlantcontactSerializer

from .factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_bijlage,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
ALL_EXPANSIONS = (
    "hadBetrokkenen,hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen,"
    "gingOverOnderwerpobjecten,omvatteBijlagen,leiddeTotInterneTaken"
)


def full_klantcontact(index: int = 0):
    contact = make_klantcontact(onderwerp=f"Contact {index}")
    partij = make_partij()
    make_partij_identificator(
        partij,
        f"{index:09d}",
        code_soort_object_id="rsin",
        code_objecttype="niet_natuurlijk_persoon",
        code_register="hr",
    )
    betrokkene = make_betrokkene(contact, partij=partij)
    make_digitaal_adres(betrokkene=betrokkene, adres=f"klant{index}@example.com")
    make_onderwerpobject(klantcontact=contact)
    make_bijlage(klantcontact=contact)
    taak = make_interne_taak(contact)
    actor = make_actor(naam=f"Medewerker {index}")
    make_actor_klantcontact(actor, contact)
    taak.actoren.add(actor)
    return contact


def test_expand_had_betrokkenen_with_partij_and_digitale_adressen(api_client):
    contact = make_klantcontact()
    partij = make_partij()
    betrokkene = make_betrokkene(contact, partij=partij)
    adres = make_digitaal_adres(betrokkene=betrokkene)

    response = api_client.get(
        f"{API}/klantcontacten/{contact.uuid}",
        {"expand": "hadBetrokkenen,hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen"},
    )

    assert response.status_code == 200, response.json()
    expanded = response.json()["_expand"]["hadBetrokkenen"]
    assert [b["uuid"] for b in expanded] == [str(betrokkene.uuid)]
    nested = expanded[0]["_expand"]
    assert nested["wasPartij"]["uuid"] == str(partij.uuid)
    assert nested["wasPartij"]["nummer"] == partij.nummer
    assert [a["uuid"] for a in nested["digitaleAdressen"]] == [str(adres.uuid)]
    assert nested["digitaleAdressen"][0]["adres"] == adres.adres


def test_expand_was_partij_null_when_no_partij(api_client):
    contact = make_klantcontact()
    make_betrokkene(contact)

    response = api_client.get(
        f"{API}/klantcontacten/{contact.uuid}", {"expand": "hadBetrokkenen.wasPartij"}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["_expand"]["hadBetrokkenen"][0]["_expand"]["wasPartij"] is None


def test_expand_onderwerpobjecten_bijlagen_en_interne_taken(api_client):
    contact = make_klantcontact()
    onderwerpobject = make_onderwerpobject(klantcontact=contact)
    bijlage = make_bijlage(klantcontact=contact)
    taak = make_interne_taak(contact, gevraagde_handeling="Terugbellen graag")

    response = api_client.get(
        f"{API}/klantcontacten",
        {"expand": "gingOverOnderwerpobjecten,omvatteBijlagen,leiddeTotInterneTaken"},
    )

    assert response.status_code == 200, response.json()
    expand = response.json()["results"][0]["_expand"]
    assert expand["gingOverOnderwerpobjecten"][0]["uuid"] == str(onderwerpobject.uuid)
    assert expand["gingOverOnderwerpobjecten"][0]["onderwerpobjectidentificator"]["objectId"]
    assert expand["omvatteBijlagen"][0]["uuid"] == str(bijlage.uuid)
    assert expand["leiddeTotInterneTaken"][0]["uuid"] == str(taak.uuid)
    assert expand["leiddeTotInterneTaken"][0]["gevraagdeHandeling"] == "Terugbellen graag"


def test_expand_on_betrokkenen(api_client):
    betrokkene = make_betrokkene()
    adres = make_digitaal_adres(betrokkene=betrokkene)

    detail = api_client.get(
        f"{API}/betrokkenen/{betrokkene.uuid}", {"expand": "digitaleAdressen"}
    ).json()
    listed = api_client.get(f"{API}/betrokkenen", {"expand": "digitaleAdressen"}).json()

    assert [a["uuid"] for a in detail["_expand"]["digitaleAdressen"]] == [str(adres.uuid)]
    assert listed["results"][0] == detail


def test_no_expand_no_expand_key(api_client):
    make_klantcontact()

    assert "_expand" not in api_client.get(f"{API}/klantcontacten").json()["results"][0]


@pytest.mark.parametrize(
    "path, value",
    [
        ("klantcontacten", "wasPartij"),
        ("klantcontacten", "hadBetrokkenen.hadKlantcontact"),
        ("betrokkenen", "wasPartij"),
        ("betrokkenen", "hadKlantcontact"),
    ],
)
def test_expand_outside_the_contract_is_400(api_client, path, value):
    response = api_client.get(f"{API}/{path}", {"expand": value})

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "expand"


@pytest.mark.parametrize("path", ["onderwerpobjecten", "bijlagen", "actoren", "categorieen"])
def test_expand_where_the_contract_has_none_is_an_unknown_parameter(api_client, path):
    """It would be ignored there: a client would get less than it asked for, unsaid."""
    response = api_client.get(f"{API}/{path}", {"expand": "klantcontact"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"


def test_expand_given_twice_expands_both(api_client, both_renderings):
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact)
    bijlage = make_bijlage(klantcontact=contact)
    query = "expand=hadBetrokkenen&expand=omvatteBijlagen"

    listed = api_client.get(f"{API}/klantcontacten?{query}").json()["results"][0]
    detail = api_client.get(f"{API}/klantcontacten/{contact.uuid}?{query}").json()

    for data in (listed, detail):
        assert [b["uuid"] for b in data["_expand"]["hadBetrokkenen"]] == [str(betrokkene.uuid)]
        assert [b["uuid"] for b in data["_expand"]["omvatteBijlagen"]] == [str(bijlage.uuid)]


def test_expandable_entries_other_registers_rely_on():
    assert set(BetrokkeneSerializer.expandable) == {
        "digitaleAdressen",
        "wasPartij",
        "hadKlantcontact",
    }
    assert BetrokkeneSerializer.expandable["hadKlantcontact"].lookup == "klantcontact"
    assert BetrokkeneSerializer.expandable["wasPartij"].many is False
    assert {name: e.lookup for name, e in KlantcontactSerializer.expandable.items()} == {
        "hadBetrokkenen": "betrokkenen",
        "gingOverOnderwerpobjecten": "onderwerpobjecten",
        "omvatteBijlagen": "bijlagen",
        "leiddeTotInterneTaken": "internetaken",
        "vervolgKlantcontacten": "was_onderwerpobjecten",
    }
    for expandable in (
        *BetrokkeneSerializer.expandable.values(),
        *KlantcontactSerializer.expandable.values(),
    ):
        assert expandable.serializer_class() is not None


def test_query_count_does_not_grow_with_rows(
    both_renderings, api_client, django_assert_num_queries
):
    full_klantcontact(0)
    url = f"{API}/klantcontacten"
    params = {"expand": ALL_EXPANSIONS}

    # Warm up (token cache etc.), then count one row.
    api_client.get(url, params)
    with CaptureQueriesContext(connection) as one:
        assert api_client.get(url, params).status_code == 200
    for index in range(1, 30):
        full_klantcontact(index)

    with django_assert_num_queries(len(one.captured_queries)):
        response = api_client.get(url, params)
    assert response.json()["count"] == 30
    first = response.json()["results"][0]
    assert first["hadBetrokkenActoren"] and first["_expand"]["leiddeTotInterneTaken"]


def test_betrokkenen_query_count_does_not_grow(
    both_renderings, api_client, django_assert_num_queries
):
    def maak():
        betrokkene = make_betrokkene(partij=make_partij())
        make_digitaal_adres(betrokkene=betrokkene)

    maak()
    url = f"{API}/betrokkenen"
    api_client.get(url, {"expand": "digitaleAdressen"})
    with CaptureQueriesContext(connection) as one:
        api_client.get(url, {"expand": "digitaleAdressen"})
    for _ in range(29):
        maak()

    with django_assert_num_queries(len(one.captured_queries)):
        assert api_client.get(url, {"expand": "digitaleAdressen"}).json()["count"] == 30
