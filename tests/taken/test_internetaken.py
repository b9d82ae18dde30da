"""/internetaken: CRUD, nummer, assignment to actoren and the status/afgehandeldOp rules."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from taken.models import InterneTaak

from .factories import (
    API,
    make_internetaak,
    make_klantcontact,
    make_medewerker,
    make_team,
    spec_errors,
)

pytestmark = pytest.mark.django_db

URL = f"{API}/internetaken"


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def body(*actoren, klantcontact=None, **extra) -> dict:
    data = {
        "aanleidinggevendKlantcontact": {"uuid": str((klantcontact or make_klantcontact()).uuid)},
        "toegewezenAanActoren": [{"uuid": str(a.uuid)} for a in actoren],
        "gevraagdeHandeling": "Bel de burger terug",
        "toelichting": "Over de parkeervergunning",
        "status": "te_verwerken",
    }
    data.update(extra)
    return data


def actor_uuids(data, field="toegewezenAanActoren") -> list[str]:
    return [a["uuid"] for a in data[field]]


def test_create_and_retrieve(api_client):
    medewerker = make_medewerker()
    klantcontact = make_klantcontact()

    response = api_client.post(URL, body(medewerker, klantcontact=klantcontact), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["nummer"].isdigit() and len(data["nummer"]) == 10
    assert data["aanleidinggevendKlantcontact"] == {
        "uuid": str(klantcontact.uuid),
        "url": f"http://testserver{API}/klantcontacten/{klantcontact.uuid}",
    }
    assert data["toegewezenAanActor"]["uuid"] == str(medewerker.uuid)
    assert actor_uuids(data) == [str(medewerker.uuid)]
    assert data["toegewezenOp"] is not None
    assert data["afgehandeldOp"] is None
    assert spec_errors("InterneTaak", data) == []
    assert api_client.get(data["url"]).json() == data


def test_assignment_to_several_actoren_keeps_order(api_client):
    a, b, c = make_team(), make_medewerker(), make_medewerker()

    response = api_client.post(URL, body(a, b, c), format="json")

    assert response.status_code == 201, response.json()
    assert actor_uuids(response.json()) == [str(a.uuid), str(b.uuid), str(c.uuid)]
    assert response.json()["toegewezenAanActor"]["uuid"] == str(a.uuid)


def test_duplicate_actoren_are_assigned_once(api_client):
    a = make_medewerker()

    response = api_client.post(URL, body(a, a), format="json")

    assert response.status_code == 201, response.json()
    assert actor_uuids(response.json()) == [str(a.uuid)]


def test_deprecated_single_actor_is_accepted(api_client):
    a = make_medewerker()
    data = body(toegewezenAanActor={"uuid": str(a.uuid)})
    del data["toegewezenAanActoren"]

    response = api_client.post(URL, data, format="json")

    assert response.status_code == 201, response.json()
    assert actor_uuids(response.json()) == [str(a.uuid)]


def test_deprecated_single_actor_with_null_list(api_client):
    a = make_medewerker()

    response = api_client.post(
        URL,
        body(toegewezenAanActor={"uuid": str(a.uuid)}, toegewezenAanActoren=None),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert actor_uuids(response.json()) == [str(a.uuid)]


def test_when_both_given_toegewezen_aan_actoren_wins(api_client):
    a, b = make_medewerker(), make_medewerker()

    response = api_client.post(
        URL, body(b, toegewezenAanActor={"uuid": str(a.uuid)}), format="json"
    )

    assert response.status_code == 201, response.json()
    assert actor_uuids(response.json()) == [str(b.uuid)]


@pytest.mark.parametrize("actoren", [[], None])
def test_at_least_one_actor_is_required(api_client, actoren):
    data = body(toegewezenAanActoren=actoren)

    response = api_client.post(URL, data, format="json")

    assert response.status_code == 400
    assert names(response) == {"toegewezenAanActoren"}
    assert not InterneTaak.objects.exists()


def test_inactive_actor_can_get_new_work(api_client):
    # As in the reference: indicatieActief tells a client whom to offer, it does not refuse.
    actief, inactief = make_medewerker(), make_medewerker(indicatie_actief=False)

    many = api_client.post(URL, body(actief, inactief), format="json")
    single_data = body(toegewezenAanActor={"uuid": str(inactief.uuid)})
    del single_data["toegewezenAanActoren"]
    single = api_client.post(URL, single_data, format="json")

    assert many.status_code == 201, many.json()
    assert actor_uuids(many.json()) == [str(actief.uuid), str(inactief.uuid)]
    assert single.status_code == 201, single.json()
    assert actor_uuids(single.json()) == [str(inactief.uuid)]
    assert single.json()["toegewezenAanActor"]["uuid"] == str(inactief.uuid)
    assert InterneTaak.objects.count() == 2


def test_inactive_actor_already_assigned_may_stay_and_another_may_be_assigned(api_client):
    medewerker = make_medewerker()
    taak = make_internetaak(medewerker)
    medewerker.indicatie_actief = False
    medewerker.save()
    data = api_client.get(f"{URL}/{taak.uuid}").json()
    ander = make_medewerker(indicatie_actief=False)

    response = api_client.put(data["url"], {**data, "status": "verwerkt"}, format="json")
    reassign = api_client.patch(
        data["url"], {"toegewezenAanActoren": [{"uuid": str(ander.uuid)}]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert actor_uuids(response.json()) == [str(medewerker.uuid)]
    assert reassign.status_code == 200, reassign.json()
    assert actor_uuids(reassign.json()) == [str(ander.uuid)]
    assert list(taak.toewijzingen.values_list("actor", flat=True)) == [ander.pk]


def test_reassign_with_patch(api_client):
    taak = make_internetaak(make_medewerker())
    team = make_team()

    response = api_client.patch(
        f"{URL}/{taak.uuid}", {"toegewezenAanActor": {"uuid": str(team.uuid)}}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert actor_uuids(response.json()) == [str(team.uuid)]
    assert response.json()["toegewezenAanActor"]["uuid"] == str(team.uuid)


@pytest.mark.parametrize("extra", [{}, {"toegewezenAanActoren": None, "toegewezenAanActor": None}])
def test_patch_without_actoren_keeps_assignment(api_client, extra):
    a, b = make_medewerker(), make_team()
    taak = make_internetaak(a, b)

    response = api_client.patch(
        f"{URL}/{taak.uuid}", {"toelichting": "Nieuw", **extra}, format="json"
    )

    assert response.status_code == 200
    assert actor_uuids(response.json()) == [str(a.uuid), str(b.uuid)]


def test_patch_empty_actoren_is_400(api_client):
    taak = make_internetaak()

    response = api_client.patch(f"{URL}/{taak.uuid}", {"toegewezenAanActoren": []}, format="json")

    assert response.status_code == 400
    assert names(response) == {"toegewezenAanActoren"}


def test_put_requires_actoren(api_client):
    taak = make_internetaak()
    data = body()
    del data["toegewezenAanActoren"]

    response = api_client.put(f"{URL}/{taak.uuid}", data, format="json")

    assert response.status_code == 400
    assert names(response) == {"toegewezenAanActoren"}


@pytest.mark.parametrize(
    "reference", [{}, {"uuid": "00000000-0000-0000-0000-000000000000"}, {"uuid": "x"}, "x"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_bad_references_are_400(api_client, method, reference):
    taak = make_internetaak()
    url = URL if method == "post" else f"{URL}/{taak.uuid}"

    klantcontact = getattr(api_client, method)(
        url, body(make_medewerker(), aanleidinggevendKlantcontact=reference), format="json"
    )
    actor = getattr(api_client, method)(url, body(toegewezenAanActoren=[reference]), format="json")

    assert klantcontact.status_code == 400
    assert names(klantcontact) == {"aanleidinggevendKlantcontact"}
    assert actor.status_code == 400
    assert names(actor) == {"toegewezenAanActoren"}


def test_nummer_empty_string_twice_in_a_row(api_client):
    medewerker = make_medewerker()

    first = api_client.post(URL, body(medewerker, nummer=""), format="json")
    second = api_client.post(URL, body(medewerker, nummer=""), format="json")
    third = api_client.post(URL, body(medewerker, nummer=None), format="json")

    assert [r.status_code for r in (first, second, third)] == [201, 201, 201]
    nummers = {r.json()["nummer"] for r in (first, second, third)}
    assert len(nummers) == 3 and "" not in nummers


def test_given_nummer_is_kept_and_unique(api_client):
    medewerker = make_medewerker()

    first = api_client.post(URL, body(medewerker, nummer="42"), format="json")
    second = api_client.post(URL, body(medewerker, nummer="42"), format="json")

    assert first.status_code == 201
    assert first.json()["nummer"] == "42"
    assert second.status_code == 400
    assert names(second) == {"nummer"}
    assert {p["code"] for p in second.json()["invalidParams"]} == {"unique"}


def test_update_with_empty_nummer_keeps_nummer(api_client):
    taak = make_internetaak()

    response = api_client.patch(f"{URL}/{taak.uuid}", {"nummer": ""}, format="json")

    assert response.status_code == 200
    assert response.json()["nummer"] == taak.nummer


def test_verwerkt_sets_afgehandeld_op_and_back_clears_it(api_client):
    taak = make_internetaak()
    before = timezone.now()

    verwerkt = api_client.patch(f"{URL}/{taak.uuid}", {"status": "verwerkt"}, format="json")
    again = api_client.patch(f"{URL}/{taak.uuid}", {"toelichting": "x"}, format="json")
    terug = api_client.patch(f"{URL}/{taak.uuid}", {"status": "te_verwerken"}, format="json")

    assert verwerkt.status_code == 200
    afgehandeld_op = verwerkt.json()["afgehandeldOp"]
    assert afgehandeld_op is not None
    taak.refresh_from_db()
    assert taak.afgehandeld_op is None
    assert again.json()["afgehandeldOp"] == afgehandeld_op
    assert terug.json()["afgehandeldOp"] is None
    assert InterneTaak.objects.get(pk=taak.pk).afgehandeld_op is None
    assert before <= datetime.fromisoformat(afgehandeld_op)


def test_create_verwerkt_sets_afgehandeld_op(api_client):
    response = api_client.post(URL, body(make_medewerker(), status="verwerkt"), format="json")

    assert response.status_code == 201
    assert response.json()["afgehandeldOp"] is not None
    # Not afgehandeld before it was toegewezen: one moment for both.
    assert response.json()["afgehandeldOp"] == response.json()["toegewezenOp"]


def test_afgehandeld_op_null_on_a_verwerkt_taak_means_now(api_client):
    created = api_client.post(
        URL,
        body(make_medewerker(), status="verwerkt", afgehandeldOp="2024-03-01T10:00:00Z"),
        format="json",
    )
    detail = created.json()["url"]
    kept = api_client.patch(detail, {"toelichting": "x"}, format="json")
    before = timezone.now()

    now = api_client.patch(detail, {"afgehandeldOp": None}, format="json")

    assert kept.json()["afgehandeldOp"] == created.json()["afgehandeldOp"]
    assert now.status_code == 200, now.json()
    assert datetime.fromisoformat(now.json()["afgehandeldOp"]) >= before
    taak = InterneTaak.objects.get(uuid=created.json()["uuid"])
    assert taak.afgehandeld_op >= before


def test_client_given_afgehandeld_op_with_verwerkt_is_kept(api_client):
    response = api_client.post(
        URL,
        body(make_medewerker(), status="verwerkt", afgehandeldOp="2024-03-01T10:00:00Z"),
        format="json",
    )

    assert response.status_code == 201
    assert datetime.fromisoformat(response.json()["afgehandeldOp"]) == datetime(
        2024, 3, 1, 10, tzinfo=UTC
    )


def test_afgehandeld_op_contradicting_status_is_400(api_client):
    taak = make_internetaak()

    create = api_client.post(
        URL, body(make_medewerker(), afgehandeldOp="2024-03-01T10:00:00Z"), format="json"
    )
    patch = api_client.patch(
        f"{URL}/{taak.uuid}", {"afgehandeldOp": "2024-03-01T10:00:00Z"}, format="json"
    )
    back = api_client.patch(
        f"{URL}/{make_internetaak(status='verwerkt').uuid}",
        {"status": "te_verwerken", "afgehandeldOp": "2024-03-01T10:00:00Z"},
        format="json",
    )

    for response in (create, patch, back):
        assert response.status_code == 400
        assert names(response) == {"afgehandeldOp"}


def test_put_round_trip_from_get_to_verwerkt(api_client):
    taak = make_internetaak()
    data = api_client.get(f"{URL}/{taak.uuid}").json()

    response = api_client.put(data["url"], {**data, "status": "verwerkt"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["afgehandeldOp"] is not None
    assert response.json()["nummer"] == taak.nummer
    assert spec_errors("InterneTaak", response.json()) == []


def test_toegewezen_op_is_read_only(api_client):
    response = api_client.post(
        URL, body(make_medewerker(), toegewezenOp="2000-01-01T00:00:00Z"), format="json"
    )

    assert response.status_code == 201
    assert not response.json()["toegewezenOp"].startswith("2000")


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "klaar"),
        ("gevraagdeHandeling", "x" * 201),
        ("toelichting", "x" * 1001),
        ("referentienummer", "x" * 11),
        ("nummer", "x" * 11),
        ("afgehandeldOp", "gisteren"),
    ],
)
def test_invalid_values_name_the_field(api_client, field, value):
    response = api_client.post(URL, body(make_medewerker(), **{field: value}), format="json")

    assert response.status_code == 400
    assert names(response) == {field}


def test_missing_required_fields(api_client):
    response = api_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert names(response) >= {"aanleidinggevendKlantcontact", "gevraagdeHandeling", "status"}


def test_delete(api_client):
    taak = make_internetaak()

    response = api_client.delete(f"{URL}/{taak.uuid}")

    assert response.status_code == 204
    assert not InterneTaak.objects.exists()


@pytest.mark.parametrize("nummer", ["abc", "T-1", "١٢٣"])
def test_a_client_chosen_nummer_is_digits(api_client, nummer):
    response = api_client.post(URL, body(make_medewerker(), nummer=nummer), format="json")

    assert names(response) == {"nummer"}
    assert not InterneTaak.objects.exists()
