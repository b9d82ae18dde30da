"""A work list in one request: `expand` of interne taken (their actoren and the klantcontact
that led to them, with its betrokkenen), and `ordering` by toegewezenOp read from the work
list's index in either direction."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taken.models import InterneTaak
from tests.klantcontacten.factories import make_betrokkene, make_partij
from tests.taken.factories import make_internetaak, make_klantcontact, make_medewerker, make_team

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/internetaken"
EXPAND = "aanleidinggevendKlantcontact.hadBetrokkenen,toegewezenAanActoren"
T0 = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


def taak_met_alles(medewerker):
    klantcontact = make_klantcontact()
    betrokkene = make_betrokkene(klantcontact, partij=make_partij(), contactnaam_voornaam="Ans")
    team = make_team()
    return make_internetaak(medewerker, team, klantcontact=klantcontact), team, betrokkene


def test_expand_gives_the_actoren_in_assignment_order_and_the_klantcontact(
    api_client, both_renderings
):
    medewerker = make_medewerker(naam="Sanne")
    taak, team, betrokkene = taak_met_alles(medewerker)
    for url in (URL, f"{URL}/{taak.uuid}"):
        body = api_client.get(url, {"expand": EXPAND}).json()
        item = body["results"][0] if "results" in body else body
        actoren = item["_expand"]["toegewezenAanActoren"]
        # The same actoren, in the same order, as the reference list beside them.
        assert [a["uuid"] for a in actoren] == [a["uuid"] for a in item["toegewezenAanActoren"]]
        assert [a["naam"] for a in actoren] == ["Sanne", team.naam]
        assert {"soortActor", "actorIdentificatie"} <= set(actoren[0])
        klantcontact = item["_expand"]["aanleidinggevendKlantcontact"]
        assert klantcontact["uuid"] == item["aanleidinggevendKlantcontact"]["uuid"]
        [expanded] = klantcontact["_expand"]["hadBetrokkenen"]
        assert expanded["uuid"] == str(betrokkene.uuid)
        assert expanded["contactnaam"]["voornaam"] == "Ans"


def test_without_expand_nothing_changes(api_client, both_renderings):
    taak_met_alles(make_medewerker())
    item = api_client.get(URL).json()["results"][0]
    assert "_expand" not in item


def test_an_unknown_expand_is_400(api_client):
    response = api_client.get(URL, {"expand": "toegewezenAanActor"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "expand"


@pytest.mark.parametrize("params", [{}, {"toegewezenAanActor__uuid": None}])
def test_query_count_does_not_grow_with_rows(
    api_client, both_renderings, django_assert_num_queries, params
):
    medewerker = make_medewerker()
    taak_met_alles(medewerker)
    if "toegewezenAanActor__uuid" in params:
        params = {"toegewezenAanActor__uuid": str(medewerker.uuid)}
    params = {**params, "expand": EXPAND}
    api_client.get(URL, params)  # warm up auth caches
    with CaptureQueriesContext(connection) as one:
        assert len(api_client.get(URL, params).json()["results"]) == 1
    for _ in range(29):
        taak_met_alles(medewerker)
    with django_assert_num_queries(len(one.captured_queries)):
        body = api_client.get(URL, params).json()
    assert len(body["results"]) == 30
    assert all(len(r["_expand"]["toegewezenAanActoren"]) == 2 for r in body["results"])


@pytest.fixture
def werk():
    sanne, team = make_medewerker(), make_team()
    for i in range(7):
        taak = make_internetaak(*([sanne, team] if i % 2 else [sanne]))
        # Ties (the key decides) and an order unlike the creation order.
        InterneTaak.objects.filter(pk=taak.pk).update(
            toegewezen_op=T0 + datetime.timedelta(minutes=(i * 5) % 3)
        )
    return sanne


@pytest.mark.parametrize("ordering", ["toegewezenOp", "-toegewezenOp"])
@pytest.mark.parametrize("page_size", [3, 100])
def test_work_list_in_either_order_from_its_index(api_client, settings, werk, ordering, page_size):
    params = {"toegewezenAanActor__uuid": str(werk.uuid), "ordering": ordering}
    column = ordering.replace("toegewezenOp", "toegewezen_op")
    tie = "-pk" if ordering.startswith("-") else "pk"
    expected = [
        str(u)
        for u in InterneTaak.objects.filter(actoren=werk)
        .order_by(column, tie)
        .values_list("uuid", flat=True)
    ]
    for sql_json in (True, False):
        settings.SQL_JSON_LISTS = sql_json
        seen, page = [], 1
        while True:
            with CaptureQueriesContext(connection) as queries:
                body = api_client.get(URL, {**params, "pageSize": page_size, "page": page}).json()
            seen += [r["uuid"] for r in body["results"]]
            assert body["count"] == len(expected)
            if sql_json:
                # The keys from the actor's toewijzingen (toewijzing_werklijst_idx), in the
                # requested direction.
                direction = "DESC" if ordering.startswith("-") else "ASC"
                order = f'ORDER BY "taken_internetaaktoewijzing"."toegewezen_op" {direction}'
                assert any(order in q["sql"] for q in queries.captured_queries)
            if body["next"] is None:
                break
            page += 1
        assert seen == expected


def test_another_order_of_a_work_list_is_the_join(api_client, settings, werk):
    params = {"toegewezenAanActor__uuid": str(werk.uuid), "ordering": "-status,nummer"}
    expected = [
        str(u)
        for u in InterneTaak.objects.filter(actoren=werk)
        .order_by("-status", "nummer", "pk")
        .values_list("uuid", flat=True)
    ]
    for sql_json in (True, False):
        settings.SQL_JSON_LISTS = sql_json
        assert [r["uuid"] for r in api_client.get(URL, params).json()["results"]] == expected
