"""Whom a request concerns beyond the object it names: what a deletion takes along, what a
write takes from another partij, what an inzage shows, what an expansion hides, what a
deleted object's trail was about."""

import pytest
from django.db import connection

from autorisatie.models import Applicatie
from logboek.models import Verwerking
from taken.models import InterneTaakToewijzing
from tests.autorisatie.conftest import SEES_EVERYTHING, client_for
from tests.klantcontacten.factories import (
    make_actor,
    make_betrokkene,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
    make_partij_identificator,
)

from .conftest import bsn_hash, bsn_identificator

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN, OTHER_BSN = "111222333", "123456782"


def subjects(*objs, soort="partij") -> set:
    return {(soort, str(o.uuid)) for o in objs}


# A deletion concerns the subjects of everything it takes along.


def test_onderwerpobject_cascade_delete_logs_the_partijen_of_the_deleted_was_klantcontact(
    api_client, log
):
    jan, piet = make_partij(), make_partij()
    contact, eerder_contact = make_klantcontact(), make_klantcontact()
    make_betrokkene(contact, partij=jan)
    make_betrokkene(eerder_contact, partij=piet)
    onderwerp = make_onderwerpobject(klantcontact=contact, was_klantcontact=eerder_contact)

    response = api_client.delete(f"{API}/onderwerpobjecten/{onderwerp.uuid}?cascade=true")

    assert response.status_code == 200, response.content
    assert not type(eerder_contact).objects.filter(pk=eerder_contact.pk).exists()
    [entry] = log()
    # Piet's klantcontact (and his betrokkenheid) was deleted by this request.
    assert entry["subjects"] == subjects(jan, piet)


def test_klantcontact_delete_logs_the_actoren_of_its_deleted_interne_taken(api_client, log):
    jan = make_partij()
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)
    actor = make_actor()
    taak = make_interne_taak(contact)
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=actor)

    assert api_client.delete(f"{API}/klantcontacten/{contact.uuid}").status_code == 204

    [entry] = log()
    # The interne taak (a subject list of its own: partijen and actoren) went with it.
    assert entry["subjects"] == subjects(jan) | subjects(actor, soort="actor")


# An inzage document shows other people's data too: they are concerned.


def test_inzage_logs_every_subject_its_document_shows(log):
    officer = client_for(
        Applicatie.objects.create(naam="FG", scopes=["inzage.lezen", *SEES_EVERYTHING])
    )
    jan, piet = make_partij(), make_partij()
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)
    make_betrokkene(contact, partij=piet, contactnaam_achternaam="Pietersen")
    actor = make_actor()
    taak = make_interne_taak(contact)
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=actor)

    response = officer.get(f"{API}/inzage", {"partij": str(jan.uuid)})
    body = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    assert str(piet.uuid) in body and "Pietersen" in body  # Piet's betrokkenheid is shown
    [entry] = [e for e in log() if e["naam"] == "inzage.retrieve"]
    # As `GET /klantcontacten?expand=hadBetrokkenen,leiddeTotInterneTaken` would log.
    assert entry["subjects"] == subjects(jan, piet) | subjects(actor, soort="actor")


# What an application does not see (a confidential klantcontact) concerns no one.


@pytest.mark.parametrize("sql_json", [True, False])
def test_a_hidden_expansion_logs_no_subjects_of_what_it_hid(sql_json, settings, log):
    settings.SQL_JSON_LISTS = sql_json
    scopes = [s for s in SEES_EVERYTHING if s != "klantcontacten.vertrouwelijk"]
    client = client_for(Applicatie.objects.create(naam="KISS", scopes=scopes))
    jan, piet = make_partij(), make_partij()
    zichtbaar = make_klantcontact()
    make_betrokkene(zichtbaar, partij=jan)
    geheim = make_klantcontact(vertrouwelijk=True)
    make_betrokkene(geheim, partij=piet)
    make_onderwerpobject(klantcontact=geheim, was_klantcontact=zichtbaar)

    response = client.get(
        f"{API}/klantcontacten/{zichtbaar.uuid}", {"expand": "vervolgKlantcontacten"}
    )

    assert response.status_code == 200
    assert response.json()["_expand"]["vervolgKlantcontacten"] == []
    [entry] = log()
    assert entry["subjects"] == subjects(jan)  # Piet's contact was not shown


