"""Samenvoegen: duplicate partijen merged into one surviving partij (docs/regie.md).

A merge moves everything that hangs off the duplicates, resolves what would be there twice,
refuses conflicting identificatoren with nothing changed, leaves no reference to a partij
that is gone, records every change in the audit trail and the outbox, and the url of a
merged partij answers with the survivor on both render paths, also along a chain.
"""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.models import Applicatie
from gebeurtenissen import definities
from gebeurtenissen.models import Bestemming, Gebeurtenis
from klantcontacten.models import Betrokkene
from logboek.models import AuditRecord, Handeling, Verwerking
from partijen.models import (
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SamengevoegdePartij,
    Vertegenwoordigden,
)
from tests.autorisatie import conftest as autorisatie
from tests.autorisatie.conftest import client_for
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_digitaal_adres,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)
from tests.logboek.test_never_lose_a_record import failing_inserts

pytestmark = pytest.mark.django_db
client_with = autorisatie.client_with  # a fixture

API = "/klantinteracties/api/v1"
BSN, ANDER_BSN = "111222333", "123456782"
IBAN_A, IBAN_B = "NL91ABNA0417164300", "NL20INGB0001234567"


def samenvoegen(client, overblijver, *duplicaten, **extra):
    return client.post(
        f"{API}/partijen/{overblijver.uuid}/samenvoegen",
        {"partijen": [{"uuid": str(d.uuid)} for d in duplicaten]},
        format="json",
        **extra,
    )


@pytest.fixture
def samenvoeger(db):
    """An application with exactly what a merge needs, and a view of everything."""
    return client_for(
        Applicatie.objects.create(
            naam="samenvoeger",
            scopes=[
                "partijen.samenvoegen",
                "partijen.lezen",
                "klantcontacten.lezen",
                "klantcontacten.vertrouwelijk",
            ],
        )
    )


@pytest.fixture
def webhook(db):
    """A destination that wants every announcement: the outbox is written."""
    return Bestemming.objects.create(
        naam="webhook",
        soort="webhook",
        url="https://ontvanger.example/webhook",
        typen=definities.typen(),
        secret="een-geheim-van-minstens-zestien-tekens",
    )


def personen(veel: int = 1, bsn: str = BSN) -> dict:
    """A survivor and two duplicates of one person, with one (or `veel`) of every kind of
    relation, and the cases that become the same after the move."""
    s = make_partij(contactnaam_achternaam="Jansen")
    d1 = make_partij(contactnaam_achternaam="Janssen")
    d2 = make_partij(contactnaam_achternaam="Jansen", interne_notitie="dubbel")
    x, y = make_partij(), make_partij()
    made = {"s": s, "d1": d1, "d2": d2, "x": x, "y": y}
    made["bsn"] = make_partij_identificator(s, bsn)
    made["s_email"] = make_digitaal_adres(
        partij=s, is_standaard_adres=True, referentie="portaal", adres="jan@example.com"
    )
    made["d1_email"] = make_digitaal_adres(
        partij=d1, is_standaard_adres=True, referentie="portaal", adres="jan@werk.nl"
    )
    made["d1_telefoon"] = make_digitaal_adres(
        partij=d1,
        soort_digitaal_adres="telefoonnummer",
        adres="0612345678",
        is_standaard_adres=True,
    )
    made["s_iban"] = Rekeningnummer.objects.create(partij=s, iban=IBAN_A)
    made["d1_iban_a"] = Rekeningnummer.objects.create(partij=d1, iban=IBAN_A)
    made["d1_iban_b"] = Rekeningnummer.objects.create(partij=d1, iban=IBAN_B)
    Partij.objects.filter(pk=d1.pk).update(
        voorkeurs_rekeningnummer=made["d1_iban_b"], voorkeurs_digitaal_adres=made["d1_email"]
    )
    c1, c2 = Categorie.objects.create(naam="Ondernemer"), Categorie.objects.create(naam="Wmo")
    made["s_c1"] = CategorieRelatie.objects.create(
        partij=s,
        categorie=c1,
        begin_datum=datetime.date(2020, 1, 1),
        eind_datum=datetime.date(2021, 1, 1),
    )
    made["d1_c1"] = CategorieRelatie.objects.create(
        partij=d1, categorie=c1, begin_datum=datetime.date(2022, 1, 1)
    )
    made["d2_c2"] = CategorieRelatie.objects.create(partij=d2, categorie=c2)
    made["betrokkenen"] = [
        make_betrokkene(partij=s),
        *(make_betrokkene(partij=d1) for _ in range(veel)),
        make_betrokkene(make_klantcontact(vertrouwelijk=True), partij=d1),
        *(make_betrokkene(partij=d2) for _ in range(veel)),
    ]
    for _ in range(veel - 1):
        categorie = Categorie.objects.create(naam=f"Categorie {_}")
        for partij in (s, d2):
            CategorieRelatie.objects.create(partij=partij, categorie=categorie)
        make_digitaal_adres(partij=d2, adres=f"d2-{_}@example.com")
        Rekeningnummer.objects.create(partij=d2, iban=f"NL{_:02d}RABO0123456789")
        make_betrokkene(make_klantcontact(vertrouwelijk=True), partij=d2)
    made["x_d1"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=x, vertegenwoordigde_partij=d1
    )
    made["d1_y"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=d1, vertegenwoordigde_partij=y
    )
    made["s_y"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=s, vertegenwoordigde_partij=y
    )
    made["d1_s"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=d1, vertegenwoordigde_partij=s
    )
    made["d2_d1"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=d2, vertegenwoordigde_partij=d1
    )
    return made


