"""Vergeten (AVG art. 17): a partij's personal data erased everywhere, the archive's facts kept.

A partij with one of every kind of relation and an audit history made through the API; after
vergeten, no table of the database holds any of its personal values (audit trail and
processing log included), while the facts of its contacts and other partijen's data stay.
"""

import datetime
import json
import uuid

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gebeurtenissen import definities
from gebeurtenissen.models import Bestemming, Gebeurtenis
from klantcontacten.models import Betrokkene, Klantcontact
from logboek.models import AuditRecord, Handeling
from partijen.models import (
    Categorie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SamengevoegdePartij,
    Vertegenwoordigden,
)
from taken.models import InterneTaak
from tests.datasets import rich_dataset
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_digitaal_adres,
    make_interne_taak,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN = "111222333"
ANDER_BSN = "123456782"
IBAN = "NL91ABNA0417164300"
PLAATSGEVONDEN = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)

# Every personal value of the partij that is forgotten: none may remain in any table.
GEHEIM = [
    "Xaverius",
    "Zwanenburgh",
    "Zwanenbergh",  # its name before a PATCH: only the audit trail holds it
    "Xylofoonstraat",
    "Tjalkweg",
    "Vergeetdorp",
    "9999 XQ",
    "Roept altijd om kwart voor zeven",
    "vergeet.mij@example.org",
    "0687654321",
    IBAN,
    BSN,
    "Mijn geheime klacht over de buren",
    "Antwoord over de buren",
    "Bel Xaverius terug over de buren",
    "Xavi Betrokkenenaam",
    "prive.betrokkene@example.org",
    "Betrokkenestraat",
]
# What stays of the contact.
KANAAL, ONDERWERP = "telefoon", "Overlast van buren"
# Another partij in the same contact, and one elsewhere: untouched.
ANDER = ["Pieternella", "Anderestraat", "ander@example.org", ANDER_BSN]


@pytest.fixture
def vergeter(client_with):
    return client_with("partijen.vergeten")


