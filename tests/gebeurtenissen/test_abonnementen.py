"""`/abonnementen`: CloudEvents webhook subscriptions through the API, and that one made there
receives signed deliveries from the worker."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gebeurtenissen import definities
from gebeurtenissen.afleveren import handtekening, werken
from gebeurtenissen.models import Bestemming, Gebeurtenis
from logboek.models import AuditRecord, Handeling
from tests.autorisatie.conftest import client_with  # noqa: F401  (a fixture)

from .ontvanger import Ontvanger

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
GEHEIM = "een-geheim-van-minstens-zestien-tekens"
PARTIJ_AANGEMAAKT = "nl.overheid.klantinteracties.partijen.create"
ABONNEMENT = {
    "callbackUrl": "https://ontvanger.example/webhook",
    "typen": [PARTIJ_AANGEMAAKT, definities.ZAAK_GEKOPPELD],
    "secret": GEHEIM,
}


def invalid(response) -> dict:
    assert response.status_code == 400, response.content
    return {param["name"]: param["code"] for param in response.json()["invalidParams"]}


def test_create_read_update_delete(api_client):
    created = api_client.post(f"{API}/abonnementen", ABONNEMENT, format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert set(body) == {"uuid", "url", "callbackUrl", "typen", "actief", "aangemaaktOp"}
    assert body["url"] == f"http://testserver{API}/abonnementen/{body['uuid']}"
    assert body["callbackUrl"] == ABONNEMENT["callbackUrl"]
    assert body["typen"] == ABONNEMENT["typen"]
    assert body["actief"] is True
    bestemming = Bestemming.objects.get(uuid=body["uuid"])
    assert (bestemming.soort, bestemming.secret) == ("webhook", GEHEIM)
    assert not bestemming.uit_instellingen

    url = body["url"]
    assert api_client.get(url).json() == body
    assert api_client.get(f"{API}/abonnementen").json()["results"] == [body]

    # PUT without `secret` keeps it (it is never sent back, so a client cannot echo it).
    replaced = api_client.put(
        url,
        {"callbackUrl": "https://elders.example/hook", "typen": [PARTIJ_AANGEMAAKT]},
        format="json",
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["typen"] == [PARTIJ_AANGEMAAKT]
    bestemming.refresh_from_db()
    assert (bestemming.url, bestemming.secret) == ("https://elders.example/hook", GEHEIM)

    patched = api_client.patch(url, {"actief": False, "secret": "x" * 16}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["actief"] is False
    bestemming.refresh_from_db()
    assert (bestemming.actief, bestemming.secret) == (False, "x" * 16)

    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    assert not Bestemming.objects.filter(uuid=body["uuid"]).exists()


def test_changes_are_audited_without_the_secret_and_not_in_the_processing_log(api_client):
    handelingen = Handeling.objects.count()
    url = api_client.post(f"{API}/abonnementen", ABONNEMENT, format="json").json()["url"]
    api_client.patch(url, {"actief": False}, format="json")
    api_client.get(url)
    api_client.delete(url)

    records = list(AuditRecord.objects.filter(resource="abonnement").order_by("id"))
    assert [r.actie for r in records] == ["create", "partial_update", "destroy"]
    assert records[1].oud["actief"] is True and records[1].nieuw["actief"] is False
    assert all(GEHEIM not in json.dumps([r.oud, r.nieuw]) for r in records)
    # Not personal data: nothing in the processing log, and no event about it.
    assert Handeling.objects.count() == handelingen
    assert not Gebeurtenis.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"typen": ["nl.overheid.klantinteracties.bestaatniet.create"]},
            {"typen.0": "invalid_choice"},
        ),
        ({"typen": []}, {"typen": "empty"}),
        ({"typen": None}, {"typen": "null"}),
        ({"secret": "te-kort"}, {"secret": "min_length"}),
        ({"secret": None}, {"secret": "null"}),
        ({"callbackUrl": "geen url"}, {"callbackUrl": "invalid"}),
        ({"callbackUrl": "ftp://ontvanger.example/webhook"}, {"callbackUrl": "invalid"}),
    ],
)
def test_invalid_values_are_400(api_client, change, expected):
    response = api_client.post(f"{API}/abonnementen", {**ABONNEMENT, **change}, format="json")

    assert invalid(response) == expected
    assert not Bestemming.objects.exists()


def test_required_on_create(api_client):
    assert invalid(api_client.post(f"{API}/abonnementen", {}, format="json")) == {
        "callbackUrl": "required",
        "typen": "required",
        "secret": "required",
    }


def test_repeated_types_are_kept_once(api_client):
    typen = [PARTIJ_AANGEMAAKT, PARTIJ_AANGEMAAKT]
    response = api_client.post(f"{API}/abonnementen", {**ABONNEMENT, "typen": typen}, format="json")
    assert response.json()["typen"] == [PARTIJ_AANGEMAAKT]


def test_uuid_in_as_on_every_list(api_client):
    uuids = [
        api_client.post(f"{API}/abonnementen", ABONNEMENT, format="json").json()["uuid"]
        for _ in range(3)
    ]
    response = api_client.get(f"{API}/abonnementen", {"uuid__in": ",".join(uuids[:2])})
    assert sorted(a["uuid"] for a in response.json()["results"]) == sorted(uuids[:2])


def test_unknown_query_parameters_are_400(api_client):
    response = api_client.get(f"{API}/abonnementen", {"soort": "notificaties"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"


def test_needs_a_token(anon_client):
    response = anon_client.get(f"{API}/abonnementen")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_needs_the_scope(client_with):  # noqa: F811
    # Every register's scopes are not enough.
    client = client_with(
        "partijen.lezen",
        "partijen.schrijven",
        "klantcontacten.lezen",
        "klantcontacten.schrijven",
        "taken.lezen",
        "taken.schrijven",
    )
    for response in (
        client.get(f"{API}/abonnementen"),
        client.post(f"{API}/abonnementen", ABONNEMENT, format="json"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "missing-scope"
        assert "abonnementen.beheren" in response.json()["detail"]
    assert not Bestemming.objects.exists()

    allowed = client_with(*BEHEERDER)
    assert allowed.post(f"{API}/abonnementen", ABONNEMENT, format="json").status_code == 201
    assert allowed.get(f"{API}/abonnementen").status_code == 200


# Making or changing an abonnement needs a view of everything, as it receives every change.
BEHEERDER = (
    "abonnementen.beheren",
    "partijen.lezen",
    "klantcontacten.lezen",
    "taken.lezen",
    "contactgegevens.lezen",
    "klantcontacten.vertrouwelijk",
)


@pytest.mark.parametrize(
    ("leave_out", "fields"),
    [
        ("klantcontacten.vertrouwelijk", {}),
        ("contactgegevens.lezen", {}),
        ("", {"afgeschermd": ["interne_notitie"]}),
    ],
)
def test_making_an_abonnement_needs_a_view_of_everything(client_with, leave_out, fields):  # noqa: F811
    # Its typen announce every change, of confidential klantcontacten and shielded fields too.
    client = client_with(*(s for s in BEHEERDER if s != leave_out), **fields)

    response = client.post(f"{API}/abonnementen", ABONNEMENT, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "niet-alles-zichtbaar"
    assert not Bestemming.objects.exists()


def test_changing_an_abonnement_needs_that_view_too(api_client, client_with):  # noqa: F811
    url = api_client.post(f"{API}/abonnementen", ABONNEMENT, format="json").json()["url"]
    beperkt = client_with("abonnementen.beheren")

    assert beperkt.get(url).status_code == 200
    response = beperkt.patch(url, {"callbackUrl": "https://elders.example/"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "niet-alles-zichtbaar"
    assert Bestemming.objects.get().url == ABONNEMENT["callbackUrl"]
    # Ending one is always allowed.
    assert beperkt.delete(url).status_code == 204


def test_a_notificaties_api_is_not_an_abonnement(api_client):
    notificaties = Bestemming.objects.create(
        naam="Notificaties API", soort="notificaties", url="https://nrc.example/api/v1/"
    )
    url = f"{API}/abonnementen/{notificaties.uuid}"

    assert api_client.get(f"{API}/abonnementen").json()["results"] == []
    assert api_client.get(url).status_code == 404
    assert api_client.patch(url, {"actief": False}, format="json").status_code == 404
    assert api_client.put(url, ABONNEMENT, format="json").status_code == 404
    assert api_client.delete(url).status_code == 404
    notificaties.refresh_from_db()
    assert (notificaties.soort, notificaties.actief) == ("notificaties", True)


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/abonnementen")
    assert response.status_code == 200
    return len(captured)


def make_webhooks(count: int) -> None:
    start = Bestemming.objects.count()
    Bestemming.objects.bulk_create(
        Bestemming(naam=f"webhook {start + n}", soort="webhook", url="https://x.example/")
        for n in range(count)
    )


def test_list_query_count_is_flat(api_client):
    make_webhooks(1)
    api_client.get(f"{API}/abonnementen")  # warm the token cache: count the list alone
    one = count_queries(api_client)
    # 99 rows: still one (partial) page, as with one row.
    make_webhooks(98)

    assert count_queries(api_client) == one


@pytest.fixture
def ontvanger():
    receiver = Ontvanger()
    yield receiver
    receiver.close()


def test_an_abonnement_made_through_the_api_receives_signed_cloudevents(api_client, ontvanger):
    abonnement = {
        "callbackUrl": f"{ontvanger.base}/webhook",
        "typen": [PARTIJ_AANGEMAAKT],
        "secret": GEHEIM,
    }
    assert api_client.post(f"{API}/abonnementen", abonnement, format="json").status_code == 201
    partij = api_client.post(
        f"{API}/partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld",
            "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        },
        format="json",
    ).json()
    # Not subscribed: a change of another kanaal.
    api_client.post(f"{API}/categorieen", {"naam": "VIP"}, format="json")

    assert werken(eenmalig=True) == 1

    [request] = ontvanger.received
    headers = {k.lower(): v for k, v in request["headers"].items()}
    raw, event = request["raw"], request["body"]
    assert headers["content-type"] == "application/cloudevents+json"
    assert event["type"] == PARTIJ_AANGEMAAKT
    assert event["specversion"] == "1.0"
    assert event["subject"] == partij["uuid"]
    assert event["data"]["kanaal"] == "partijen"
    assert event["data"]["actie"] == "create"
    assert event["data"]["resourceUrl"] == partij["url"]
    assert event["data"]["kenmerken"] == definities.PER_NAAM["partijen"].kenmerken_van(partij)
    assert event["data"]["kenmerken"]["soortPartij"] == "persoon"
    assert headers["webhook-id"] == event["id"]
    timestamp = int(headers["webhook-timestamp"])
    assert headers["webhook-signature"] == handtekening(GEHEIM, event["id"], timestamp, raw)
    assert headers["webhook-signature"] != handtekening(
        "een-ander-geheim!", event["id"], timestamp, raw
    )
