"""Events through the outbox, against a real HTTP receiver (tests/gebeurtenissen/ontvanger.py).

Every write announces exactly its documented events after commit and none on rollback; a
receiver that is down delays delivery but loses nothing, per object in order; a worker
killed halfway loses nothing; two workers never send one delivery at once; webhook
deliveries are signed; every notification satisfies the Notificaties API 1.0 contract.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gebeurtenissen import definities
from gebeurtenissen.afleveren import werken
from gebeurtenissen.models import Aflevering, Bestemming, Gebeurtenis
from logboek.models import AuditRecord
from tests.datasets import rich_dataset
from tests.endpoints import list_views
from tests.logboek.test_never_lose_a_record import failing_inserts

from .ontvanger import Ontvanger

pytestmark = pytest.mark.django_db(transaction=True)

API = "/klantinteracties/api/v1"
GEHEIM = "een-geheim-van-minstens-zestien-tekens"
ZAAK = "5f3c3b3c-1111-2222-3333-444455556666"
ANDERE_ZAAK = "7a1b2c3d-1111-2222-3333-444455556666"
PARTIJ = {
    "soortPartij": "persoon",
    "indicatieActief": True,
    "indicatieGeheimhouding": False,
    "voorkeurstaal": "nld",
    "interneNotitie": "eerste",
    "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
}


@pytest.fixture
def ontvanger(settings):
    settings.GEBEURTENISSEN_WACHTTIJD = 0.05
    settings.GEBEURTENISSEN_WACHTTIJD_MAX = 0.2
    settings.GEBEURTENISSEN_TIMEOUT = 5
    receiver = Ontvanger()
    Bestemming.objects.create(
        naam="notificaties",
        soort="notificaties",
        url=f"{receiver.base}/api/v1/",
        cloudevents=True,
        client_id="klantinteracties",
        secret="een-jwt-geheim-van-minstens-32-tekens-lang",
    )
    Bestemming.objects.create(
        naam="webhook",
        soort="webhook",
        url=f"{receiver.base}/webhook",
        typen=definities.typen(),
        secret=GEHEIM,
    )
    yield receiver
    receiver.close()
    assert not receiver.invalid, receiver.invalid


def deliver_all(deadline: float = 20.0) -> None:
    """Run the worker until nothing is open (retries included)."""
    end = time.monotonic() + deadline
    while Aflevering.objects.filter(status="open").exists():
        assert time.monotonic() < end, list(Aflevering.objects.values("status", "laatste_fout"))
        werken(eenmalig=True)
        time.sleep(0.02)


def summary(notificaties) -> list[tuple]:
    return [(n["kanaal"], n["resource"], n["actie"], n["resourceUrl"]) for n in notificaties]


def per_object(changes: list[tuple]) -> dict:
    """Each object's changes, in the order given."""
    found: dict = {}
    for change in changes:
        found.setdefault(change[3], []).append(change)
    return found