def organisaties() -> dict:
    """Organisaties: a KvK-nummer with a vestigingsnummer under it, the same vestigingsnummer
    stored without its KvK-nummer on another duplicate, and a contactpersoon."""
    s = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij")
    d1 = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij B.V.")
    d2 = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij Jansen")
    made = {"s": s, "d1": d1, "d2": d2}
    organisatie = {"code_objecttype": "niet_natuurlijk_persoon", "code_register": "hr"}
    made["rsin"] = make_partij_identificator(
        s, "123456782", code_soort_object_id="rsin", **organisatie
    )
    made["kvk"] = make_partij_identificator(
        d1, "12345678", code_soort_object_id="kvk_nummer", **organisatie
    )
    vestiging = {"code_objecttype": "vestiging", "code_register": "hr"}
    made["vestiging"] = make_partij_identificator(
        d1,
        "000012345678",
        code_soort_object_id="vestigingsnummer",
        sub_identificator_van=made["kvk"],
        **vestiging,
    )
    made["wees"] = make_partij_identificator(
        d2, "000012345678", code_soort_object_id="vestigingsnummer", **vestiging
    )
    made["contactpersoon"] = make_partij(soort_partij="contactpersoon", werkte_voor_partij=d1)
    return made


def partij_foreign_keys() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to a partij in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND c.confrelid = 'partijen_partij'::regclass
            """
        )
        return list(cursor.fetchall())


def assert_no_dangling_references() -> None:
    keys = partij_foreign_keys()
    # Betrokkenen, adressen, rekeningnummers, identificatoren, categorie-relaties, both
    # sides of a vertegenwoordiging, werkteVoorPartij, the merge table: none missed.
    assert len(keys) >= 9, keys
    with connection.cursor() as cursor:
        for table, column in keys:
            cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'
                f' (SELECT 1 FROM partijen_partij p WHERE p.id = t."{column}")'
            )
            assert cursor.fetchone()[0] == 0, (table, column)
        for column in ("voorkeurs_digitaal_adres_id", "voorkeurs_rekeningnummer_id"):
            cursor.execute(
                f"SELECT count(*) FROM partijen_partij p WHERE {column} IS NOT NULL AND NOT"
                f" EXISTS (SELECT 1 FROM {'partijen_digitaaladres' if 'adres' in column else 'partijen_rekeningnummer'} r"
                f" WHERE r.id = p.{column} AND r.partij_id = p.id)"
            )
            assert cursor.fetchone()[0] == 0, column
        cursor.execute(
            "SELECT count(*) FROM partijen_partijidentificator i WHERE sub_identificator_van_id"
            " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM partijen_partijidentificator k WHERE"
            " k.id = i.sub_identificator_van_id)"
        )
        assert cursor.fetchone()[0] == 0
        # The deferred foreign keys are checked now, as at commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_merge_moves_everything(samenvoeger):
    made = personen()
    s, d1, d2, x, y = (made[k] for k in ("s", "d1", "d2", "x", "y"))

    response = samenvoegen(samenvoeger, s, d1, d2)

    assert response.status_code == 200, response.json()
    assert not Partij.objects.filter(pk__in=[d1.pk, d2.pk]).exists()
    assert set(Betrokkene.objects.filter(partij=s)) == set(made["betrokkenen"])
    # Adressen: all of them; one standaard per soort (the survivor's), one referentie.
    adressen = {a.pk: a for a in DigitaalAdres.objects.filter(partij=s)}
    assert set(adressen) == {made[k].pk for k in ("s_email", "d1_email", "d1_telefoon")}
    assert adressen[made["s_email"].pk].is_standaard_adres
    assert adressen[made["s_email"].pk].referentie == "portaal"
    assert not adressen[made["d1_email"].pk].is_standaard_adres
    assert adressen[made["d1_email"].pk].referentie == ""
    assert adressen[made["d1_telefoon"].pk].is_standaard_adres
    # Rekeningnummers: one per IBAN; the duplicate's voorkeur becomes the survivor's.
    assert sorted(Rekeningnummer.objects.filter(partij=s).values_list("iban", flat=True)) == [
        IBAN_B,
        IBAN_A,
    ]
    assert not Rekeningnummer.objects.filter(pk=made["d1_iban_a"].pk).exists()
    s.refresh_from_db()
    assert s.voorkeurs_rekeningnummer_id == made["d1_iban_b"].pk
    assert s.voorkeurs_digitaal_adres_id == made["d1_email"].pk
    assert list(PartijIdentificator.objects.filter(partij=s)) == [made["bsn"]]
    # Categorie-relaties: one per categorie, covering both periods.
    relaties = {r.categorie.naam: r for r in CategorieRelatie.objects.filter(partij=s)}
    assert set(relaties) == {"Ondernemer", "Wmo"}
    assert relaties["Ondernemer"].pk == made["s_c1"].pk
    assert relaties["Ondernemer"].begin_datum == datetime.date(2020, 1, 1)
    assert relaties["Ondernemer"].eind_datum is None
    assert not CategorieRelatie.objects.filter(pk=made["d1_c1"].pk).exists()
    # Vertegenwoordigingen: both sides; the one twice and those of itself are gone.
    pairs = set(
        Vertegenwoordigden.objects.values_list(
            "vertegenwoordigende_partij", "vertegenwoordigde_partij"
        )
    )
    assert pairs == {(x.pk, s.pk), (s.pk, y.pk)}
    assert Vertegenwoordigden.objects.filter(pk=made["s_y"].pk).exists()
    assert_no_dangling_references()

    body = response.json()
    detail = samenvoeger.get(f"{API}/partijen/{s.uuid}")
    assert body == detail.json()
    assert len(body["betrokkenen"]) == len(made["betrokkenen"])
    assert body["vertegenwoordigden"] == [
        {"uuid": str(y.uuid), "url": f"http://testserver{API}/partijen/{y.uuid}"}
    ]
    assert SamengevoegdePartij.objects.filter(samengevoegd_in=s).count() == 2


def test_organisaties_identificatoren_and_contactpersonen(samenvoeger):
    made = organisaties()
    s, d1, d2 = made["s"], made["d1"], made["d2"]

    response = samenvoegen(samenvoeger, s, d1, d2)

    assert response.status_code == 200, response.json()
    identificatoren = {i.pk: i for i in PartijIdentificator.objects.filter(partij=s)}
    assert set(identificatoren) == {made[k].pk for k in ("rsin", "kvk", "vestiging")}
    # The vestigingsnummer stays under its KvK-nummer; the same one without it went.
    assert identificatoren[made["vestiging"].pk].sub_identificator_van_id == made["kvk"].pk
    assert not PartijIdentificator.objects.filter(pk=made["wees"].pk).exists()
    made["contactpersoon"].refresh_from_db()
    assert made["contactpersoon"].werkte_voor_partij_id == s.pk
    assert_no_dangling_references()


def snapshot() -> dict:
    """Every row a merge could touch."""
    return {
        model.__name__: sorted(
            tuple(sorted(row.items())) for row in model.objects.values().order_by("pk")
        )
        for model in (
            Partij,
            Betrokkene,
            DigitaalAdres,
            Rekeningnummer,
            PartijIdentificator,
            CategorieRelatie,
            Vertegenwoordigden,
            SamengevoegdePartij,
            AuditRecord,
            Gebeurtenis,
            Handeling,
        )
    }


def test_conflicting_identificatoren_refuse_the_merge(samenvoeger, webhook):
    made = personen()
    s, d1, d2 = made["s"], made["d1"], made["d2"]
    ander = make_partij_identificator(d2, ANDER_BSN)
    before = snapshot()

    response = samenvoegen(samenvoeger, s, d1, d2)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    [param] = body["invalidParams"]
    assert param["name"] == "partijen.1.partijIdentificatoren"
    assert param["code"] == "identificator_conflict"
    for named in (str(ander.uuid), str(made["bsn"].uuid), BSN, ANDER_BSN, str(d2.uuid)):
        assert named in param["reason"]
    assert snapshot() == before


def test_a_conflict_does_not_show_shielded_numbers(client_with):
    made = personen()
    make_partij_identificator(made["d1"], ANDER_BSN)
    client = client_with("partijen.samenvoegen", "partijen.lezen", afgeschermd=["identificatoren"])

    response = samenvoegen(client, made["s"], made["d1"])

    assert response.status_code == 400
    reason = response.json()["invalidParams"][0]["reason"]
    assert BSN not in reason and ANDER_BSN not in reason
    assert str(made["bsn"].uuid) in reason


@pytest.mark.parametrize(
    ("case", "name", "code"),
    [
        ("leeg", "partijen", "empty"),
        ("zichzelf", "partijen.0.uuid", "overblijver"),
        ("tweemaal", "partijen.1.uuid", "unique"),
        ("onbekend", "partijen.1.uuid", "does_not_exist"),
        ("soort", "partijen.0.uuid", "soort_partij"),
        ("al_samengevoegd", "partijen.0.uuid", "samengevoegd"),
    ],
)
def test_refusals_name_the_partij_and_change_nothing(samenvoeger, case, name, code):
    made = personen()
    s, d1, d2 = made["s"], made["d1"], made["d2"]
    lists = {
        "leeg": [],
        "zichzelf": [s, d1],
        "tweemaal": [d1, d1],
        "onbekend": [d1, Partij(uuid="0b5e2d9c-8a44-4b7e-a2f1-5f0c3d4e6a22")],
        "soort": [make_partij(soort_partij="organisatie")],
        "al_samengevoegd": [d2],
    }
    if case == "al_samengevoegd":
        assert samenvoegen(samenvoeger, d1, d2).status_code == 200
    before = snapshot()

    response = samenvoegen(samenvoeger, s, *lists[case])

    assert response.status_code == 400, response.json()
    assert {(p["name"], p["code"]) for p in response.json()["invalidParams"]} == {(name, code)}
    if case == "onbekend":
        assert (
            "0b5e2d9c-8a44-4b7e-a2f1-5f0c3d4e6a22" in response.json()["invalidParams"][0]["reason"]
        )
    assert snapshot() == before


def test_the_scope_is_required(client_with):
    made = personen()
    writer = client_with("partijen.lezen", "partijen.schrijven", "klantcontacten.schrijven")
    response = samenvoegen(writer, made["s"], made["d1"])
    assert response.status_code == 403
    assert response.json()["code"] == "missing-scope"
    assert "partijen.samenvoegen" in response.json()["detail"]

    blind = client_with("partijen.samenvoegen")
    response = samenvoegen(blind, made["s"], made["d1"])
    assert response.status_code == 403
    assert "partijen.lezen" in response.json()["detail"]
    assert Partij.objects.filter(pk=made["d1"].pk).exists()

    # Enough, also without klantcontacten.vertrouwelijk: the confidential contact moves all
    # the same, and the answer does not show it.
    merger = client_with("partijen.samenvoegen", "partijen.lezen")
    response = samenvoegen(merger, made["s"], made["d1"])
    assert response.status_code == 200
    assert set(Betrokkene.objects.filter(partij=made["s"])) == set(
        made["betrokkenen"][: len(made["betrokkenen"]) - 1]
    )
    hidden = made["betrokkenen"][2]
    assert hidden.klantcontact.vertrouwelijk
    assert str(hidden.uuid) not in {b["uuid"] for b in response.json()["betrokkenen"]}
    assert len(response.json()["betrokkenen"]) == len(made["betrokkenen"]) - 2


@pytest.mark.usefixtures("both_renderings")
def test_the_url_of_a_merged_partij_names_the_survivor(samenvoeger, api_client):
    made = personen()
    s, d1 = made["s"], made["d1"]
    assert samenvoegen(samenvoeger, s, d1).status_code == 200
    survivor_url = f"http://testserver{API}/partijen/{s.uuid}"

    response = api_client.get(f"{API}/partijen/{d1.uuid}?expand=betrokkenen")
    assert response.status_code == 301
    assert response["Location"] == f"{survivor_url}?expand=betrokkenen"
    body = response.json()
    assert body["code"] == "samengevoegd"
    assert body["samengevoegdIn"] == {"uuid": str(s.uuid), "url": survivor_url}
    assert api_client.head(f"{API}/partijen/{d1.uuid}").status_code == 301
    # Without hyphens, as every uuid route takes it.
    assert api_client.get(f"{API}/partijen/{d1.uuid.hex}").status_code == 301

    for method in ("patch", "put", "delete"):
        response = getattr(api_client, method)(
            f"{API}/partijen/{d1.uuid}", {"interneNotitie": "x"}, format="json"
        )
        assert response.status_code == 410, (method, response.content)
        assert response.json()["samengevoegdIn"]["uuid"] == str(s.uuid)
    assert Partij.objects.filter(pk=s.pk).exists()

    # Gone from every list; its audit trail stays where it was.
    listed = api_client.get(f"{API}/partijen", {"pageSize": 100}).json()["results"]
    assert str(d1.uuid) not in {p["uuid"] for p in listed}
    assert str(s.uuid) in {p["uuid"] for p in listed}
    assert api_client.get(f"{API}/partijen/{d1.uuid}/audittrail").status_code == 200
    # An unknown uuid is still a 404.
    assert api_client.get(f"{API}/partijen/{uuid.uuid4()}").status_code == 404


def test_a_chain_leads_to_the_last_survivor(samenvoeger, api_client):
    a, b, c = make_partij(), make_partij(), make_partij()
    assert samenvoegen(samenvoeger, b, a).status_code == 200
    assert samenvoegen(samenvoeger, c, b).status_code == 200

    for merged in (a, b):
        response = api_client.get(f"{API}/partijen/{merged.uuid}")
        assert response.status_code == 301
        assert response["Location"] == f"http://testserver{API}/partijen/{c.uuid}"
    assert set(SamengevoegdePartij.objects.values_list("samengevoegd_in", flat=True)) == {c.pk}
    # Merging into a partij that was merged itself: sent to nobody, nothing changed.
    response = samenvoegen(samenvoeger, b, make_partij())
    assert response.status_code == 410
    assert response.json()["samengevoegdIn"]["uuid"] == str(c.uuid)


def test_every_change_is_in_the_audit_trail_and_the_outbox(samenvoeger, webhook):
    made = personen()
    s, d1, d2, x = made["s"], made["d1"], made["d2"], made["x"]
    start = AuditRecord.objects.count()

    response = samenvoegen(samenvoeger, s, d1, d2, HTTP_X_AUDIT_TOELICHTING="Verzoek 42")
    assert response.status_code == 200

    records = list(AuditRecord.objects.order_by("id")[start:])
    done = {(r.resource, str(r.resource_uuid), r.actie) for r in records}
    expected = {("betrokkene", str(b.uuid), "partial_update") for b in made["betrokkenen"][1:]}
    expected |= {
        ("digitaaladres", str(made[k].uuid), "partial_update") for k in ("d1_email", "d1_telefoon")
    }
    expected |= {
        ("rekeningnummer", str(made["d1_iban_b"].uuid), "partial_update"),
        ("rekeningnummer", str(made["d1_iban_a"].uuid), "destroy"),
        ("categorierelatie", str(made["s_c1"].uuid), "partial_update"),
        ("categorierelatie", str(made["d1_c1"].uuid), "destroy"),
        ("categorierelatie", str(made["d2_c2"].uuid), "partial_update"),
        ("vertegenwoordigden", str(made["x_d1"].uuid), "partial_update"),
        ("vertegenwoordigden", str(made["d1_y"].uuid), "destroy"),
        ("vertegenwoordigden", str(made["d1_s"].uuid), "destroy"),
        ("vertegenwoordigden", str(made["d2_d1"].uuid), "destroy"),
        ("partij", str(s.uuid), "partial_update"),
        ("partij", str(x.uuid), "partial_update"),
        ("partij", str(d1.uuid), "destroy"),
        ("partij", str(d2.uuid), "destroy"),
    }
    assert done == expected
    assert len(records) == len(expected)
    for record in records:
        assert record.toelichting.startswith("Samenvoegen van partij")
        assert record.toelichting.endswith("Verzoek 42")
        assert record.resultaat == 200
    destroyed = next(r for r in records if str(r.resource_uuid) == str(d1.uuid))
    assert destroyed.oud["uuid"] == str(d1.uuid) and destroyed.nieuw is None
    moved = next(r for r in records if str(r.resource_uuid) == str(made["d1_telefoon"].uuid))
    assert moved.oud["verstrektDoorPartij"]["uuid"] == str(d1.uuid)
    assert moved.nieuw["verstrektDoorPartij"]["uuid"] == str(s.uuid)

    # Each record is announced, in the same transaction: one notification per change.
    notifications = list(
        Gebeurtenis.objects.filter(soort="notificatie").values_list("type", "bericht")
    )
    assert len(notifications) == len(expected)
    types = {t for t, _ in notifications}
    assert "nl.overheid.klantinteracties.partijen.destroy" in types
    assert "nl.overheid.klantinteracties.betrokkenen.partial_update" in types
    assert webhook.afleveringen.count() == len(expected)

    # The processing log: one handeling, about the survivor and the duplicates.
    handeling = Handeling.objects.get(naam="partijen.samenvoegen")
    assert handeling.bewerking == "wijzigen"
    subjects = set(
        Verwerking.objects.filter(handeling=handeling).values_list("subject_uuid", flat=True)
    )
    assert {s.uuid, d1.uuid, d2.uuid, x.uuid} <= subjects


def test_the_inzage_of_the_survivor_holds_the_duplicates_log(samenvoeger, api_client):
    made = personen()
    s, d1 = made["s"], made["d1"]
    assert api_client.get(f"{API}/partijen/{d1.uuid}").status_code == 200
    assert samenvoegen(samenvoeger, s, d1).status_code == 200

    officer = client_for(
        Applicatie.objects.create(
            naam="fg",
            scopes=[
                "inzage.lezen",
                "partijen.lezen",
                "klantcontacten.lezen",
                "taken.lezen",
                "contactgegevens.lezen",
                "klantcontacten.vertrouwelijk",
            ],
        )
    )
    document = b"".join(officer.get(f"{API}/inzage", {"partij": str(s.uuid)}).streaming_content)
    assert str(d1.uuid).encode() in document


def test_a_fixed_number_of_queries_whatever_moves(samenvoeger):
    def count(veel: int, bsn: str) -> int:
        made = personen(veel, bsn)
        with CaptureQueriesContext(connection) as queries:
            response = samenvoegen(samenvoeger, made["s"], made["d1"], made["d2"])
        assert response.status_code == 200
        return len(queries)

    count(1, "999991942")  # the first request of a client also reads its application
    assert count(1, "999993653") == count(8, "999990019")


def test_the_admin_action_merges_into_the_chosen_partij(admin_client):
    made = personen()
    s, d1, d2 = made["s"], made["d1"], made["d2"]
    selected = {"action": "samenvoegen", "_selected_action": [s.pk, d1.pk, d2.pk]}

    page = admin_client.post("/admin/partijen/partij/", selected)
    assert page.status_code == 200
    assert b"Overblijvende partij" in page.content

    done = admin_client.post(
        "/admin/partijen/partij/",
        {**selected, "bevestigd": "ja", "overblijver": s.pk, "toelichting": "Melding 7"},
        follow=True,
    )
    assert done.status_code == 200
    assert b"samengevoegd in" in done.content
    assert not Partij.objects.filter(pk__in=[d1.pk, d2.pk]).exists()
    assert set(Betrokkene.objects.filter(partij=s)) == set(made["betrokkenen"])
    destroyed = AuditRecord.objects.get(resource_uuid=d1.uuid, actie="destroy")
    assert destroyed.bron == "beheer"
    assert destroyed.toelichting.endswith("Melding 7")
    assert Handeling.objects.filter(naam="beheer.partij.samenvoegen").count() == 1
    assert_no_dangling_references()


def test_the_admin_action_reports_a_conflict(admin_client):
    made = personen()
    make_partij_identificator(made["d1"], ANDER_BSN)
    before = snapshot()

    done = admin_client.post(
        "/admin/partijen/partij/",
        {
            "action": "samenvoegen",
            "_selected_action": [made["s"].pk, made["d1"].pk],
            "bevestigd": "ja",
            "overblijver": made["s"].pk,
        },
        follow=True,
    )
    assert b"Niet samengevoegd" in done.content
    after = snapshot()
    # The list page it returns to is read, and that read is logged; nothing else changed.
    read = [h for h in after["Handeling"] if dict(h)["naam"] == "beheer.partij.list"]
    assert len(read) == 1
    after["Handeling"] = [h for h in after["Handeling"] if h not in read]
    assert after == before


@pytest.mark.parametrize("table", ["logboek_auditrecord", "logboek_handeling"])
def test_a_merge_whose_records_cannot_be_stored_changes_nothing(samenvoeger, table):
    made = personen()
    before = snapshot()
    with failing_inserts(table):
        response = samenvoegen(samenvoeger, made["s"], made["d1"], made["d2"])
    assert response.status_code == 503
    assert snapshot() == before


@pytest.mark.parametrize("volgorde", ["d2_first", "d2_survives"])
def test_the_vestigingsnummer_stays_under_its_kvk_nummer(samenvoeger, volgorde):
    made = organisaties()
    s, d1, d2 = made["s"], made["d1"], made["d2"]
    if volgorde == "d2_first":
        response = samenvoegen(samenvoeger, s, d2, d1)
        survivor = s
    else:
        response = samenvoegen(samenvoeger, d2, s, d1)
        survivor = d2
    assert response.status_code == 200, response.json()

    [vestiging] = PartijIdentificator.objects.filter(
        partij=survivor, code_soort_object_id="vestigingsnummer"
    )
    # docs/regie.md: "a vestigingsnummer stays under its KvK-nummer, also when that
    # KvK-nummer belonged to another of the partijen".
    assert vestiging.sub_identificator_van_id == made["kvk"].pk
