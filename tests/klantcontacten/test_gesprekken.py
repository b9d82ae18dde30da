"""Conversations and vestigingen on /klantcontacten.

- A reply to klantcontact X is a klantcontact with an onderwerpobject whose wasKlantcontact
  is X: `onderwerpobject__wasKlantcontact__uuid|url` finds the replies, `expand` of
  `vervolgKlantcontacten` returns them with X.
- A vestigingsnummer is unique only under its KvK-nummer:
  `hadBetrokkene__wasPartij__subIdentificatorVan__*` with the partijIdentificator filters
  finds the contacts of exactly that vestiging.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.models import Applicatie
from autorisatie.scopes import SCOPES, VERTROUWELIJK
from partijen.models import PartijIdentificator
from tests.autorisatie.conftest import client_for
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
URL = f"{API}/klantcontacten"


def uuids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["uuid"] for r in response.json()["results"]]


@pytest.fixture
def gesprek():
    vraag = make_klantcontact(onderwerp="Vraag")
    antwoord = make_klantcontact(onderwerp="Antwoord")
    nog_een = make_klantcontact(onderwerp="Nog een antwoord")
    los = make_klantcontact(onderwerp="Los")
    make_onderwerpobject(klantcontact=antwoord, was_klantcontact=vraag)
    make_onderwerpobject(klantcontact=nog_een, was_klantcontact=vraag)
    # An onderwerpobject that only names the vraag (no klantcontact of its own): no reply.
    make_onderwerpobject(klantcontact=None, was_klantcontact=vraag)
    # A reply to the reply.
    make_onderwerpobject(klantcontact=los, was_klantcontact=antwoord)
    return {"vraag": vraag, "antwoord": antwoord, "nog_een": nog_een, "los": los}


def test_the_replies_to_a_klantcontact(api_client, both_renderings, gesprek):
    vraag = gesprek["vraag"]
    by_uuid = api_client.get(URL, {"onderwerpobject__wasKlantcontact__uuid": vraag.uuid})
    by_url = api_client.get(
        URL, {"onderwerpobject__wasKlantcontact__url": f"http://testserver{URL}/{vraag.uuid}"}
    )
    expected = sorted(str(gesprek[n].uuid) for n in ("antwoord", "nog_een"))
    assert sorted(uuids(by_uuid)) == expected
    assert uuids(by_url) == uuids(by_uuid)
    nested = api_client.get(
        URL, {"onderwerpobject__wasKlantcontact__uuid": gesprek["antwoord"].uuid}
    )
    assert uuids(nested) == [str(gesprek["los"].uuid)]
    for nothing in (
        {"onderwerpobject__wasKlantcontact__uuid": uuid.uuid4()},
        {"onderwerpobject__wasKlantcontact__url": "http://testserver/elders"},
    ):
        assert uuids(api_client.get(URL, nothing)) == []


@pytest.mark.parametrize(
    "params",
    [
        {"onderwerpobject__wasKlantcontact__uuid": "geen-uuid"},
        {"onderwerpobject__wasKlantcontact__url": "geen url"},
    ],
)
def test_bad_values_are_400(api_client, params):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == next(iter(params))


def test_expand_returns_the_replies_with_the_klantcontact(api_client, both_renderings, gesprek):
    vraag = gesprek["vraag"]
    listed = api_client.get(URL, {"expand": "vervolgKlantcontacten"}).json()["results"]
    by_uuid = {r["uuid"]: r for r in listed}
    detail = api_client.get(f"{URL}/{vraag.uuid}", {"expand": "vervolgKlantcontacten"}).json()
    for item in (by_uuid[str(vraag.uuid)], detail):
        replies = item["_expand"]["vervolgKlantcontacten"]
        # In the order of their onderwerpobjecten; full klantcontacten.
        assert [r["uuid"] for r in replies] == [
            str(gesprek["antwoord"].uuid),
            str(gesprek["nog_een"].uuid),
        ]
        assert replies[0]["onderwerp"] == "Antwoord"
        assert replies[0]["gingOverOnderwerpobjecten"]
    assert by_uuid[str(gesprek["los"].uuid)]["_expand"]["vervolgKlantcontacten"] == []


def test_the_expand_costs_the_same_queries_for_1_and_30_conversations(
    api_client, both_renderings, django_assert_num_queries
):
    def gesprek_met_antwoord():
        vraag = make_klantcontact()
        make_onderwerpobject(klantcontact=make_klantcontact(), was_klantcontact=vraag)

    gesprek_met_antwoord()
    params = {"expand": "vervolgKlantcontacten,hadBetrokkenen"}
    api_client.get(URL, params)
    with CaptureQueriesContext(connection) as one:
        api_client.get(URL, params)
    for _ in range(29):
        gesprek_met_antwoord()
    with django_assert_num_queries(len(one.captured_queries)):
        body = api_client.get(URL, params).json()
    assert body["count"] == 60
    assert sum(len(r["_expand"]["vervolgKlantcontacten"]) for r in body["results"]) == 30


def test_a_confidential_reply_does_not_exist_for_a_restricted_application(
    settings, both_renderings, gesprek
):
    make_onderwerpobject(
        klantcontact=make_klantcontact(onderwerp="Geheim", vertrouwelijk=True),
        was_klantcontact=gesprek["vraag"],
    )
    geheime_vraag = make_klantcontact(onderwerp="Geheime vraag", vertrouwelijk=True)
    make_onderwerpobject(klantcontact=gesprek["los"], was_klantcontact=geheime_vraag)
    applicatie = Applicatie.objects.create(
        naam="portaal", scopes=[s for s in SCOPES if s != VERTROUWELIJK]
    )
    client = client_for(applicatie)
    vraag = gesprek["vraag"]
    replies = client.get(URL, {"onderwerpobject__wasKlantcontact__uuid": vraag.uuid})
    assert sorted(uuids(replies)) == sorted(str(gesprek[n].uuid) for n in ("antwoord", "nog_een"))
    detail = client.get(f"{URL}/{vraag.uuid}", {"expand": "vervolgKlantcontacten"}).json()
    assert [r["onderwerp"] for r in detail["_expand"]["vervolgKlantcontacten"]] == [
        "Antwoord",
        "Nog een antwoord",
    ]
    # Through a hidden klantcontact nothing is found, as after its delete.
    assert (
        uuids(client.get(URL, {"onderwerpobject__wasKlantcontact__uuid": geheime_vraag.uuid})) == []
    )


def vestiging(kvk: str, vestigingsnummer: str):
    organisatie = make_partij(soort_partij="organisatie")
    ouder = PartijIdentificator.objects.create(
        partij=organisatie,
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
        object_id=kvk,
    )
    PartijIdentificator.objects.create(
        partij=organisatie,
        code_objecttype="vestiging",
        code_soort_object_id="vestigingsnummer",
        code_register="hr",
        object_id=vestigingsnummer,
        sub_identificator_van=ouder,
    )
    klantcontact = make_klantcontact()
    make_betrokkene(klantcontact, partij=organisatie)
    return klantcontact


def test_a_vestiging_is_found_under_its_kvk_nummer(api_client, both_renderings):
    # The same vestigingsnummer under two KvK-nummers (as the reference allows).
    eerste = vestiging("12345678", "000012345678")
    tweede = vestiging("87654321", "000012345678")
    prefix = "hadBetrokkene__wasPartij__"
    vestigingsnummer = {
        f"{prefix}partijIdentificator__codeSoortObjectId": "vestigingsnummer",
        f"{prefix}partijIdentificator__objectId": "000012345678",
    }
    assert sorted(uuids(api_client.get(URL, vestigingsnummer))) == sorted(
        [str(eerste.uuid), str(tweede.uuid)]
    )
    for kvk, expected in (("12345678", eerste), ("87654321", tweede)):
        params = {
            **vestigingsnummer,
            f"{prefix}subIdentificatorVan__codeSoortObjectId": "kvk_nummer",
            f"{prefix}subIdentificatorVan__objectId": kvk,
        }
        assert uuids(api_client.get(URL, params)) == [str(expected.uuid)]
    # Both filters hold for one identificator: the KvK-nummer's own row has no parent.
    kvk_as_vestiging = {
        f"{prefix}partijIdentificator__objectId": "12345678",
        f"{prefix}subIdentificatorVan__objectId": "12345678",
    }
    assert uuids(api_client.get(URL, kvk_as_vestiging)) == []
    alone = {f"{prefix}subIdentificatorVan__objectId": "87654321"}
    assert uuids(api_client.get(URL, alone)) == [str(tweede.uuid)]