def test_each_write_announces_its_events_once_after_commit(api_client, ontvanger):
    partij = api_client.post(f"{API}/partijen", PARTIJ, format="json").json()
    api_client.patch(partij["url"], {"interneNotitie": "tweede"}, format="json")
    api_client.put(partij["url"], {**PARTIJ, "interneNotitie": "derde"}, format="json")
    registratie = api_client.post(
        f"{API}/maak-klantcontact",
        {
            "klantcontact": {
                "kanaal": "telefoon",
                "onderwerp": "Afvalpas",
                "taal": "nld",
                "vertrouwelijk": False,
                "indicatieContactGelukt": True,
            },
            "betrokkene": {
                "wasPartij": {"uuid": partij["uuid"]},
                "rol": "klant",
                "initiator": True,
            },
            "onderwerpobject": {
                "onderwerpobjectidentificator": {
                    "objectId": ZAAK,
                    "codeObjecttype": "zaak",
                    "codeRegister": "openzaak",
                    "codeSoortObjectId": "uuid",
                }
            },
        },
        format="json",
    ).json()
    klantcontact = registratie["klantcontact"]
    onderwerpobject = klantcontact["gingOverOnderwerpobjecten"][0]
    betrokkene = klantcontact["hadBetrokkenen"][0]
    api_client.patch(
        onderwerpobject["url"],
        {
            "onderwerpobjectidentificator": {
                "objectId": ANDERE_ZAAK,
                "codeObjecttype": "zaak",
                "codeRegister": "openzaak",
                "codeSoortObjectId": "uuid",
            }
        },
        format="json",
    )
    actor = api_client.post(
        f"{API}/actoren",
        {"naam": "Sanne", "soortActor": "medewerker", "indicatieActief": True},
        format="json",
    ).json()
    taak = api_client.post(
        f"{API}/internetaken",
        {
            "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
            "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
            "gevraagdeHandeling": "Terugbellen",
            "toelichting": "Over de afvalpas",
            "status": "te_verwerken",
        },
        format="json",
    ).json()
    assert api_client.delete(taak["url"]).status_code == 204
    assert api_client.delete(onderwerpobject["url"]).status_code == 204
    # Refused writes announce nothing.
    assert api_client.post(f"{API}/partijen", {}, format="json").status_code == 400
    assert api_client.patch(partij["url"], {"soortPartij": "x"}, format="json").status_code == 400

    # Nothing is sent before the worker runs; then everything, once.
    assert ontvanger.received == []
    deliver_all()
    notificaties = ontvanger.at("/api/v1/notificaties")
    expected = [
        ("partijen", "partij", "create", partij["url"]),
        ("partijen", "partij", "partial_update", partij["url"]),
        ("partijen", "partij", "update", partij["url"]),
        ("klantcontacten", "klantcontact", "create", klantcontact["url"]),
        ("betrokkenen", "betrokkene", "create", betrokkene["url"]),
        ("onderwerpobjecten", "onderwerpobject", "create", onderwerpobject["url"]),
        ("onderwerpobjecten", "onderwerpobject", "partial_update", onderwerpobject["url"]),
        ("actoren", "actor", "create", actor["url"]),
        ("internetaken", "internetaak", "create", taak["url"]),
        ("internetaken", "internetaak", "destroy", taak["url"]),
        ("onderwerpobjecten", "onderwerpobject", "destroy", onderwerpobject["url"]),
    ]
    # Each exactly once; per object in the order of its changes (objects may interleave).
    assert sorted(summary(notificaties)) == sorted(expected)
    assert per_object(summary(notificaties)) == per_object(expected)
    by_change = {(n["resource"], n["actie"]): n for n in notificaties}
    # The reference's kenmerken, from the representation (destroy: as it was).
    assert by_change["partij", "partial_update"]["kenmerken"] == {
        "nummer": partij["nummer"],
        "interneNotitie": "tweede",
        "soortPartij": "persoon",
    }
    assert by_change["klantcontact", "create"]["kenmerken"] == {
        "indicatieContactGelukt": "true",
        "verdereActieOndernomen": "false",
    }
    assert by_change["internetaak", "destroy"]["kenmerken"]["toelichting"] == "Over de afvalpas"
    assert by_change["internetaak", "destroy"]["kenmerken"]["status"] == "te_verwerken"
    # hoofdObject: the object itself for the reference's kanalen, else what it hangs off.
    assert by_change["partij", "create"]["hoofdObject"] == partij["url"]
    assert by_change["betrokkene", "create"]["hoofdObject"] == klantcontact["url"]
    assert by_change["onderwerpobject", "create"]["hoofdObject"] == klantcontact["url"]
    assert list(by_change["partij", "create"]) == [
        "kanaal",
        "hoofdObject",
        "resource",
        "resourceUrl",
        "actie",
        "aanmaakdatum",
        "kenmerken",
    ]
    # The reference's zaak CloudEvents, at the Notificaties API's /cloudevents.
    zaak_events = ontvanger.at("/api/v1/cloudevents")
    assert [(e["type"], e["subject"]) for e in zaak_events] == [  # one object: in order
        (definities.ZAAK_GEKOPPELD, ZAAK),
        (definities.ZAAK_ONTKOPPELD, ZAAK),
        (definities.ZAAK_GEKOPPELD, ANDERE_ZAAK),
        (definities.ZAAK_ONTKOPPELD, ANDERE_ZAAK),
    ]
    assert zaak_events[0]["data"] == {
        "zaak": f"urn:uuid:{ZAAK}",
        "linkTo": onderwerpobject["url"],
        "label": f"Afvalpas - ({klantcontact['nummer']})",
        "linkObjectType": "Onderwerpobject",
    }
    zaak_request = next(r for r in ontvanger.received if r["path"].endswith("/cloudevents"))
    assert zaak_request["headers"]["Content-Type"] == "application/cloudevents+json"
    # The Notificaties API is called with a ZGW JWT.
    notificatie = next(r for r in ontvanger.received if r["path"].endswith("/notificaties"))
    assert notificatie["headers"]["Authorization"].startswith("Bearer ")
    # The webhook: every event as a CloudEvent, each once, in the same order.
    webhook = [r for r in ontvanger.received if r["path"] == "/webhook"]
    assert len(webhook) == len(notificaties) + len(zaak_events)
    data = [
        r["body"]["data"] for r in webhook if r["body"]["type"].startswith(definities.TYPE_PREFIX)
    ]
    assert sorted(map(json.dumps, data)) == sorted(map(json.dumps, notificaties))
    assert len({r["body"]["id"] for r in webhook}) == len(webhook)
    assert {r["body"]["type"] for r in webhook} >= {
        "nl.overheid.klantinteracties.partijen.create",
        "nl.overheid.klantinteracties.internetaken.destroy",
        definities.ZAAK_GEKOPPELD,
    }
    # Delivered, with nothing left open.
    assert not Aflevering.objects.exclude(status="afgeleverd").exists()


