"""First-page key statements compiled once per filter shape (klantinteracties/api/keystatements.py).

Requests of one shape with different values must each get their own rows (the statement is
reused, its values are not), equal to the ORM path's; shapes whose values change the query
must not be cached at all.
"""

import re
from collections import Counter
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantcontacten.filters import KlantcontactFilterSet
from klantcontacten.models import Klantcontact
from klantinteracties.api import keystatements, pagination
from klantinteracties.api.filters import value_parameters
from klantinteracties.api.sqljson import keys_of
from partijen.filters import PartijFilterSet
from partijen.models import Partij
from taken.models import InterneTaakToewijzing
from tests.conftest import without_log
from tests.klantcontacten.factories import (
    make_actor,
    make_betrokkene,
    make_interne_taak,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1/"


@pytest.fixture(autouse=True)
def fresh_statements():
    keystatements._statements.clear()
    yield
    keystatements._statements.clear()


@pytest.fixture
def data():
    """Two persons, each with their own BSN, klantcontacten, and an actor with taken."""
    people = []
    for i, (bsn, contacts) in enumerate([("111222333", 3), ("444555666", 2)]):
        partij = make_partij(indicatie_actief=bool(i))
        make_partij_identificator(partij, bsn)
        klantcontacten = []
        for _ in range(contacts):
            klantcontact = make_klantcontact(kanaal=("telefoon", "email")[i])
            make_betrokkene(klantcontact, partij=partij)
            klantcontacten.append(klantcontact)
        actor = make_actor(naam=f"Medewerker {i}")
        for status in ("te_verwerken", "verwerkt")[: 2 - i]:
            taak = make_interne_taak(klantcontacten[0], status=status)
            InterneTaakToewijzing.objects.create(internetaak=taak, actor=actor)
        people.append({"partij": partij, "bsn": bsn, "kc": klantcontacten, "actor": actor})
    return people


def uuids(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["uuid"] for row in response.json()["results"]]


def on_both_paths(client, settings, path, params):
    """The response on the SQL path (key statement) and on the serializer path (ORM)."""
    settings.SQL_JSON_LISTS = True
    fast = client.get(API + path, params)
    settings.SQL_JSON_LISTS = False
    slow = client.get(API + path, params)
    settings.SQL_JSON_LISTS = True
    assert fast.status_code == slow.status_code
    # `instance` of a problem response is a fresh urn each time
    assert {k: v for k, v in fast.json().items() if k != "instance"} == {
        k: v for k, v in slow.json().items() if k != "instance"
    }
    return fast


def compiled_shapes() -> list:
    return [key for key, statement in keystatements._statements.items() if statement is not None]


# One shape, two values each: (path, params of person 0, params of person 1, expected).
SHAPES = {
    "partij by bsn": (
        "partijen",
        lambda p: {
            "partijIdentificator__codeSoortObjectId": "bsn",
            "partijIdentificator__objectId": p["bsn"],
            "expand": "digitaleAdressen",
        },
        lambda p: [str(p["partij"].uuid)],
    ),
    "klantcontacten of a partij": (
        "klantcontacten",
        lambda p: {"hadBetrokkene__wasPartij__uuid": str(p["partij"].uuid)},
        lambda p: sorted(str(kc.uuid) for kc in p["kc"]),
    ),
    "history by bsn": (
        "klantcontacten",
        lambda p: {
            "pageSize": 20,
            "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId": "bsn",
            "hadBetrokkene__wasPartij__partijIdentificator__objectId": p["bsn"],
        },
        lambda p: sorted(str(kc.uuid) for kc in p["kc"]),
    ),
    "work list of an actor": (
        "internetaken",
        lambda p: {"toegewezenAanActor__uuid": str(p["actor"].uuid)},
        lambda p: sorted(
            str(t.internetaak.uuid) for t in InterneTaakToewijzing.objects.filter(actor=p["actor"])
        ),
    ),
    "by kanaal": (
        "klantcontacten",
        lambda p: {"kanaal": p["kc"][0].kanaal},
        lambda p: sorted(str(kc.uuid) for kc in p["kc"]),
    ),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_one_shape_two_values(api_client, settings, data, name):
    path, params, expected = SHAPES[name]
    first = on_both_paths(api_client, settings, path, params(data[0]))
    assert len(compiled_shapes()) == 1, "the shape's statement is compiled"
    with mock.patch.object(keystatements, "_compile", side_effect=AssertionError("recompiled")):
        second = on_both_paths(api_client, settings, path, params(data[1]))
        again = on_both_paths(api_client, settings, path, params(data[0]))
    assert sorted(uuids(first)) == expected(data[0])
    assert sorted(uuids(second)) == expected(data[1])
    assert uuids(again) == uuids(first)
    assert set(uuids(first)).isdisjoint(uuids(second))


def test_the_reused_statement_builds_no_orm_query(api_client, settings, data):
    path, params, _ = SHAPES["partij by bsn"]
    api_client.get(API + path, params(data[0]))
    with mock.patch(
        "django.db.models.sql.compiler.SQLCompiler.as_sql", side_effect=AssertionError("ORM")
    ):
        response = api_client.get(API + path, params(data[1]))
    assert uuids(response) == [str(data[1]["partij"].uuid)]


def test_an_unknown_value_finds_nothing(api_client, settings, data):
    path, params, _ = SHAPES["partij by bsn"]
    api_client.get(API + path, params(data[0]))
    body = on_both_paths(api_client, settings, path, params({"bsn": "999999999"})).json()
    assert body["count"] == 0 and body["results"] == []


def test_booleans_are_part_of_the_shape(api_client, settings, data):
    active = on_both_paths(api_client, settings, "partijen", {"indicatieActief": "true"})
    inactive = on_both_paths(api_client, settings, "partijen", {"indicatieActief": "false"})
    assert uuids(active) == [str(data[1]["partij"].uuid)]
    assert uuids(inactive) == [str(data[0]["partij"].uuid)]
    assert len(compiled_shapes()) == 2


@pytest.mark.parametrize(
    ("params", "person"),
    [
        # icontains binds `%value%`: a transformed value, not cached
        ({"onderwerp": "afval"}, None),
        # a url is parsed into its uuid: not cached
        ({"hadBetrokkene__wasPartij__url": "{url}"}, 0),
        # true/false/uuid branch on the value: not cached
        ({"leiddeTotInterneTaken": "true"}, 0),
    ],
)
def test_value_shaped_filters_are_not_cached(api_client, settings, data, params, person):
    for p in data:
        url = f"http://testserver{API}partijen/{p['partij'].uuid}"
        values = {k: v.format(url=url) for k, v in params.items()}
        response = on_both_paths(api_client, settings, "klantcontacten", values)
        if person is not None and p is data[person]:
            assert str(p["kc"][0].uuid) in uuids(response)
    assert compiled_shapes() == []


def test_full_first_page_count_and_other_pages(api_client, settings, data):
    params = {"hadBetrokkene__wasPartij__uuid": str(data[0]["partij"].uuid), "pageSize": 2}
    first = on_both_paths(api_client, settings, "klantcontacten", params).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    other = {**params, "hadBetrokkene__wasPartij__uuid": str(data[1]["partij"].uuid)}
    with mock.patch(
        "django.db.models.sql.compiler.SQLCompiler.as_sql", side_effect=AssertionError("ORM")
    ):
        reused = api_client.get(API + "klantcontacten", other).json()
    assert reused["count"] == 2 and len(reused["results"]) == 2 and reused["next"] is None
    second = on_both_paths(api_client, settings, "klantcontacten", {**params, "page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["uuid"] for r in first["results"]}.isdisjoint(r["uuid"] for r in second["results"])


def test_invalid_values_are_the_same_400(api_client, settings, data):
    response = on_both_paths(
        api_client, settings, "klantcontacten", {"hadBetrokkene__wasPartij__uuid": "x"}
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "hadBetrokkene__wasPartij__uuid"


def test_query_count_of_a_reused_shape(api_client, settings, data):
    path, params, _ = SHAPES["history by bsn"]
    api_client.get(API + path, params(data[0]))
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(API + path, params(data[1]))
    # one statement selects the keys and renders their page
    [query] = without_log(queries.captured_queries)
    assert "ARRAY(" in query["sql"] and "json_agg" in query["sql"]
    assert sorted(uuids(response)) == sorted(str(kc.uuid) for kc in data[1]["kc"])


def plan_nodes(node):
    # Not the processing log's record of the read, which the statement also writes (its
    # subject query reads the keys from the materialized key CTE, not by running it again).
    if node.get("Subplan Name", "").startswith(("CTE handeling", "CTE logboek_records")):
        return
    yield node
    for child in node.get("Plans", ()):
        yield from plan_nodes(child)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_the_key_query_runs_once_in_its_statement(api_client, data, name):
    # The page and the returned keys both read the keys; PostgreSQL must not copy the key
    # query into each of them. The page aliases its tables t1, t2, ...; the key query's
    # tables keep their names, and a copy of a subquery gets its aliases suffixed _1, _2.
    path, params, _ = SHAPES[name]
    api_client.get(API + path, params(data[0]))
    with CaptureQueriesContext(connection) as queries:
        api_client.get(API + path, params(data[1]))
    [query] = without_log(queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
        [[plan]] = cursor.fetchone()
    scans = Counter(
        node["Relation Name"]
        for node in plan_nodes(plan["Plan"])
        if "Relation Name" in node
        and node.get("Actual Loops", 0) > 0
        and re.sub(r"_\d+$", "", node["Alias"]) == node["Relation Name"]
    )
    assert scans and set(scans.values()) == {1}, scans


def build_with(transform):
    def build(values):
        return keys_of(Klantcontact.objects.filter(**transform(values["kanaal"])).order_by("-id"))

    return build


def test_a_query_that_branches_on_its_value_is_not_cached(data):
    def branching(value):
        return {"kanaal": value} if value.startswith("tele") else {"onderwerp": value}

    assert keystatements._compile({"kanaal": "telefoon"}, build_with(branching), 10) is None


def test_a_transformed_value_is_not_cached(data):
    for transform in (str.strip, str.lower, str.upper):
        build = build_with(lambda value, t=transform: {"kanaal": t(value)})
        assert keystatements._compile({"kanaal": "telefoon"}, build, 10) is None


def test_a_plain_value_is_bound(data):
    statement = keystatements._compile(
        {"kanaal": "telefoon"}, build_with(lambda v: {"kanaal": v}), 10
    )
    assert statement is not None
    assert statement.page.params == statement.count.params == (keystatements.Slot("kanaal"),)
    expected = Klantcontact.objects.filter(kanaal="email").order_by("-id")
    keys = statement.keys(connection, {"kanaal": "email"})
    assert keys == list(expected.values_list("pk", flat=True)[:10])
    assert statement.total(connection, {"kanaal": "email"}) == expected.count() == 2


def test_unsupported_values_have_no_shape():
    assert keystatements.shape_of({"a": ["x"]}, {"a"}) is None
    assert keystatements.shape_of({"d": "x"}, set()) is None  # not known to pass its value
    assert keystatements.shape_of({"a": True, "b": "", "c": None, "d": "x"}, {"d"}) == (
        ("a", "=", True),
        ("b", "=", ""),
        ("c", "=", None),
        ("d", "str"),
    )


def test_only_filters_that_pass_their_value_are_bound():
    filterset = KlantcontactFilterSet(queryset=Klantcontact.objects.all())
    names = value_parameters(filterset)
    # stock filters, and the grouped filters the filter set applies itself
    assert {"kanaal", "nummer", "hadBetrokkene__wasPartij__uuid"} <= names
    # a method that branches on its value, a filter that parses a url
    assert not {"leiddeTotInterneTaken", "hadBetrokkene__wasPartij__url"} & names
    partijen = value_parameters(PartijFilterSet(queryset=Partij.objects.all()))
    assert {"soortPartij", "partijIdentificator__objectId", "vertegenwoordigdePartij__uuid"} <= (
        partijen
    )
    assert "vertegenwoordigdePartij__url" not in partijen


def test_counts_carry_no_ordering(api_client, data):
    api_client.get(API + "internetaken", {"toegewezenAanActor__uuid": str(data[0]["actor"].uuid)})
    [statement] = [s for s in keystatements._statements.values() if s is not None]
    assert "ORDER BY" in statement.page.sql
    assert "ORDER BY" not in statement.count.sql  # nor the model's default ordering


def test_deep_pages_keep_the_keyset_shortcut(api_client, settings, data, monkeypatch):
    monkeypatch.setattr(pagination, "KEYSET_FROM_OFFSET", 2)
    for _ in range(4):
        make_partij()
    params = {"pageSize": 2, "page": 3}
    api_client.get(API + "partijen", {"pageSize": 2})  # the shape's statements
    with CaptureQueriesContext(connection) as queries:
        api_client.get(API + "partijen", params)
    # the page is read from the key at its offset, not through OFFSET
    assert any('"id" <=' in q["sql"] for q in queries.captured_queries)
    assert len(on_both_paths(api_client, settings, "partijen", params).json()["results"]) == 2


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    "name, prepared",
    [
        ("partij by bsn", True),
        ("klantcontacten of a partij", True),
        ("history by bsn", True),
        ("by kanaal", False),
    ],
)
def test_only_shapes_with_a_selective_filter_are_prepared(api_client, data, name, prepared):
    # A shape of only value-dependent filters (kanaal, a soort, a code) is planned for each
    # request's values: a generic plan for a rare kanaal walks the whole list to find it.
    path, params, expected = SHAPES[name]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection.connection._prepared.clear()

    for person in data:
        assert sorted(uuids(api_client.get(API + path, params(person)))) == expected(person)

    assert compiled_shapes()
    keys_prepared = [s for s in prepared_statements() if "ARRAY(SELECT" in s]
    assert bool(keys_prepared) is prepared


def test_selective_names():
    assert keystatements.selective(["hadBetrokkene__wasPartij__uuid"])
    assert keystatements.selective(["partijIdentificator__objectId", "soortPartij"])
    assert keystatements.selective(["bijlageidentificatorObjectId"])
    assert not keystatements.selective(["kanaal", "partijIdentificator__codeSoortObjectId"])
    assert not keystatements.selective([])


def test_a_shape_without_values_is_prepared(api_client, data):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection.connection._prepared.clear()

    for params in ({}, {"vertrouwelijk": "false"}):
        assert api_client.get(API + "klantcontacten", params).status_code == 200

    keys_prepared = [s for s in prepared_statements() if "ARRAY(SELECT" in s]
    assert len(keys_prepared) == 2
