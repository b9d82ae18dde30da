"""`adres__genormaliseerd` finds a digitaal adres whatever its case and notation, through the
index on the normalising SQL function (migration 0007, partijen/normalisatie.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from autorisatie.models import Applicatie
from autorisatie.scopes import SCOPES
from klantinteracties.api import keystatements
from partijen.normalisatie import FUNCTION, INDEX
from tests.autorisatie.conftest import client_for
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/digitaleadressen"
PARAM = "adres__genormaliseerd"

# One mobile number in every notation the issue names, and a few more.
NOTATIES = [
    "06-12345678",
    "06 1234 5678",
    "(06) 12345678",
    "+31612345678",
    "+31 6 12345678",
    "0031612345678",
    "0612345678",
    " 06.12.34.56.78 ",
    "+31 (0)6 1234 5678",
    "0031 (0)6-12345678",
    "06/12345678",
]


def normalised(value: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {FUNCTION}(%s)", [value])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "value, expected",
    [
        *((notatie, "+31612345678") for notatie in NOTATIES),
        ("020-1234567", "+31201234567"),
        ("+32 2 123 45 67", "+3221234567"),
        ("0032 2 123 45 67", "+3221234567"),
        ("14020", "14020"),  # no leading 0 or +: its digits, nothing added
        ("112", "112"),
        ("  Jan.Jansen@Example.NL\t", "jan.jansen@example.nl"),
        ("jan.jansen@example.nl", "jan.jansen@example.nl"),
        # Not a telephone number (a letter, a second +): only case and surrounding spaces.
        ("06-1234567x", "06-1234567x"),
        ("+31+612345678", "+31+612345678"),
        ("Tel: 0612345678", "tel: 0612345678"),
        ("https://Example.nl/Jan", "https://example.nl/jan"),
        ("", ""),
        ("   ", ""),
        ("+", "+"),
    ],
)
def test_the_normalisation_rules(value, expected):
    assert normalised(value) == expected


def test_the_function_is_immutable_and_null_gives_null():
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = %s", [FUNCTION])
        assert cursor.fetchone()[0] == "i"
        cursor.execute(f"SELECT {FUNCTION}(NULL)")
        assert cursor.fetchone()[0] is None


@pytest.fixture
def adressen():
    partij = make_partij()
    mobiel = make_digitaal_adres(partij, "0612345678", soort_digitaal_adres="telefoonnummer")
    email = make_digitaal_adres(partij, "Jan.Jansen@Example.nl")
    # A neighbour of the mobile number, and another adres with the same digits in it.
    make_digitaal_adres(make_partij(), "0612345679", soort_digitaal_adres="telefoonnummer")
    make_digitaal_adres(make_partij(), "612345678@example.nl")
    return {"mobiel": mobiel, "email": email}


def found(api_client, value, **params) -> list[str]:
    response = api_client.get(URL, {PARAM: value, **params})
    assert response.status_code == 200, response.json()
    return [item["uuid"] for item in response.json()["results"]]


@pytest.mark.parametrize("notatie", NOTATIES)
def test_every_notation_finds_the_stored_number(api_client, adressen, notatie, both_renderings):
    assert found(api_client, notatie) == [str(adressen["mobiel"].uuid)]


@pytest.mark.parametrize("stored", NOTATIES)
def test_each_stored_notation_is_found_by_every_other(api_client, stored):
    # Adressen stored before validation, or as `overig`, keep their notation.
    adres = make_digitaal_adres(make_partij(), stored, soort_digitaal_adres="overig")
    for notatie in NOTATIES:
        assert found(api_client, notatie) == [str(adres.uuid)], (stored, notatie)


@pytest.mark.parametrize(
    "value", ["0612345670", "+31612345677", "0031612345677", "612345678", "+3161234567"]
)
def test_a_different_number_is_not_found(api_client, adressen, value):
    assert found(api_client, value) == []


@pytest.mark.parametrize(
    "value", ["jan.jansen@example.nl", "JAN.JANSEN@EXAMPLE.NL", "  Jan.Jansen@example.nl  "]
)
def test_an_email_address_is_found_whatever_its_case(api_client, adressen, value):
    assert found(api_client, value) == [str(adressen["email"].uuid)]


def test_part_of_an_email_address_is_not_enough(api_client, adressen):
    assert found(api_client, "jan.jansen@example") == []
    assert found(api_client, "jansen@example.nl") == []


def test_it_combines_with_other_filters(api_client, adressen):
    mobiel = str(adressen["mobiel"].uuid)
    assert found(api_client, "06-12345678", soortDigitaalAdres="telefoonnummer") == [mobiel]
    assert found(api_client, "06-12345678", soortDigitaalAdres="email") == []
    partij = str(adressen["mobiel"].partij.uuid)
    assert found(api_client, "06-12345678", verstrektDoorPartij__uuid=partij) == [mobiel]


@pytest.mark.parametrize("value", ["06\x0012345678", "a\x00@example.nl"])
def test_a_value_the_database_cannot_take_is_a_400(api_client, adressen, value):
    response = api_client.get(URL, {PARAM: value})
    assert response.status_code == 400, response.content
    assert response.json()["invalidParams"][0]["name"] == PARAM


@pytest.mark.parametrize("value", ["x" * 5000, "0" * 5000, "+" + "1" * 5000, "%_\\'\"", "é"])
def test_odd_values_find_nothing_and_fail_nothing(api_client, adressen, value):
    assert found(api_client, value) == []


def test_an_empty_value_is_no_filter(api_client, adressen):
    assert len(found(api_client, "")) == 4


def test_a_shielded_adres_cannot_be_searched_this_way(db, adressen):
    client = client_for(
        Applicatie.objects.create(naam="KCC", scopes=SCOPES, afgeschermd=["digitale_adressen"])
    )
    response = client.get(URL, {PARAM: "0612345678"})
    assert response.status_code == 403
    assert response.json()["code"] == "shielded-field"
    # The same application may still list the adressen, their values empty.
    assert client.get(URL).status_code == 200


def explain(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        # So few rows would be read sequentially anyway; the question is whether the index
        # can serve the statement at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_lists_statement_uses_the_index(api_client, adressen, settings):
    settings.SQL_JSON_LISTS = False
    with CaptureQueriesContext(connection) as queries:
        assert found(api_client, "06 1234 5678") == [str(adressen["mobiel"].uuid)]
    [keys, *_] = [q["sql"] for q in queries.captured_queries if FUNCTION in q["sql"]]
    plan = explain(keys)
    assert INDEX in plan, plan
    assert "Seq Scan on partijen_digitaaladres" not in plan, plan


def test_the_index_is_chosen_among_thousands_of_adressen(adressen):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO partijen_digitaaladres (uuid, adres, soort_digitaal_adres,"
            " is_standaard_adres, omschrijving, referentie)"
            " SELECT gen_random_uuid(), '06' || lpad(n::text, 8, '0'), 'telefoonnummer',"
            " false, '', '' FROM generate_series(1, 5000) n"
        )
        cursor.execute("ANALYZE partijen_digitaaladres")
        cursor.execute(
            f"EXPLAIN SELECT id FROM partijen_digitaaladres WHERE {FUNCTION}(adres) = {FUNCTION}(%s)",
            ["06-00001234"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEX in plan, plan


@pytest.fixture
def fresh_statements():
    keystatements._statements.clear()
    yield
    keystatements._statements.clear()


def test_the_first_page_statement_is_compiled_once_for_every_value(
    api_client, adressen, settings, fresh_statements
):
    """The filter passes its value to the SQL function unchanged: one compiled key statement
    serves every value (keystatements.py)."""
    settings.SQL_JSON_LISTS = True
    assert found(api_client, "06-12345678") == [str(adressen["mobiel"].uuid)]
    compiled = [s for s in keystatements._statements.values() if s is not None]
    assert len(compiled) == 1
    assert found(api_client, "JAN.JANSEN@example.nl") == [str(adressen["email"].uuid)]
    assert found(api_client, "0687654321") == []
    assert [s for s in keystatements._statements.values() if s is not None] == compiled


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_existing_adressen_and_goes_back(api_client):
    def exists(sql: str, value: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            return cursor.fetchone() is not None

    executor = MigrationExecutor(connection)
    executor.migrate([("partijen", "0006_adres_trigram_index")])
    assert not exists("SELECT 1 FROM pg_proc WHERE proname = %s", FUNCTION)
    assert not exists("SELECT 1 FROM pg_class WHERE relname = %s", INDEX)
    adres = make_digitaal_adres(make_partij(), "+31 6 12345678", soort_digitaal_adres="overig")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert exists(
        "SELECT 1 FROM pg_index JOIN pg_class c ON c.oid = indexrelid"
        " WHERE c.relname = %s AND indisvalid",
        INDEX,
    )
    assert found(api_client, "06-12345678") == [str(adres.uuid)]