def test_every_resource_announces_its_changes(api_client, ontvanger):
    rich_dataset()
    expected = []
    for name, (list_url, view) in sorted(list_views().items()):
        model = view.queryset.model
        kanaal = definities.PER_RESOURCE[model._meta.model_name]
        item = api_client.get(list_url).json()["results"][0]
        response = api_client.patch(item["url"], {}, format="json")
        assert response.status_code == 200, (name, response.content[:300])
        expected.append((kanaal.naam, model._meta.model_name, "partial_update", item["url"]))
    deliver_all()
    assert sorted(summary(ontvanger.at("/notificaties"))) == sorted(expected)
    assert len(ontvanger.at("/webhook")) == len(expected)


def test_a_rolled_back_write_announces_nothing(api_client, ontvanger):
    partij = api_client.post(f"{API}/partijen", PARTIJ, format="json").json()
    with failing_inserts("logboek_auditrecord"):
        response = api_client.patch(partij["url"], {"interneNotitie": "nee"}, format="json")
    assert response.status_code == 503
    with failing_inserts("gebeurtenissen_aflevering"):
        response = api_client.patch(partij["url"], {"interneNotitie": "ook niet"}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "gebeurtenissen_niet_beschikbaar"
    # The change itself is gone with its announcement.
    assert api_client.get(partij["url"]).json()["interneNotitie"] == "eerste"
    with pytest.raises(RuntimeError), transaction.atomic():
        api_client.patch(partij["url"], {"interneNotitie": "teruggedraaid"}, format="json")
        raise RuntimeError
    deliver_all()
    assert summary(ontvanger.at("/notificaties")) == [
        ("partijen", "partij", "create", partij["url"])
    ]
    assert Gebeurtenis.objects.count() == AuditRecord.objects.count() == 1


def test_without_destinations_nothing_is_written(api_client):
    api_client.post(f"{API}/partijen", PARTIJ, format="json")
    assert not Gebeurtenis.objects.exists()
    assert AuditRecord.objects.count() == 1


def test_a_receiver_that_is_down_delays_but_loses_nothing_and_keeps_the_order(
    api_client, ontvanger
):
    ontvanger.down = True
    partij = api_client.post(f"{API}/partijen", PARTIJ, format="json").json()
    werken(eenmalig=True)
    notities = [f"notitie {i}" for i in range(6)]
    for notitie in notities:
        # Writes go on while the receiver is down.
        response = api_client.patch(partij["url"], {"interneNotitie": notitie}, format="json")
        assert response.status_code == 200
        werken(eenmalig=True)
        time.sleep(0.03)
    assert ontvanger.received == []
    failed = Aflevering.objects.filter(pogingen__gt=0)
    assert failed.exists() and all("503" in a.laatste_fout for a in failed)
    ontvanger.down = False
    deliver_all()
    kenmerken = [n["kenmerken"]["interneNotitie"] for n in ontvanger.at("/notificaties")]
    assert kenmerken == ["eerste", *notities]
    assert [
        r["body"]["data"]["kenmerken"]["interneNotitie"]
        for r in ontvanger.received
        if r["path"] == "/webhook"
    ] == ["eerste", *notities]


def test_a_delivery_is_parked_after_its_tries_and_can_be_sent_again(
    api_client, ontvanger, settings
):
    settings.GEBEURTENISSEN_POGINGEN = 2
    ontvanger.down = True
    partij = api_client.post(f"{API}/partijen", PARTIJ, format="json").json()
    for _ in range(3):
        werken(eenmalig=True)
        time.sleep(0.1)
    assert set(Aflevering.objects.values_list("status", "pogingen")) == {("geparkeerd", 2)}
    ontvanger.down = False
    # A parked delivery holds no later one of its object back.
    api_client.patch(partij["url"], {"interneNotitie": "later"}, format="json")
    deliver_all()
    assert [n["actie"] for n in ontvanger.at("/notificaties")] == ["partial_update"]
    Aflevering.objects.filter(status="geparkeerd").update(status="open", pogingen=0)
    deliver_all()
    assert [n["actie"] for n in ontvanger.at("/notificaties")] == ["partial_update", "create"]


def test_webhook_deliveries_are_signed(api_client, ontvanger):
    api_client.post(f"{API}/partijen", PARTIJ, format="json")
    deliver_all()
    [request] = [r for r in ontvanger.received if r["path"] == "/webhook"]
    headers = request["headers"]
    assert headers["Content-Type"] == "application/cloudevents+json"
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + request["raw"]
    expected = base64.b64encode(hmac.new(GEHEIM.encode(), signed, hashlib.sha256).digest())
    assert headers["webhook-signature"] == f"v1,{expected.decode()}"
    assert headers["webhook-id"] == request["body"]["id"]
    # Another secret does not verify.
    wrong = base64.b64encode(hmac.new(b"ander-geheim", signed, hashlib.sha256).digest())
    assert headers["webhook-signature"] != f"v1,{wrong.decode()}"
    assert request["body"]["specversion"] == "1.0"
    assert request["body"]["data"]["kanaal"] == "partijen"


def _many_writes(api_client, n: int) -> list[str]:
    partijen = [api_client.post(f"{API}/partijen", PARTIJ, format="json").json() for _ in range(n)]
    for partij in partijen:
        api_client.patch(partij["url"], {"interneNotitie": "tweede"}, format="json")
    return [p["url"] for p in partijen]


def test_two_workers_never_send_one_delivery_at_once(api_client, ontvanger):
    _many_writes(api_client, 15)
    ontvanger.delay = 0.01
    errors = []

    def worker():
        try:
            werken(eenmalig=True, batch=3)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    deliver_all()
    assert ontvanger.overlaps == []
    ids = [r["body"]["id"] for r in ontvanger.received if r["path"] == "/webhook"]
    assert len(ids) == len(set(ids)) == Gebeurtenis.objects.count() == 30
    # Per object in order: each partij's create before its update.
    seen: dict = {}
    for notificatie in ontvanger.at("/notificaties"):
        seen.setdefault(notificatie["resourceUrl"], []).append(notificatie["actie"])
    assert set(map(tuple, seen.values())) == {("create", "partial_update")}


def test_a_worker_killed_halfway_loses_nothing(api_client, ontvanger):
    urls = _many_writes(api_client, 10)
    ontvanger.delay = 0.05
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@/{database['NAME']}"
            f"?host={database['HOST']}&port={database['PORT']}"
        ),
        "GEBEURTENISSEN_WACHTTIJD": "0.05",
        "GEBEURTENISSEN_WACHTTIJD_MAX": "0.2",
    }
    env.pop("PYTEST_VERSION", None)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "afleveren", "--batch", "10"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        end = time.monotonic() + 30
        while len(ontvanger.received) < 5:
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < end
            time.sleep(0.01)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    halfway = len(ontvanger.received)
    assert halfway < 40
    ontvanger.delay = 0
    deliver_all()
    ids = {r["body"]["id"] for r in ontvanger.received if r["path"] == "/webhook"}
    announced = {str(u) for u in Gebeurtenis.objects.values_list("uuid", flat=True)}
    assert ids == announced and len(announced) == 20
    received = {(n["resourceUrl"], n["actie"]) for n in ontvanger.at("/notificaties")}
    assert received == {(u, a) for u in urls for a in ("create", "partial_update")}
    assert not Aflevering.objects.exclude(status="afgeleverd").exists()