@pytest.fixture
def webhook(db):
    return Bestemming.objects.create(
        naam="webhook",
        soort="webhook",
        url="https://ontvanger.example/webhook",
        typen=definities.typen(),
        secret="een-geheim-van-minstens-zestien-tekens",
    )


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def wereld(api_client, webhook):
    """The partij with every kind of relation, its history in the audit trail."""
    partij = created(
        api_client.post(
            f"{API}/partijen",
            {
                "soortPartij": "persoon",
                "indicatieActief": True,
                "interneNotitie": "Roept altijd om kwart voor zeven",
                "partijIdentificatie": {
                    "contactnaam": {"voornaam": "Xaverius", "achternaam": "Zwanenbergh"}
                },
                "bezoekadres": {
                    "straatnaam": "Xylofoonstraat",
                    "huisnummer": 12,
                    "postcode": "9999 XQ",
                    "stad": "Vergeetdorp",
                    "land": "NL",
                },
                "correspondentieadres": {"adresregel1": "Tjalkweg 1", "land": "NL"},
                "partijIdentificatoren": [
                    {
                        "partijIdentificator": {
                            "codeObjecttype": "natuurlijk_persoon",
                            "codeSoortObjectId": "bsn",
                            "objectId": BSN,
                            "codeRegister": "brp",
                        }
                    }
                ],
            },
            format="json",
        )
    )
    patched = api_client.patch(
        partij["url"],
        {
            "partijIdentificatie": {
                "contactnaam": {"voornaam": "Xaverius", "achternaam": "Zwanenburgh"}
            }
        },
        format="json",
    )
    assert patched.status_code == 200, patched.content
    p = Partij.objects.get(uuid=partij["uuid"])
    created(
        api_client.post(
            f"{API}/digitaleadressen",
            {
                "adres": "vergeet.mij@example.org",
                "soortDigitaalAdres": "email",
                "verstrektDoorPartij": {"uuid": partij["uuid"]},
            },
            format="json",
        )
    )
    created(
        api_client.post(
            f"{API}/digitaleadressen",
            {
                "adres": "0687654321",
                "soortDigitaalAdres": "telefoonnummer",
                "verstrektDoorPartij": {"uuid": partij["uuid"]},
            },
            format="json",
        )
    )
    created(
        api_client.post(
            f"{API}/rekeningnummers",
            {"partij": {"uuid": partij["uuid"]}, "iban": IBAN},
            format="json",
        )
    )
    contact = created(
        api_client.post(
            f"{API}/klantcontacten",
            {
                "kanaal": KANAAL,
                "onderwerp": ONDERWERP,
                "inhoud": "Mijn geheime klacht over de buren",
                "reactie": "Antwoord over de buren",
                "taal": "nld",
                "vertrouwelijk": True,
                "plaatsgevondenOp": PLAATSGEVONDEN.isoformat(),
            },
            format="json",
        )
    )
    betrokkene = created(
        api_client.post(
            f"{API}/betrokkenen",
            {
                "hadKlantcontact": {"uuid": contact["uuid"]},
                "wasPartij": {"uuid": partij["uuid"]},
                "rol": "klant",
                "initiator": True,
                "contactnaam": {"voornaam": "Xavi", "achternaam": "Betrokkenenaam"},
                "bezoekadres": {"straatnaam": "Betrokkenestraat", "huisnummer": 3},
            },
            format="json",
        )
    )
    b = Betrokkene.objects.get(uuid=betrokkene["uuid"])
    kc = Klantcontact.objects.get(uuid=contact["uuid"])
    make_digitaal_adres(betrokkene=b, adres="prive.betrokkene@example.org")
    taak = make_interne_taak(kc, toelichting="Bel Xaverius terug over de buren")
    # Another partij in the same contact, and a vertegenwoordiging between them.
    ander = make_partij(contactnaam_voornaam="Pieternella", bezoekadres_straatnaam="Anderestraat")
    make_partij_identificator(ander, ANDER_BSN)
    make_digitaal_adres(partij=ander, adres="ander@example.org")
    ander_betrokkene = make_betrokkene(kc, partij=ander, contactnaam_voornaam="Pieternella")
    Vertegenwoordigden.objects.create(vertegenwoordigende_partij=ander, vertegenwoordigde_partij=p)
    # The other partij's audit record names this one (by reference).
    vertegenwoordigt = api_client.patch(
        f"{API}/partijen/{ander.uuid}", {"interneNotitie": "Pieternella belt"}, format="json"
    )
    assert vertegenwoordigt.status_code == 200, vertegenwoordigt.content
    assert partij["uuid"] in json.dumps(vertegenwoordigt.json()["vertegenwoordigden"])
    assert Vertegenwoordigden.objects.filter(vertegenwoordigde_partij=p).exists()
    return {
        "partij": p,
        "klantcontact": kc,
        "betrokkene": b,
        "taak": taak,
        "ander": ander,
        "ander_betrokkene": ander_betrokkene,
    }


def dump() -> dict:
    """Every row of every table, as text."""
    tables = connection.introspection.table_names()
    result = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            result[table] = [row[0] for row in cursor.fetchall()]
    return result


def register(rows: dict) -> dict:
    """The tables but the processing log (a request is logged, also one that changes
    nothing) and the tokens (their last use)."""
    return {
        table: texts
        for table, texts in rows.items()
        if table not in ("logboek_handeling", "logboek_verwerking", "api_token")
    }


def vindplaatsen(rows: dict, waarden) -> list:
    return [
        (table, waarde, row[:200])
        for table, texts in rows.items()
        for row in texts
        for waarde in waarden
        if waarde in row
    ]


