"""An actor's work list (`toegewezenAanActor__uuid`, optionally `status`) read from the
toewijzingen index gives the list's own keys, order and count; the copy of toegewezenOp on
each toewijzing follows the taak."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taken.models import InterneTaak, InterneTaakToewijzing
from tests.taken.factories import make_internetaak, make_medewerker, make_team

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/internetaken"
T0 = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def werk():
    sanne, piet, team = make_medewerker(), make_medewerker(), make_team()
    taken = []
    for i in range(7):
        actoren = [(sanne,), (piet, sanne), (team,), (sanne, team)][i % 4]
        taak = make_internetaak(*actoren, status="verwerkt" if i % 3 == 0 else "te_verwerken")
        taken.append(taak)
    # Equal toegewezenOp for some (the key decides), and out of creation order for others.
    for i, taak in enumerate(taken):
        InterneTaak.objects.filter(pk=taak.pk).update(
            toegewezen_op=T0 + datetime.timedelta(minutes=(i * 7) % 3)
        )
    return {"sanne": sanne, "piet": piet, "team": team}


def both(client, settings, params):
    settings.SQL_JSON_LISTS = True
    fast = client.get(URL, params)
    settings.SQL_JSON_LISTS = False
    slow = client.get(URL, params)
    assert fast.status_code == slow.status_code == 200
    return fast.json(), slow.json()


@pytest.mark.parametrize("status", [None, "te_verwerken", "verwerkt", ""])
@pytest.mark.parametrize("page_size", [2, 100])
@pytest.mark.parametrize("who", ["sanne", "piet", "team"])
def test_work_list_equals_the_join(api_client, settings, werk, who, status, page_size):
    params = {"toegewezenAanActor__uuid": str(werk[who].uuid), "pageSize": page_size}
    if status is not None:
        params["status"] = status
    pages = []
    for page in (1, 2):
        params["page"] = page
        fast, slow = both(api_client, settings, params)
        assert fast == slow
        pages.append(fast)
        if fast["next"] is None:
            break
    assert (
        pages[0]["count"]
        == InterneTaak.objects.filter(
            actoren=werk[who], **({"status": status} if status else {})
        ).count()
    )


@pytest.mark.parametrize(
    "params",
    [{"toegewezenAanActor__uuid": ""}, {"toegewezenAanActor__uuid": "", "status": "verwerkt"}],
)
def test_empty_actor_is_no_filter(api_client, settings, werk, params):
    fast, slow = both(api_client, settings, params)
    assert fast == slow
    assert (
        fast["count"]
        == InterneTaak.objects.filter(
            **({"status": params["status"]} if "status" in params else {})
        ).count()
    )


def test_unknown_actor_is_an_empty_list(api_client, settings, werk):
    fast, slow = both(
        api_client, settings, {"toegewezenAanActor__uuid": "00000000-0000-0000-0000-000000000000"}
    )
    assert fast == slow
    assert fast["count"] == 0


def test_toewijzingen_keep_the_taaks_toegewezen_op(werk):
    taak = InterneTaak.objects.filter(actoren=werk["sanne"]).first()
    InterneTaak.objects.filter(pk=taak.pk).update(toegewezen_op=T0 - datetime.timedelta(days=3))
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=make_team())
    copies = set(
        InterneTaakToewijzing.objects.filter(internetaak=taak).values_list(
            "toegewezen_op", flat=True
        )
    )
    assert copies == {T0 - datetime.timedelta(days=3)}
    assert not InterneTaakToewijzing.objects.filter(toegewezen_op__isnull=True).exists()


@pytest.mark.parametrize("status", [None, "verwerkt"])
def test_work_list_by_actor_url_is_the_same_and_read_from_the_index(
    api_client, settings, werk, status
):
    actor = werk["sanne"]
    url = f"http://testserver/klantinteracties/api/v1/actoren/{actor.uuid}"
    extra = {"status": status} if status else {}
    by_uuid, _ = both(api_client, settings, {"toegewezenAanActor__uuid": str(actor.uuid), **extra})

    settings.SQL_JSON_LISTS = True
    with CaptureQueriesContext(connection) as queries:
        by_url = api_client.get(URL, {"toegewezenAanActor__url": url, **extra}).json()

    assert by_url == by_uuid
    assert by_url["count"] == InterneTaak.objects.filter(actoren=actor, **extra).count() > 0
    # The keys from the actor's toewijzingen (toewijzing_werklijst_idx), not from the taken.
    keys = queries.captured_queries[0]["sql"]
    assert keys.startswith('SELECT "taken_internetaaktoewijzing"."internetaak_id"')
    if status is None:
        assert 'taken_internetaak"' not in keys.split("WHERE")[0]
    nergens = api_client.get(URL, {"toegewezenAanActor__url": "http://testserver/elders"})
    assert nergens.json()["count"] == 0