def test_the_notificaties_bodies_satisfy_the_contract(ontvanger):
    from .ontvanger import contract_errors

    # The receiver refuses what breaks the contract: the reference's raw kenmerken would.
    assert contract_errors(
        {
            "kanaal": "klantcontacten",
            "hoofdObject": "http://x/1",
            "resource": "klantcontact",
            "resourceUrl": "http://x/1",
            "actie": "create",
            "aanmaakdatum": "2026-01-01T00:00:00Z",
            "kenmerken": {"indicatieContactGelukt": True, "hoofdOnderwerpType": ""},
        }
    )
    body = json.loads(json.dumps({"kanaal": "partijen"}))
    assert contract_errors(body)


def test_admin_changes_are_announced(admin_client, ontvanger):
    from tests.klantcontacten.factories import (
        make_betrokkene,
        make_digitaal_adres,
        make_klantcontact,
        make_partij,
    )

    partij = make_partij()
    adres = make_digitaal_adres(partij=partij, adres="jan@example.com")
    data = {
        "partij": partij.pk,
        "adres": "jan.berg@example.com",
        "soort_digitaal_adres": "email",
        "omschrijving": "",
        "referentie": "",
    }
    assert (
        admin_client.post(f"/admin/partijen/digitaaladres/{adres.pk}/change/", data).status_code
        == 302
    )
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact, partij=partij)
    delete = f"/admin/klantcontacten/klantcontact/{contact.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    deliver_all()
    changes = {
        (n["resource"], n["actie"], n["resourceUrl"].rsplit("/", 1)[-1])
        for n in ontvanger.at("/notificaties")
    }
    assert changes == {
        ("digitaaladres", "update", str(adres.uuid)),
        ("klantcontact", "destroy", str(contact.uuid)),
        ("betrokkene", "destroy", str(betrokkene.uuid)),
    }
    # The adres itself is no kenmerk.
    assert all("jan" not in json.dumps(n["kenmerken"]) for n in ontvanger.at("/notificaties"))


