"""`verstrektDoorPartij__subIdentificatorVan__*` on /digitaleadressen: a vestigingsnummer is
only unique with its KvK-nummer, so the two are matched on ONE identificator of the partij
(the vestigingsnummer whose `subIdentificatorVan` is the KvK-nummer)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantinteracties.api import keystatements
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/digitaleadressen"
ID = "verstrektDoorPartij__partijIdentificator__"
SUB = "verstrektDoorPartij__subIdentificatorVan__"
VESTIGING = "000012345678"
KVK = ["12345678", "87654321"]


def kvk(partij, nummer):
    return make_identificator(
        partij,
        nummer,
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )


def vestiging(partij, nummer, onder):
    return make_identificator(
        partij,
        nummer,
        code_objecttype="vestiging",
        code_soort_object_id="vestigingsnummer",
        code_register="hr",
        sub_identificator_van=onder,
    )


@pytest.fixture
def adressen():
    """Two vestigingen with the same vestigingsnummer under different KvK-nummers (one under
    its own organisation's, one under a KvK-nummer of the vestiging itself), and the
    organisation with its own adres."""
    organisatie = make_partij(soort_partij="organisatie")
    eerste = make_partij(soort_partij="organisatie")
    vestiging(eerste, VESTIGING, onder=kvk(organisatie, KVK[0]))
    tweede = make_partij(soort_partij="organisatie")
    vestiging(tweede, VESTIGING, onder=kvk(tweede, KVK[1]))
    return {
        "eerste": str(make_digitaal_adres(eerste, "eerste@example.nl").uuid),
        "tweede": str(make_digitaal_adres(tweede, "tweede@example.nl").uuid),
        "organisatie": str(make_digitaal_adres(organisatie, "org@example.nl").uuid),
    }


def found(api_client, **params) -> set[str]:
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {item["uuid"] for item in response.json()["results"]}


def test_the_vestigingsnummer_alone_finds_both_vestigingen(api_client, adressen):
    both = {adressen["eerste"], adressen["tweede"]}
    assert found(api_client, **{f"{ID}objectId": VESTIGING}) == both


@pytest.mark.parametrize("index, name", [(0, "eerste"), (1, "tweede")])
def test_with_the_kvk_nummer_it_finds_one(api_client, adressen, both_renderings, index, name):
    params = {
        f"{ID}codeSoortObjectId": "vestigingsnummer",
        f"{ID}objectId": VESTIGING,
        f"{SUB}codeSoortObjectId": "kvk_nummer",
        f"{SUB}objectId": KVK[index],
    }
    assert found(api_client, **params) == {adressen[name]}
    everything = {
        **params,
        f"{ID}codeObjecttype": "vestiging",
        f"{ID}codeRegister": "hr",
        f"{SUB}codeObjecttype": "niet_natuurlijk_persoon",
        f"{SUB}codeRegister": "hr",
    }
    assert found(api_client, **everything) == {adressen[name]}


def test_the_kvk_nummer_alone_finds_the_partijen_with_an_identificator_under_it(
    api_client, adressen
):
    # Not the organisation's own adres: its KvK-nummer is no sub-identificator.
    assert found(api_client, **{f"{SUB}objectId": KVK[0]}) == {adressen["eerste"]}
    assert found(api_client, **{f"{SUB}objectId": KVK[1]}) == {adressen["tweede"]}
    assert found(api_client, **{f"{SUB}codeSoortObjectId": "kvk_nummer"}) == {
        adressen["eerste"],
        adressen["tweede"],
    }


def test_both_must_hold_for_the_same_identificator(api_client, adressen):
    # A partij with the vestigingsnummer under the second KvK-nummer, and another
    # identificator (not through the API: it allows one per soort) under the first.
    partij = make_partij(soort_partij="organisatie")
    eerste_kvk = kvk(make_partij(soort_partij="organisatie"), "11112222")
    vestiging(partij, VESTIGING, onder=kvk(make_partij(soort_partij="organisatie"), "33334444"))
    vestiging(partij, "000099999999", onder=eerste_kvk)
    make_digitaal_adres(partij, "beide@example.nl")

    params = {f"{ID}objectId": VESTIGING, f"{SUB}objectId": "11112222"}
    assert found(api_client, **params) == set()


@pytest.mark.parametrize(
    "params",
    [
        {f"{ID}objectId": VESTIGING, f"{SUB}objectId": "99999999"},
        {f"{ID}objectId": "000000000001", f"{SUB}objectId": KVK[0]},
        {f"{ID}objectId": VESTIGING, f"{SUB}codeSoortObjectId": "bsn"},
        {f"{SUB}codeRegister": "brp"},
    ],
)
def test_what_does_not_match_finds_nothing(api_client, adressen, params):
    assert found(api_client, **params) == set()


@pytest.mark.parametrize("name", ["objectId", "codeRegister", "codeObjecttype"])
def test_a_value_the_database_cannot_take_is_a_400(api_client, adressen, name):
    response = api_client.get(URL, {f"{SUB}{name}": "12\x0034"})
    assert response.status_code == 400, response.content
    assert response.json()["invalidParams"][0]["name"] == f"{SUB}{name}"


def test_a_long_value_finds_nothing(api_client, adressen):
    assert found(api_client, **{f"{SUB}objectId": "1" * 5000}) == set()


def analyze(cursor):
    """Statistics of this test's own rows, not of whatever ran before it."""
    for table in ("partijen_partijidentificator", "partijen_digitaaladres"):
        cursor.execute(f"ANALYZE {table}")


def test_one_indexed_exists(api_client, adressen, settings):
    settings.SQL_JSON_LISTS = False
    params = {f"{ID}objectId": VESTIGING, f"{SUB}objectId": KVK[0]}
    with CaptureQueriesContext(connection) as queries:
        assert found(api_client, **params) == {adressen["eerste"]}
    [keys, *_] = [q["sql"] for q in queries.captured_queries if KVK[0] in q["sql"]]
    assert keys.count("EXISTS") == 1, keys
    with connection.cursor() as cursor:
        analyze(cursor)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + keys)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partijid_object_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_kvk_nummer_alone_is_indexed(api_client, adressen, settings):
    settings.SQL_JSON_LISTS = False
    with CaptureQueriesContext(connection) as queries:
        found(api_client, **{f"{SUB}objectId": KVK[0]})
    [keys, *_] = [q["sql"] for q in queries.captured_queries if KVK[0] in q["sql"]]
    with connection.cursor() as cursor:
        analyze(cursor)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + keys)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partijid_object_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_one_compiled_statement_serves_every_kvk_nummer(api_client, adressen, settings):
    settings.SQL_JSON_LISTS = True
    keystatements._statements.clear()
    try:
        params = {f"{ID}objectId": VESTIGING, f"{SUB}objectId": KVK[0]}
        assert found(api_client, **params) == {adressen["eerste"]}
        compiled = [s for s in keystatements._statements.values() if s is not None]
        assert len(compiled) == 1
        assert found(api_client, **{**params, f"{SUB}objectId": KVK[1]}) == {adressen["tweede"]}
        assert [s for s in keystatements._statements.values() if s is not None] == compiled
    finally:
        keystatements._statements.clear()