# A partij whose BSN changed is found by either number.


def test_changing_a_bsn_logs_the_partij_under_both_numbers(api_client, log):
    partij = make_partij()
    identificator = make_partij_identificator(partij, BSN)

    response = api_client.patch(
        f"{API}/partij-identificatoren/{identificator.uuid}",
        {"partijIdentificator": bsn_identificator(OTHER_BSN)},
        format="json",
    )

    assert response.status_code == 200, response.content
    [entry] = log()
    # The person with the old number (whose number was on this partij) finds the change too.
    assert entry["hashes"] == {bsn_hash(BSN), bsn_hash(OTHER_BSN)}


# A partij write that takes a digitaal adres or rekeningnummer from another partij.


def test_a_partij_taking_another_partijs_adres_logs_that_partij_too(api_client, log):
    from partijen.models import DigitaalAdres

    jan, piet = make_partij(), make_partij()
    make_partij_identificator(piet, OTHER_BSN)
    adres = DigitaalAdres.objects.create(
        partij=piet, adres="piet@example.com", soort_digitaal_adres="email"
    )
    piet.voorkeurs_digitaal_adres = adres
    piet.save()

    response = api_client.patch(
        f"{API}/partijen/{jan.uuid}",
        {"digitaleAdressen": [{"uuid": str(adres.uuid)}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    adres.refresh_from_db()
    piet.refresh_from_db()
    assert adres.partij_id == jan.pk and piet.voorkeurs_digitaal_adres_id is None
    [entry] = log()
    # Piet lost his adres and his voorkeursadres in this request.
    assert entry["subjects"] == subjects(jan, piet)
    assert bsn_hash(OTHER_BSN) in entry["hashes"]


def test_a_partij_taking_another_partijs_adres_is_in_the_adres_audit_trail(api_client):
    from partijen.models import DigitaalAdres

    jan, piet = make_partij(), make_partij()
    adres = DigitaalAdres.objects.create(
        partij=piet, adres="piet@example.com", soort_digitaal_adres="email"
    )
    response = api_client.patch(
        f"{API}/partijen/{jan.uuid}",
        {"digitaleAdressen": [{"uuid": str(adres.uuid)}]},
        format="json",
    )
    assert response.status_code == 200, response.content

    trail = api_client.get(f"{API}/digitaleadressen/{adres.uuid}/audittrail")
    # The adres changed partij (piet -> jan): its own trail says so.
    assert trail.status_code == 200, trail.content
    [record] = trail.json()
    assert record["actie"] == "update"
    assert record["wijzigingen"]["oud"]["verstrektDoorPartij"]["uuid"] == str(piet.uuid)
    assert record["wijzigingen"]["nieuw"]["verstrektDoorPartij"]["uuid"] == str(jan.uuid)
    # Piet's own data did not change (his voorkeur was another adres): no record of his.
    assert api_client.get(f"{API}/partijen/{piet.uuid}/audittrail").status_code == 404


def test_a_new_partij_taking_a_rekeningnummer_releases_the_other_partijs_voorkeur(api_client, log):
    from partijen.models import Rekeningnummer

    piet = make_partij()
    rekening = Rekeningnummer.objects.create(partij=piet, iban="NL91ABNA0417164300")
    piet.voorkeurs_rekeningnummer = rekening
    piet.save()

    response = api_client.post(
        f"{API}/partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "partijIdentificatie": {"contactnaam": {"achternaam": "Jansen"}},
            "rekeningnummers": [{"uuid": str(rekening.uuid)}],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    jan = response.json()["uuid"]
    [entry] = log()
    assert entry["subjects"] == {("partij", jan), ("partij", str(piet.uuid))}
    # Piet's voorkeur was released: his trail and the rekeningnummer's say what changed.
    [record] = api_client.get(f"{API}/partijen/{piet.uuid}/audittrail").json()
    assert record["wijzigingen"]["oud"]["voorkeursRekeningnummer"]["uuid"] == str(rekening.uuid)
    assert record["wijzigingen"]["nieuw"]["voorkeursRekeningnummer"] is None
    [record] = api_client.get(f"{API}/rekeningnummers/{rekening.uuid}/audittrail").json()
    assert record["wijzigingen"]["nieuw"]["partij"]["uuid"] == jan


def test_a_partij_letting_go_of_its_adres_records_the_adres_change(api_client, log):
    from partijen.models import DigitaalAdres

    jan = make_partij()
    adres = DigitaalAdres.objects.create(
        partij=jan, adres="jan@example.com", soort_digitaal_adres="email"
    )

    response = api_client.patch(
        f"{API}/partijen/{jan.uuid}", {"digitaleAdressen": []}, format="json"
    )

    assert response.status_code == 200, response.content
    [record] = api_client.get(f"{API}/digitaleadressen/{adres.uuid}/audittrail").json()
    assert record["wijzigingen"]["oud"]["verstrektDoorPartij"]["uuid"] == str(jan.uuid)
    assert record["wijzigingen"]["nieuw"]["verstrektDoorPartij"] is None


def test_a_partij_write_that_moves_nothing_records_only_the_partij(api_client):
    from logboek.models import AuditRecord
    from partijen.models import DigitaalAdres

    jan = make_partij()
    adres = DigitaalAdres.objects.create(
        partij=jan, adres="jan@example.com", soort_digitaal_adres="email"
    )

    response = api_client.patch(
        f"{API}/partijen/{jan.uuid}",
        {"digitaleAdressen": [{"uuid": str(adres.uuid)}], "interneNotitie": "belt vaak"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert list(AuditRecord.objects.values_list("resource", flat=True)) == ["partij"]


def test_moving_a_digitaal_adres_records_the_released_voorkeur_of_its_partij(api_client, log):
    from partijen.models import DigitaalAdres

    jan, piet = make_partij(), make_partij()
    adres = DigitaalAdres.objects.create(
        partij=piet, adres="piet@example.com", soort_digitaal_adres="email"
    )
    piet.voorkeurs_digitaal_adres = adres
    piet.save()

    response = api_client.patch(
        f"{API}/digitaleadressen/{adres.uuid}",
        {"verstrektDoorPartij": {"uuid": str(jan.uuid)}},
        format="json",
    )

    assert response.status_code == 200, response.content
    [entry] = log()
    assert entry["subjects"] == subjects(jan, piet)
    [record] = api_client.get(f"{API}/partijen/{piet.uuid}/audittrail").json()
    assert record["wijzigingen"]["oud"]["voorkeursDigitaalAdres"]["uuid"] == str(adres.uuid)
    assert record["wijzigingen"]["nieuw"]["voorkeursDigitaalAdres"] is None


# Reading the audit trail of a deleted object concerns its subjects.


@pytest.mark.parametrize(
    "path,body,soort",
    [
        (
            "/klantinteracties/api/v1/partijen",
            {
                "soortPartij": "persoon",
                "indicatieActief": True,
                "indicatieGeheimhouding": False,
                "voorkeurstaal": "nld",
                "partijIdentificatie": {"contactnaam": {"achternaam": "Berg"}},
            },
            "partij",
        ),
        (
            "/klantinteracties/api/v1/actoren",
            {
                "naam": "Medewerker",
                "soortActor": "medewerker",
                "indicatieActief": True,
                "actoridentificator": {"objectId": "m.berg"},
            },
            "actor",
        ),
    ],
)
def test_reading_the_trail_of_a_deleted_subject_logs_that_subject(
    api_client, log, path, body, soort
):
    created = api_client.post(path, body, format="json")
    assert created.status_code == 201, created.content
    url, uuid = created.json()["url"], created.json()["uuid"]
    assert api_client.delete(url).status_code == 204
    before = len(log())

    response = api_client.get(f"{url}/audittrail")

    assert response.status_code == 200
    # The trail shows the deleted object as it was (its name, addresses, ...).
    assert response.json()[0]["wijzigingen"]["nieuw"]["uuid"] == uuid
    [entry] = log()[before:]
    assert entry["subjects"] == {(soort, uuid)}


def test_reading_the_trail_of_a_deleted_betrokkene_logs_its_partij(api_client, log):
    jan = make_partij()
    make_partij_identificator(jan, BSN)
    betrokkene = make_betrokkene(make_klantcontact(), partij=jan)
    url = f"{API}/betrokkenen/{betrokkene.uuid}"
    response = api_client.patch(url, {"rol": "klant"}, format="json")
    assert response.status_code == 200, response.content
    assert api_client.delete(url).status_code == 204
    before = len(log())

    response = api_client.get(f"{url}/audittrail")

    assert response.status_code == 200
    [entry] = log()[before:]
    # As its deletion recorded them: the partij it was of, with its BSN's hash.
    assert entry["subjects"] == subjects(jan)
    assert entry["hashes"] == {bsn_hash(BSN)}


def test_reading_the_trail_of_an_object_deleted_in_the_admin_logs_its_subjects(
    admin_client, api_client, log
):
    jan = make_partij()
    make_partij_identificator(jan, BSN)
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact, partij=jan)
    delete = f"/admin/klantcontacten/klantcontact/{contact.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    before = len(log())

    for url in (f"{API}/klantcontacten/{contact.uuid}", f"{API}/betrokkenen/{betrokkene.uuid}"):
        assert api_client.get(f"{url}/audittrail").status_code == 200

    for entry in log()[before:]:
        assert entry["subjects"] == subjects(jan)
        assert entry["hashes"] == {bsn_hash(BSN)}


def test_giving_a_partij_its_first_bsn_records_it_once_with_the_number(api_client, log):
    partij = make_partij()

    response = api_client.post(
        f"{API}/partij-identificatoren",
        {
            "identificeerdePartij": {"uuid": str(partij.uuid)},
            "partijIdentificator": bsn_identificator(BSN),
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    [entry] = log()
    records = Verwerking.objects.filter(handeling=entry["handeling"])
    assert [(r.subject_uuid, bytes(r.identificator_hash)) for r in records] == [
        (partij.uuid, bsn_hash(BSN)[1])
    ]


def test_partij_delete_logs_the_partij_it_represented(api_client, log):
    from partijen.models import Vertegenwoordigden

    jan, piet = make_partij(), make_partij()
    Vertegenwoordigden.objects.create(vertegenwoordigende_partij=jan, vertegenwoordigde_partij=piet)

    assert api_client.delete(f"{API}/partijen/{jan.uuid}").status_code == 204

    assert not Vertegenwoordigden.objects.exists()
    [entry] = log()
    # The vertegenwoordiging (whose subjects are both partijen) went with it.
    assert entry["subjects"] == subjects(jan, piet)


# Reading in the admin is processing too.


def test_the_admin_pages_of_personal_data_are_logged(admin_client, log):
    jan, piet = make_partij(), make_partij()
    make_partij_identificator(jan, BSN)
    contact = make_klantcontact()
    make_betrokkene(contact, partij=piet)

    assert admin_client.get("/admin/partijen/partij/").status_code == 200
    assert admin_client.get(f"/admin/partijen/partij/{jan.pk}/change/").status_code == 200
    assert (
        admin_client.get(f"/admin/klantcontacten/klantcontact/{contact.pk}/change/").status_code
        == 200
    )
    # Pages without personal data are not.
    assert admin_client.get("/admin/").status_code == 200

    listed, jans, contacts = log()
    assert (listed["naam"], listed["bewerking"]) == ("beheer.partij.list", "lezen")
    assert listed["subjects"] == subjects(jan, piet)
    assert listed["handeling"].bron == "beheer"
    assert (jans["naam"], jans["subjects"], jans["hashes"]) == (
        "beheer.partij.retrieve",
        subjects(jan),
        {bsn_hash(BSN)},
    )
    assert (contacts["naam"], contacts["subjects"]) == (
        "beheer.klantcontact.retrieve",
        subjects(piet),
    )


@pytest.mark.django_db(transaction=True)
def test_an_admin_page_whose_record_cannot_be_stored_is_not_sent(admin_client):
    from tests.logboek.test_never_lose_a_record import failing_inserts

    jan = make_partij(interne_notitie="belt vaak")
    with failing_inserts("logboek_handeling"):
        response = admin_client.get(f"/admin/partijen/partij/{jan.pk}/change/")
    assert response.status_code == 503
    assert b"belt vaak" not in response.content
    # Once the log works, so does the page.
    response = admin_client.get(f"/admin/partijen/partij/{jan.pk}/change/")
    assert response.status_code == 200 and b"belt vaak" in response.content


# Reading the trail of a deleted object: its own deletion, however it is named.


def test_the_trail_of_a_deleted_partij_read_by_its_uuid_in_capitals(api_client, log):
    partij = make_partij()
    make_partij_identificator(partij, BSN)
    assert api_client.delete(f"{API}/partijen/{partij.uuid}").status_code == 204
    before = len(log())

    response = api_client.get(f"{API}/partijen/{str(partij.uuid).upper()}/audittrail")

    assert response.status_code == 200, response.content
    [entry] = log()[before:]
    records = Verwerking.objects.filter(handeling=entry["handeling"])
    assert [(r.subject_uuid, bytes(r.identificator_hash)) for r in records] == [
        (partij.uuid, bsn_hash(BSN)[1])
    ]


def test_the_trail_of_a_deleted_object_finds_its_own_deletion_in_a_shared_trace(api_client, log):
    # A batch job deletes under one trace; the other deletion is Piet's contact's.
    header = {"HTTP_TRACEPARENT": f"00-{'4b' * 16}-{'00f067aa' * 2}-01"}
    jan, piet = make_partij(), make_partij()
    contacts = []
    for partij in (jan, piet):
        contact = make_klantcontact()
        make_betrokkene(contact, partij=partij)
        contacts.append(contact)
    for contact in reversed(contacts):
        response = api_client.delete(f"{API}/klantcontacten/{contact.uuid}", **header)
        assert response.status_code == 204
    before = len(log())

    assert api_client.get(f"{API}/klantcontacten/{contacts[0].uuid}/audittrail").status_code == 200

    [entry] = log()[before:]
    assert entry["subjects"] == subjects(jan)


def test_the_trail_of_a_deleted_object_when_the_clocks_differ(api_client, log, monkeypatch):
    # The service's clock 20 ms ahead of PostgreSQL's.
    from datetime import timedelta

    from django.utils import timezone

    import logboek.vastleggen as vastleggen

    class Ahead:
        @staticmethod
        def now():
            return timezone.now() + timedelta(milliseconds=20)

    jan = make_partij()
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)
    monkeypatch.setattr(vastleggen, "timezone", Ahead)
    assert api_client.delete(f"{API}/klantcontacten/{contact.uuid}").status_code == 204
    monkeypatch.undo()
    before = len(log())

    assert api_client.get(f"{API}/klantcontacten/{contact.uuid}/audittrail").status_code == 200

    [entry] = log()[before:]
    assert entry["subjects"] == subjects(jan)


def test_inzage_logs_the_partij_of_an_adres_its_document_shows(log):
    from tests.klantcontacten.factories import make_digitaal_adres

    officer = client_for(
        Applicatie.objects.create(naam="FG", scopes=["inzage.lezen", *SEES_EVERYTHING])
    )
    jan, piet = make_partij(), make_partij()
    # Jan gave Piet's e-mail address in a contact.
    betrokkene = make_betrokkene(make_klantcontact(), partij=jan)
    make_digitaal_adres(partij=piet, betrokkene=betrokkene, adres="piet@example.com")

    response = officer.get(f"{API}/inzage", {"partij": str(jan.uuid)})

    body = b"".join(response.streaming_content).decode()
    assert "piet@example.com" in body
    [entry] = [e for e in log() if e["naam"] == "inzage.retrieve"]
    assert entry["subjects"] == subjects(jan, piet)


def test_a_write_of_a_voorkeursadres_that_moves_nothing_costs_what_another_adres_does(
    api_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.klantcontacten.factories import make_digitaal_adres

    jan = make_partij()
    for _ in range(3):
        make_betrokkene(make_klantcontact(), partij=jan)
    voorkeur = make_digitaal_adres(partij=jan, adres="jan@example.com")
    ander = make_digitaal_adres(partij=jan, adres="jan@werk.example.com")
    jan.voorkeurs_digitaal_adres = voorkeur
    jan.save()
    counts = []
    for adres in (ander, ander, voorkeur):  # the first warms up
        with CaptureQueriesContext(connection) as queries:
            response = api_client.patch(
                f"{API}/digitaleadressen/{adres.uuid}", {"omschrijving": "thuis"}, format="json"
            )
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[2] == counts[1]


def test_a_new_standaard_adres_records_the_adres_it_took_the_flag_from(api_client, log):
    from tests.klantcontacten.factories import make_digitaal_adres

    jan = make_partij()
    oud = make_digitaal_adres(partij=jan, adres="jan@example.com", is_standaard_adres=True)

    response = api_client.post(
        f"{API}/digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": str(jan.uuid)},
            "verstrektDoorBetrokkene": None,
            "adres": "jan@nieuw.example.com",
            "soortDigitaalAdres": "email",
            "isStandaardAdres": True,
            "omschrijving": "",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    [record] = api_client.get(f"{API}/digitaleadressen/{oud.uuid}/audittrail").json()
    assert record["actie"] == "update"
    assert record["wijzigingen"]["oud"]["isStandaardAdres"] is True
    assert record["wijzigingen"]["nieuw"]["isStandaardAdres"] is False


def test_the_trail_of_an_object_deleted_before_records_kept_their_span(api_client, log):
    jan = make_partij()
    make_partij_identificator(jan, BSN)
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)
    assert api_client.delete(f"{API}/klantcontacten/{contact.uuid}").status_code == 204
    # As the previous version wrote it.
    from logboek.models import AuditRecord

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE logboek_auditrecord DISABLE TRIGGER USER")
        AuditRecord.objects.filter(resource_uuid=contact.uuid).update(span_id="")
        cursor.execute("ALTER TABLE logboek_auditrecord ENABLE TRIGGER USER")
    before = len(log())

    assert api_client.get(f"{API}/klantcontacten/{contact.uuid}/audittrail").status_code == 200

    [entry] = log()[before:]
    assert entry["subjects"] == subjects(jan)
    assert entry["hashes"] == {bsn_hash(BSN)}


def test_a_vergeten_may_not_rewrite_an_audit_records_span(api_client):
    from django.db import DatabaseError, transaction

    from logboek.models import AuditRecord

    partij = make_partij()
    response = api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"interneNotitie": "x"}, format="json"
    )
    assert response.status_code == 200
    record = AuditRecord.objects.get(resource_uuid=partij.uuid)
    assert record.span_id == response["traceparent"].split("-")[2]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('logboek.vergeten', %s, true)", [str(partij.uuid)])
        cursor.execute(
            "UPDATE logboek_auditrecord SET span_id = %s WHERE id = %s", ["0" * 16, record.id]
        )


def test_admin_pages_that_show_what_a_deletion_takes_are_logged(admin_client, log):
    jan, piet = make_partij(), make_partij()
    make_partij_identificator(jan, BSN)
    from partijen.models import Vertegenwoordigden

    Vertegenwoordigden.objects.create(vertegenwoordigende_partij=jan, vertegenwoordigde_partij=piet)

    response = admin_client.get(f"/admin/partijen/partij/{jan.pk}/delete/")
    assert response.status_code == 200
    [entry] = log()
    # What the deletion would take: Jan, and the vertegenwoordiging of Piet.
    assert (entry["naam"], entry["subjects"]) == ("beheer.partij.retrieve", subjects(jan, piet))
    assert entry["hashes"] == {bsn_hash(BSN)}


def test_admin_action_confirmations_are_logged(admin_client, log):
    jan, piet = make_partij(), make_partij()
    make_partij_identificator(jan, BSN)
    for action in ("delete_selected", "samenvoegen"):
        before = len(log())
        response = admin_client.post(
            "/admin/partijen/partij/", {"action": action, "_selected_action": [jan.pk, piet.pk]}
        )
        assert response.status_code == 200
        [entry] = log()[before:]
        assert (entry["naam"], entry["subjects"]) == ("beheer.partij.list", subjects(jan, piet))


def test_admin_history_and_autocomplete_are_logged(admin_client, log):
    jan = make_partij()

    history = admin_client.get(f"/admin/partijen/partij/{jan.pk}/history/")
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "partijen", "model_name": "digitaaladres", "field_name": "partij"},
    )

    assert history.status_code == found.status_code == 200
    assert str(jan) in [result["text"] for result in found.json()["results"]]
    assert [(e["naam"], e["subjects"]) for e in log()] == [
        ("beheer.partij.retrieve", subjects(jan)),
        ("beheer.partij.autocomplete", subjects(jan)),
    ]
