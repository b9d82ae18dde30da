"""/actorklantcontacten: which actoren took part in a klantcontact."""

import pytest

from taken.models import ActorKlantcontact
from tests.conftest import LOG_STATEMENTS, LOG_STATEMENTS_SQL

from .factories import (
    API,
    make_actorklantcontact,
    make_klantcontact,
    make_medewerker,
    spec_errors,
)

pytestmark = pytest.mark.django_db

URL = f"{API}/actorklantcontacten"


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def body(actor, klantcontact) -> dict:
    return {"actor": {"uuid": str(actor.uuid)}, "klantcontact": {"uuid": str(klantcontact.uuid)}}


def test_crud(api_client):
    actor, klantcontact = make_medewerker(), make_klantcontact()

    created = api_client.post(URL, body(actor, klantcontact), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["actor"] == {
        "uuid": str(actor.uuid),
        "url": f"http://testserver{API}/actoren/{actor.uuid}",
    }
    assert spec_errors("ActorKlantcontact", data) == []
    assert api_client.get(data["url"]).json() == data

    other = make_medewerker()
    put = api_client.put(data["url"], body(other, klantcontact), format="json")
    assert put.status_code == 200
    assert put.json()["actor"]["uuid"] == str(other.uuid)

    patch = api_client.patch(
        data["url"], {"klantcontact": {"uuid": str(make_klantcontact().uuid)}}, format="json"
    )
    assert patch.status_code == 200
    assert patch.json()["klantcontact"]["uuid"] != str(klantcontact.uuid)

    assert api_client.delete(data["url"]).status_code == 204
    assert not ActorKlantcontact.objects.exists()


def test_same_actor_twice_on_one_klantcontact_is_400(api_client):
    link = make_actorklantcontact()

    response = api_client.post(URL, body(link.actor, link.klantcontact), format="json")

    assert response.status_code == 400
    assert {p["code"] for p in response.json()["invalidParams"]} == {"unique"}


def test_inactive_actor_can_join_new_klantcontact(api_client):
    # As in the reference: the history of another system is imported with its old actoren.
    inactief = make_medewerker(indicatie_actief=False)
    link = make_actorklantcontact()
    klantcontact = make_klantcontact()

    response = api_client.post(URL, body(inactief, klantcontact), format="json")
    patch = api_client.patch(
        f"{URL}/{link.uuid}", {"actor": {"uuid": str(inactief.uuid)}}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["actor"]["uuid"] == str(inactief.uuid)
    assert ActorKlantcontact.objects.filter(actor=inactief, klantcontact=klantcontact).exists()
    assert patch.status_code == 200, patch.json()
    link.refresh_from_db()
    assert link.actor == inactief


@pytest.mark.parametrize("field", ["actor", "klantcontact"])
@pytest.mark.parametrize("reference", [{}, {"uuid": "00000000-0000-0000-0000-000000000000"}])
def test_bad_references_are_400(api_client, field, reference):
    data = body(make_medewerker(), make_klantcontact())
    data[field] = reference

    response = api_client.post(URL, data, format="json")

    assert response.status_code == 400
    assert names(response) == {field}


@pytest.mark.parametrize(
    "param, value",
    [
        ("actor__uuid", lambda link: link.actor.uuid),
        ("actor__url", lambda link: f"http://testserver{API}/actoren/{link.actor.uuid}"),
        ("klantcontact__uuid", lambda link: link.klantcontact.uuid),
        (
            "klantcontact__url",
            lambda link: f"http://testserver{API}/klantcontacten/{link.klantcontact.uuid}",
        ),
    ],
)
def test_each_filter_narrows(api_client, param, value):
    wanted = make_actorklantcontact()
    make_actorklantcontact()

    response = api_client.get(URL, {param: str(value(wanted))})

    assert response.status_code == 200
    assert [r["uuid"] for r in response.json()["results"]] == [str(wanted.uuid)]


@pytest.mark.parametrize(("sql_json", "queries"), [(True, 1), (False, 3)])
def test_list_query_count_does_not_grow(
    api_client, django_assert_num_queries, settings, sql_json, queries
):
    # SQL-rendered page: one statement selects the keys and renders them; serializer path:
    # rows + prefetches.
    settings.SQL_JSON_LISTS = sql_json
    make_actorklantcontact()
    api_client.get(URL)
    # And the processing log's statements.
    with django_assert_num_queries(
        queries + (LOG_STATEMENTS_SQL if sql_json else LOG_STATEMENTS)
    ) as one:
        api_client.get(URL)
    for _ in range(20):
        make_actorklantcontact()
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api_client.get(URL).json()["results"]) == 21