def test_a_waiting_worker_is_woken_by_the_commit(api_client, ontvanger):
    stop = threading.Event()

    def worker():
        try:
            # Without NOTIFY it would sleep 30 s between rounds.
            werken(wacht=30, stop=stop.is_set)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        time.sleep(0.5)  # listening, idle
        start = time.monotonic()
        api_client.post(f"{API}/partijen", PARTIJ, format="json")
        while len(ontvanger.at("/notificaties")) < 1:
            assert time.monotonic() - start < 5, "not woken by the commit"
            time.sleep(0.01)
    finally:
        stop.set()
        # Wake it once more so that it sees the stop.
        api_client.patch(
            api_client.get(f"{API}/partijen").json()["results"][0]["url"],
            {"interneNotitie": "stop"},
            format="json",
        )
        thread.join(10)
    assert not thread.is_alive()


def test_what_was_delivered_is_cleaned_up_after_its_days(api_client, ontvanger, settings):
    from gebeurtenissen.afleveren import opruimen

    api_client.post(f"{API}/partijen", PARTIJ, format="json")
    deliver_all()
    settings.GEBEURTENISSEN_BEWAARDAGEN = 7
    assert opruimen() == (0, 0)
    long_ago = timezone.now() - datetime.timedelta(days=8)
    Aflevering.objects.update(afgeleverd_op=long_ago)
    Gebeurtenis.objects.update(aangemaakt_op=long_ago)
    # A parked delivery is kept (with its announcement) until it is sent or removed.
    ontvanger.down = True
    settings.GEBEURTENISSEN_POGINGEN = 1
    api_client.patch(
        api_client.get(f"{API}/partijen").json()["results"][0]["url"],
        {"interneNotitie": "geparkeerd"},
        format="json",
    )
    werken(eenmalig=True)
    Gebeurtenis.objects.update(aangemaakt_op=long_ago)
    assert opruimen() == (2, 1)
    assert list(Aflevering.objects.values_list("status", flat=True)) == ["geparkeerd"] * 2
    assert Gebeurtenis.objects.count() == 1