def vergeet(client, partij, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"{API}/partijen/{partij.uuid}/vergeten" + (f"?{query}" if query else "")
    return client.post(url, {"toelichting": "verzoek 2026-0042"}, format="json")


def test_nothing_of_the_partij_remains_in_any_table(wereld, vergeter):
    voor = dump()
    # Every value is in the database first (the old name in the audit trail only).
    assert {waarde for _, waarde, _ in vindplaatsen(voor, GEHEIM)} == set(GEHEIM)
    # Also in the audit trail, which the API filled.
    assert vindplaatsen({"a": voor["logboek_auditrecord"]}, ["Zwanenbergh", "Xylofoonstraat"])
    # And in the outbox: the reference's kenmerken of a partij hold its interneNotitie.
    assert vindplaatsen(
        {"g": voor["gebeurtenissen_gebeurtenis"]}, ["Roept altijd om kwart voor zeven"]
    )

    response = vergeet(vergeter, wereld["partij"])

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["dryRun"] is False and data["alVergeten"] is False
    assert data["geanonimiseerd"] == {
        "partijen": 1,
        "betrokkenen": 1,
        "klantcontacten": 1,
        "interneTaken": 1,
    }
    assert data["verwijderd"] == {
        "partijIdentificatoren": 1,
        "digitaleAdressen": 3,
        "rekeningnummers": 1,
        "vertegenwoordigingen": 1,
    }
    assert data["auditrecords"] >= 6
    assert data["behouden"] == {
        "klantcontacten": 1,
        "velden": ["plaatsgevondenOp", "kanaal", "onderwerp"],
    }

    na = dump()
    assert vindplaatsen(na, GEHEIM) == []
    # The facts of the contact stay; the partij stays as a shell; its contact keeps it.
    kc = Klantcontact.objects.get(pk=wereld["klantcontact"].pk)
    assert (kc.plaatsgevonden_op, kc.kanaal, kc.onderwerp) == (PLAATSGEVONDEN, KANAAL, ONDERWERP)
    assert (kc.inhoud, kc.reactie) == ("", "")
    assert Betrokkene.objects.get(pk=wereld["betrokkene"].pk).partij_id == wereld["partij"].pk
    assert InterneTaak.objects.get(pk=wereld["taak"].pk).toelichting == ""
    assert not PartijIdentificator.objects.filter(partij=wereld["partij"]).exists()
    assert not DigitaalAdres.objects.filter(partij=wereld["partij"]).exists()
    assert not Rekeningnummer.objects.filter(partij=wereld["partij"]).exists()
    # Other partijen's data is untouched: the same rows as before.
    assert vindplaatsen(na, ANDER)
    for table in ("partijen_partij", "partijen_partijidentificator", "partijen_digitaaladres"):
        assert [r for r in voor[table] if any(v in r for v in ANDER)] == [
            r for r in na[table] if any(v in r for v in ANDER)
        ]
    # Also in the audit trail: the other partij's record that refers to this one.
    ander_records = AuditRecord.objects.filter(resource_uuid=wereld["ander"].uuid)
    eerder_record, vergeten_record = ander_records.order_by("pk")
    assert "Pieternella" in json.dumps(eerder_record.nieuw)
    # ... and the record of its change by the vergeten (its vertegenwoordigden) keeps it.
    assert "Pieternella" in json.dumps(vergeten_record.nieuw)
    assert vergeten_record.nieuw["vertegenwoordigden"] == []
    # Recorded without the values, announced, logged.
    records = AuditRecord.objects.filter(toelichting__startswith="Vergeten (AVG art. 17)")
    assert records.count() >= 8
    assert all("verzoek 2026-0042" in r.toelichting for r in records)
    assert Gebeurtenis.objects.filter(
        sleutel=f"http://testserver{API}/partijen/{wereld['partij'].uuid}"
    ).exists()
    handeling = Handeling.objects.get(naam="partijen.vergeten")
    subjects = set(handeling.verwerkingen.values_list("subject_uuid", flat=True))
    assert {wereld["partij"].uuid, wereld["ander"].uuid} <= subjects
    # The partij's url still answers.
    assert vergeter.post(f"{API}/partijen/{wereld['partij'].uuid}/vergeten").status_code == 200


def test_dry_run_changes_nothing(wereld, vergeter):
    voor = dump()
    response = vergeet(vergeter, wereld["partij"], dryRun="true")
    assert response.status_code == 200, response.content
    assert response.json()["dryRun"] is True
    assert response.json()["verwijderd"]["digitaleAdressen"] == 3
    na = dump()
    assert register(voor) == register(na)
    assert Handeling.objects.filter(naam="partijen.vergeten", bewerking="lezen").count() == 1


def test_second_run_changes_nothing(wereld, vergeter):
    assert vergeet(vergeter, wereld["partij"]).status_code == 200
    voor = dump()
    response = vergeet(vergeter, wereld["partij"])
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["alVergeten"] is True
    assert data["auditrecords"] == 0
    assert set(data["geanonimiseerd"].values()) == {0}
    assert set(data["verwijderd"].values()) == {0}
    assert register(voor) == register(dump())


def test_scope_required(wereld, client_with):
    for scopes in [("partijen.lezen", "partijen.schrijven"), ()]:
        response = vergeet(client_with(*scopes), wereld["partij"])
        assert response.status_code == 403
        assert "partijen.vergeten" in response.json()["detail"]
    assert Partij.objects.get(pk=wereld["partij"].pk).contactnaam_voornaam == "Xaverius"


def test_unknown_partij_and_bad_dry_run(vergeter):
    partij = make_partij()
    assert vergeter.post(f"{API}/partijen/{partij.uuid}/vergeten?dryRun=ja").status_code == 400
    partij_uuid = partij.uuid
    partij.delete()
    assert vergeter.post(f"{API}/partijen/{partij_uuid}/vergeten").status_code == 404


def test_audit_trail_cannot_be_updated_outside_vergeten(wereld):
    record = AuditRecord.objects.filter(resource_uuid=wereld["partij"].uuid).first()
    with pytest.raises(DatabaseError, match="onveranderlijk"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(oud=None)
    # Even inside a vergeten, only the values: not which object changed, nor when.
    with pytest.raises(DatabaseError, match="wist alleen waarden"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('logboek.vergeten', %s, true)", [str(wereld["partij"].uuid)]
            )
        AuditRecord.objects.filter(pk=record.pk).update(actie="destroy")
    # The processing log is never updated.
    with pytest.raises(DatabaseError, match="onveranderlijk"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('logboek.vergeten', %s, true)", [str(wereld["partij"].uuid)]
            )
        Handeling.objects.update(naam="x")


def test_failure_changes_nothing(wereld, vergeter, monkeypatch):
    from logboek.vastleggen import LogboekNietBeschikbaar
    from regie import vergeten

    def kapot(**kwargs):
        raise LogboekNietBeschikbaar()

    voor = dump()
    monkeypatch.setattr(vergeten, "audit_vastleggen", kapot)
    assert vergeet(vergeter, wereld["partij"]).status_code == 503
    assert register(dump()) == register(voor)


def test_management_command_by_bsn(wereld, capsys):
    call_command("vergeten", "--bsn", BSN, "--dry-run")
    proef = json.loads(capsys.readouterr().out)
    assert proef["dryRun"] is True and proef["verwijderd"]["partijIdentificatoren"] == 1
    assert PartijIdentificator.objects.filter(object_id=BSN).exists()

    call_command("vergeten", "--bsn", BSN, "--toelichting", "verzoek 7")
    samenvatting = json.loads(capsys.readouterr().out)
    assert samenvatting["alVergeten"] is False
    assert vindplaatsen(dump(), GEHEIM) == []
    assert Handeling.objects.filter(naam="vergeten.command", bewerking="verwijderen").exists()


def test_the_admin_action_shows_what_goes_then_forgets(wereld, admin_client):
    partij = wereld["partij"]
    # An earlier change in the admin is listed under the partij's name.
    LogEntry.objects.create(
        user=User.objects.get(username="admin"),
        content_type=ContentType.objects.get_for_model(Partij),
        object_id=str(partij.pk),
        object_repr=str(partij),
        action_flag=CHANGE,
    )
    selected = {"action": "vergeten", "_selected_action": [partij.pk]}

    page = admin_client.post("/admin/partijen/partij/", selected)
    assert page.status_code == 200
    assert b"3 digitale adressen" in page.content
    assert b"Xaverius" not in page.content
    assert Partij.objects.get(pk=partij.pk).contactnaam_voornaam == "Xaverius"

    done = admin_client.post(
        "/admin/partijen/partij/",
        {**selected, "bevestigd": "ja", "toelichting": "Melding 7"},
        follow=True,
    )
    assert done.status_code == 200
    assert b"zijn gewist" in done.content
    assert vindplaatsen(dump(), GEHEIM) == []
    record = AuditRecord.objects.get(
        resource_uuid=partij.uuid, actie="partial_update", bron="beheer"
    )
    assert record.toelichting.endswith("Melding 7")
    assert Handeling.objects.filter(naam="beheer.partij.vergeten", bewerking="verwijderen").exists()


def test_kept_fields_are_configurable(wereld, vergeter, settings):
    settings.VERGETEN_BEHOUDEN = ["plaatsgevondenOp", "kanaal"]
    data = vergeet(vergeter, wereld["partij"]).json()
    assert data["behouden"]["velden"] == ["plaatsgevondenOp", "kanaal"]
    kc = Klantcontact.objects.get(pk=wereld["klantcontact"].pk)
    assert (kc.kanaal, kc.onderwerp, kc.inhoud) == (KANAAL, "", "")
    assert vindplaatsen(dump(), [*GEHEIM, ONDERWERP]) == []


def test_a_merged_partij_names_the_survivor(vergeter):
    survivor = make_partij()
    merged = SamengevoegdePartij.objects.create(
        uuid=uuid.uuid4(), nummer="0000000999", samengevoegd_in=survivor
    )
    response = vergeter.post(f"{API}/partijen/{merged.uuid}/vergeten")
    assert response.status_code == 410
    assert response.json()["samengevoegdIn"]["uuid"] == str(survivor.uuid)


def test_management_command_refuses_an_unknown_partij():
    with pytest.raises(CommandError, match="Geen partij"):
        call_command("vergeten", "--bsn", "999999999")
    with pytest.raises(CommandError):
        call_command("vergeten", "--partij", "geen-uuid")


def test_every_relation_of_the_rich_dataset(vergeter):
    persoon = rich_dataset()["persoon"]
    eigen = [
        "Let op: ",
        "Kerkstraat",
        "Utrecht",
        "jan@example.org",
        "0612345678",
        "NL91ABNA0417164300",
        BSN,
        "A-1",
        "Bel terug",
        "KISS",
    ]
    anderen = ["De Korenschoof", "NL20INGB0001234567", "Bakkerij", "Piet", "Sanne"]
    voor = dump()
    assert {waarde for _, waarde, _ in vindplaatsen(voor, eigen)} == set(eigen)

    response = vergeet(vergeter, persoon)

    assert response.status_code == 200, response.content
    assert response.json()["verwijderd"] == {
        "partijIdentificatoren": 2,
        "digitaleAdressen": 3,
        "rekeningnummers": 1,
        "vertegenwoordigingen": 1,
    }
    na = dump()
    assert vindplaatsen(na, eigen) == []
    # Every row with another's data is still there as it was (new audit records of the
    # changed objects may name their actoren or the other side of a relation).
    assert set(vindplaatsen(voor, anderen)) <= set(vindplaatsen(na, anderen))


def test_an_address_of_another_partij_is_not_deleted(wereld, vergeter):
    # docs/regie.md: other partijen's data is untouched.
    ander = wereld["ander"]
    # The citizen, as betrokkene, gave the e-mail address of the organisation it called for.
    adres = make_digitaal_adres(
        partij=ander, betrokkene=wereld["betrokkene"], adres="info@bakkerij.example"
    )
    eigen = DigitaalAdres.objects.filter(betrokkene=wereld["betrokkene"], partij__isnull=True)
    assert eigen.exists()

    assert vergeet(vergeter, wereld["partij"]).status_code == 200

    assert DigitaalAdres.objects.filter(pk=adres.pk).exists()
    # What the citizen gave of its own, tied to no partij, is gone.
    assert not eigen.exists()


def test_admin_history_of_a_categorie_relatie_is_erased(wereld, vergeter, admin_client):
    partij = wereld["partij"]
    categorie = Categorie.objects.create(naam="Ondernemer")
    added = admin_client.post(
        "/admin/partijen/categorierelatie/add/",
        {"partij": partij.pk, "categorie": categorie.pk, "begin_datum": "2025-01-01"},
    )
    assert added.status_code == 302, added.content
    assert LogEntry.objects.filter(object_repr__contains="Zwanenburgh").exists()

    assert vergeet(vergeter, wereld["partij"]).status_code == 200

    assert vindplaatsen({"django_admin_log": dump()["django_admin_log"]}, ["Zwanenburgh"]) == []


def test_zaak_cloudevent_label_loses_an_erased_onderwerp(wereld, vergeter, api_client, settings):
    settings.VERGETEN_BEHOUDEN = ["plaatsgevondenOp", "kanaal"]
    kc = wereld["klantcontact"]
    created = api_client.post(
        f"{API}/onderwerpobjecten",
        {
            "klantcontact": {"uuid": str(kc.uuid)},
            "wasKlantcontact": None,
            "onderwerpobjectidentificator": {
                "objectId": str(uuid.uuid4()),
                "codeObjecttype": "zaak",
                "codeRegister": "openzaak",
                "codeSoortObjectId": "uuid",
            },
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert Gebeurtenis.objects.filter(soort="cloudevent", bericht__contains="Overlast").exists()

    assert vergeet(vergeter, wereld["partij"]).status_code == 200

    assert Klantcontact.objects.get(pk=kc.pk).onderwerp == ""
    assert vindplaatsen({"g": dump()["gebeurtenissen_gebeurtenis"]}, ["Overlast van buren"]) == []


def test_content_of_a_contact_deleted_before_the_vergeten_leaves_the_audit_trail(
    wereld, vergeter, api_client
):
    kc = wereld["klantcontact"]
    assert api_client.delete(f"{API}/klantcontacten/{kc.uuid}").status_code == 204

    assert vergeet(vergeter, wereld["partij"]).status_code == 200

    # The klantcontact's create and destroy records keep the citizen's complaint.
    assert (
        vindplaatsen({"a": dump()["logboek_auditrecord"]}, ["Mijn geheime klacht over de buren"])
        == []
    )


def test_the_representative_whose_list_changed_is_in_the_audit_trail(wereld, vergeter, api_client):
    ander = wereld["ander"]
    before = AuditRecord.objects.filter(resource_uuid=ander.uuid).count()
    assert vergeet(vergeter, wereld["partij"]).status_code == 200
    now = api_client.get(f"{API}/partijen/{ander.uuid}").json()
    assert now["vertegenwoordigden"] == []
    last = AuditRecord.objects.filter(resource_uuid=ander.uuid).order_by("pk").last()
    # The trail's last state of the other partij must be what it is now.
    assert AuditRecord.objects.filter(resource_uuid=ander.uuid).count() > before
    assert last.nieuw["vertegenwoordigden"] == []
