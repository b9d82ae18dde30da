"""Every filter of /internetaken narrows the list; the work list has a fixed query count."""

import pytest

from taken.models import InterneTaak
from tests.conftest import LOG_STATEMENTS, LOG_STATEMENTS_SQL

from .factories import API, make_internetaak, make_klantcontact, make_medewerker, make_team

pytestmark = pytest.mark.django_db

URL = f"{API}/internetaken"


@pytest.fixture
def taken():
    jan = make_medewerker(naam="Jan")
    team = make_team(naam="Team vergunningen")
    klantcontact = make_klantcontact(nummer="0000000777", referentienummer="REF-KC")
    # Jan is the second actor here: the work list shows any assignment, not only the first.
    wanted = make_internetaak(
        team,
        jan,
        klantcontact=klantcontact,
        nummer="0000000123",
        referentienummer="REF-1",
        status="verwerkt",
    )
    other = make_internetaak(make_medewerker(naam="Piet"), nummer="0000000124")
    return {"wanted": wanted, "other": other, "jan": jan, "klantcontact": klantcontact}


def uuids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [t["uuid"] for t in response.json()["results"]]


@pytest.mark.parametrize(
    "param, value",
    [
        ("toegewezenAanActor__uuid", lambda d: d["jan"].uuid),
        ("toegewezenAanActor__url", lambda d: f"http://testserver{API}/actoren/{d['jan'].uuid}"),
        ("actoren__naam", lambda d: "Jan"),
        ("status", lambda d: "verwerkt"),
        ("klantcontact__nummer", lambda d: "0000000777"),
        ("klantcontact__referentienummer", lambda d: "REF-KC"),
        ("klantcontact__uuid", lambda d: d["klantcontact"].uuid),
        ("aanleidinggevendKlantcontact__uuid", lambda d: d["klantcontact"].uuid),
        (
            "aanleidinggevendKlantcontact__url",
            lambda d: f"http://testserver{API}/klantcontacten/{d['klantcontact'].uuid}",
        ),
        ("nummer", lambda d: "0000000123"),
        ("referentienummer", lambda d: "REF-1"),
    ],
)
def test_each_filter_narrows(api_client, taken, param, value):
    response = api_client.get(URL, {param: str(value(taken))})

    assert uuids(response) == [str(taken["wanted"].uuid)]


def test_toegewezen_op_filter(api_client, taken):
    InterneTaak.objects.filter(pk=taken["other"].pk).update(
        toegewezen_op="2024-01-01T09:00:00+00:00"
    )

    response = api_client.get(URL, {"toegewezenOp": "2024-01-01T09:00:00Z"})

    assert uuids(response) == [str(taken["other"].uuid)]


def test_toegewezen_op_with_any_utc_offset_is_compared_in_utc(api_client, taken):
    InterneTaak.objects.filter(pk=taken["other"].pk).update(
        toegewezen_op="2024-01-01T09:00:00+00:00"
    )

    # Valid ISO 8601, but beyond the offsets PostgreSQL accepts.
    response = api_client.get(URL, {"toegewezenOp": "2023-12-31T09:33:00-23:27"})

    assert uuids(response) == [str(taken["other"].uuid)]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_toegewezen_op_out_of_range_after_offset_is_400(api_client, value):
    response = api_client.get(URL, {"toegewezenOp": value})

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "toegewezenOp"


def test_actoren_naam_does_not_duplicate(api_client):
    make_internetaak(make_medewerker(naam="Sam"), make_team(naam="Sam"))

    assert len(uuids(api_client.get(URL, {"actoren__naam": "Sam"}))) == 1


def test_url_filter_with_garbage_returns_nothing(api_client, taken):
    assert uuids(api_client.get(URL, {"toegewezenAanActor__url": "http://x/actoren/nope"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"toegewezenAanActor__uuid": "nope"},
        {"status": "klaar"},
        {"toegewezenOp": "gisteren"},
        {"toegewezenAanActor": "x"},
    ],
)
def test_bad_filter_values_are_400(api_client, params):
    assert api_client.get(URL, params).status_code == 400


def test_list_is_newest_first(api_client, taken):
    assert uuids(api_client.get(URL)) == [str(taken["other"].uuid), str(taken["wanted"].uuid)]


@pytest.mark.parametrize(("sql_json", "queries"), [(True, 1), (False, 4)])
def test_work_list_query_count_does_not_grow(
    api_client, django_assert_num_queries, settings, sql_json, queries
):
    # SQL-rendered page: one statement selects the keys and renders them; serializer path:
    # rows + prefetches.
    settings.SQL_JSON_LISTS = sql_json
    medewerker = make_medewerker()
    make_internetaak(medewerker, make_team())
    params = {"toegewezenAanActor__uuid": str(medewerker.uuid)}

    api_client.get(URL, params)  # warm up auth caches
    # And the processing log's statements.
    with django_assert_num_queries(
        queries + (LOG_STATEMENTS_SQL if sql_json else LOG_STATEMENTS)
    ) as one:
        assert len(api_client.get(URL, params).json()["results"]) == 1

    for _ in range(29):
        make_internetaak(medewerker, make_team(), make_medewerker())
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api_client.get(URL, params).json()["results"]) == 30
