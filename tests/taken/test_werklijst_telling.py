"""The counts per actor and status (ActorTakenTelling) follow every change of the work lists,
and a full first page of a work list reads its count from them."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from klantcontacten.models import Klantcontact
from taken.models import ActorTakenTelling, InterneTaak, InterneTaakToewijzing
from tests.conftest import without_log

from .factories import make_internetaak, make_klantcontact, make_medewerker, make_team

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/internetaken"


def tellingen() -> dict:
    return {(t.actor_id, t.status): t.aantal for t in ActorTakenTelling.objects.exclude(aantal=0)}


def werkelijk() -> dict:
    rows = (
        InterneTaakToewijzing.objects.values("actor_id", "internetaak__status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["actor_id"], row["internetaak__status"]): row["n"] for row in rows}


def test_counts_follow_creates_updates_and_deletes(api_client):
    sanne, piet, team = make_medewerker(), make_medewerker(), make_team()
    klantcontact = make_klantcontact()

    def create(*actoren, status="te_verwerken"):
        response = api_client.post(
            URL,
            {
                "aanleidinggevendKlantcontact": {"uuid": str(klantcontact.uuid)},
                "toegewezenAanActoren": [{"uuid": str(a.uuid)} for a in actoren],
                "gevraagdeHandeling": "Bel terug",
                "status": status,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        return response.json()["url"]

    eerste = create(sanne, team)
    tweede = create(piet)
    create(sanne, status="verwerkt")
    assert (
        tellingen()
        == werkelijk()
        == {
            (sanne.id, "te_verwerken"): 1,
            (team.id, "te_verwerken"): 1,
            (piet.id, "te_verwerken"): 1,
            (sanne.id, "verwerkt"): 1,
        }
    )

    steps = [
        lambda: api_client.patch(eerste, {"status": "verwerkt"}, format="json"),
        lambda: api_client.patch(
            tweede, {"toegewezenAanActoren": [{"uuid": str(team.uuid)}]}, format="json"
        ),
        lambda: api_client.patch(
            eerste,
            {"toegewezenAanActoren": [{"uuid": str(piet.uuid)}, {"uuid": str(sanne.uuid)}]},
            format="json",
        ),
        lambda: api_client.patch(eerste, {"status": "te_verwerken"}, format="json"),
        lambda: api_client.delete(tweede),
    ]
    for step in steps:
        assert step().status_code in (200, 204)
        assert tellingen() == werkelijk()

    # Writes outside the API: a bulk status change, moving a toewijzing, cascades.
    InterneTaak.objects.update(status="verwerkt")
    assert tellingen() == werkelijk()
    InterneTaakToewijzing.objects.filter(actor=piet).update(actor=team)
    assert tellingen() == werkelijk()
    make_internetaak(sanne, piet, klantcontact=make_klantcontact())
    Klantcontact.objects.filter(pk=klantcontact.pk).delete()
    assert tellingen() == werkelijk()
    InterneTaak.objects.all().delete()
    assert tellingen() == werkelijk() == {}
    # An actor without work can be deleted, its (zero) counts with it.
    sanne.delete()
    assert not ActorTakenTelling.objects.filter(actor_id=sanne.id).exists()


def statements(api_client, params) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = api_client.get(URL, params)
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in without_log(context.captured_queries)]


@pytest.mark.parametrize("status", [None, "te_verwerken", "verwerkt"])
def test_full_first_page_reads_the_count(api_client, status):
    sanne = make_medewerker()
    for i in range(5):
        make_internetaak(sanne, status="verwerkt" if i % 2 else "te_verwerken")
    params = {"toegewezenAanActor__uuid": str(sanne.uuid), "pageSize": 1}
    if status:
        params["status"] = status
    expected = InterneTaak.objects.filter(
        actoren=sanne, **({"status": status} if status else {})
    ).count()

    api_client.get(URL, params)  # the shape's statements are compiled on first use
    data, sqls = statements(api_client, params)

    assert data["count"] == expected
    assert len(data["results"]) == 1
    # Keys, page and count in one statement.
    assert len(sqls) == 1
    assert "taken_actortakentelling" in sqls[0]
    assert "COUNT(" not in sqls[0].upper()


def test_unknown_actor_counts_nothing(api_client):
    make_internetaak(make_medewerker())
    params = {"toegewezenAanActor__uuid": "00000000-0000-0000-0000-000000000000", "pageSize": 1}

    api_client.get(URL, params)
    data, _ = statements(api_client, params)

    assert data["count"] == 0
    assert data["results"] == []


def test_total_queryset_is_built_only_to_compile(api_client, monkeypatch):
    from taken.views import InterneTaakViewSet

    sanne = make_medewerker()
    for _ in range(3):
        make_internetaak(sanne)
    params = {"toegewezenAanActor__uuid": str(sanne.uuid), "pageSize": 2}
    assert api_client.get(URL, params).json()["count"] == 3

    def refuse(self, filters):
        raise AssertionError("built again for a compiled shape")

    monkeypatch.setattr(InterneTaakViewSet, "get_total_queryset", refuse)
    other = make_medewerker()
    make_internetaak(other)

    assert api_client.get(URL, params).json()["count"] == 3
    assert (
        api_client.get(URL, {**params, "toegewezenAanActor__uuid": str(other.uuid)}).json()["count"]
        == 1
    )


def vertrouwelijke_tellingen() -> dict:
    return {
        (t.actor_id, t.status): t.aantal_vertrouwelijk
        for t in ActorTakenTelling.objects.exclude(aantal_vertrouwelijk=0)
    }


def vertrouwelijk_werkelijk() -> dict:
    rows = (
        InterneTaakToewijzing.objects.filter(internetaak__klantcontact__vertrouwelijk=True)
        .values("actor_id", "internetaak__status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["actor_id"], row["internetaak__status"]): row["n"] for row in rows}


def test_the_counts_of_confidential_taken_follow_every_change():
    actor, ander = make_medewerker(), make_medewerker()
    geheim = make_klantcontact(vertrouwelijk=True)
    open_ = make_klantcontact()
    taak = make_internetaak(actor, klantcontact=geheim)
    make_internetaak(actor, ander, klantcontact=geheim, status="verwerkt")
    make_internetaak(actor, klantcontact=open_)

    def check():
        assert vertrouwelijke_tellingen() == vertrouwelijk_werkelijk()
        assert tellingen() == werkelijk()
        flags = {w.pk: w.vertrouwelijk for w in InterneTaakToewijzing.objects.all()}
        expected = {
            w.pk: w.internetaak.klantcontact.vertrouwelijk
            for w in InterneTaakToewijzing.objects.select_related("internetaak__klantcontact")
        }
        assert flags == expected

    check()
    Klantcontact.objects.filter(pk=open_.pk).update(vertrouwelijk=True)
    check()
    Klantcontact.objects.filter(pk=geheim.pk).update(vertrouwelijk=False)
    check()
    InterneTaak.objects.filter(pk=taak.pk).update(klantcontact=open_)
    check()
    InterneTaak.objects.filter(pk=taak.pk).update(status="verwerkt")
    check()
    InterneTaakToewijzing.objects.filter(internetaak=taak).update(actor=ander)
    check()
    Klantcontact.objects.filter(pk=open_.pk).delete()
    check()
    assert vertrouwelijke_tellingen() == {}
