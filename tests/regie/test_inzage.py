"""Inzage: one document with everything the register holds about one partij, and nothing of
anyone else."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.models import Applicatie
from logboek.models import Handeling
from partijen.models import Categorie, CategorieRelatie, Rekeningnummer, Vertegenwoordigden
from tests.autorisatie.conftest import SEES_EVERYTHING, client_for
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_bijlage,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN = "111222333"


@pytest.fixture
def officer(db):
    return client_for(
        Applicatie.objects.create(naam="FG", scopes=["inzage.lezen", *SEES_EVERYTHING])
    )


def related(partij, bsn=BSN) -> dict:
    """One of every kind of object related to the partij, by kind."""
    made = {"identificator": make_partij_identificator(partij, bsn)}
    made["adres"] = make_digitaal_adres(partij=partij)
    made["rekeningnummer"] = Rekeningnummer.objects.create(
        partij=partij, iban="NL91ABNA0417164300", bic="ABNANL2A"
    )
    made["vertegenwoordiging"] = Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=make_partij(), vertegenwoordigde_partij=partij
    )
    made["categorie_relatie"] = CategorieRelatie.objects.create(
        partij=partij, categorie=Categorie.objects.create(naam="Ondernemer")
    )
    contact = make_klantcontact(vertrouwelijk=True, inhoud="Vraag over de aanslag")
    made["klantcontact"] = contact
    made["betrokkene"] = make_betrokkene(contact, partij=partij)
    made["betrokkene_adres"] = make_digitaal_adres(
        betrokkene=made["betrokkene"], adres="via-contact@example.com"
    )
    made["onderwerpobject"] = make_onderwerpobject(klantcontact=contact)
    made["bijlage"] = make_bijlage(klantcontact=contact)
    made["taak"] = make_interne_taak(contact)
    return made


def uuids_in(document) -> set[str]:
    found = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("uuid"), str):
                found.add(value["uuid"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


def test_everything_about_the_partij_and_nothing_of_others(officer):
    partij = make_partij()
    made = related(partij)
    other = make_partij()
    others = related(other, "123456782")

    response = officer.get(f"{API}/inzage", {"bsn": BSN})

    assert response.status_code == 200
    assert response.streaming
    document = json.loads(b"".join(response.streaming_content))
    assert document["partij"]["uuid"] == str(partij.uuid)
    found = uuids_in(document)
    for kind, obj in made.items():
        assert str(obj.uuid) in found, kind
    for kind, obj in others.items():
        assert str(obj.uuid) not in found, kind
    [contact] = document["klantcontacten"]
    assert contact["inhoud"] == "Vraag over de aanslag"  # confidential ones too
    assert {key for key in contact["_expand"]} == {
        "hadBetrokkenen",
        "gingOverOnderwerpobjecten",
        "omvatteBijlagen",
        "leiddeTotInterneTaken",
    }
    # The inzage is itself logged (before the document is written: it is in it).
    assert Handeling.objects.filter(naam="inzage.retrieve").count() == 1
    assert [r["naam"] for r in document["verwerkingen"]] == ["inzage.retrieve"]
    again = officer.get(f"{API}/inzage", {"partij": str(partij.uuid)})
    later = json.loads(b"".join(again.streaming_content))
    assert [r["naam"] for r in later["verwerkingen"]] == ["inzage.retrieve", "inzage.retrieve"]


def test_the_document_costs_the_same_queries_for_1_and_for_many_klantcontacten(officer):
    partij = make_partij()
    make_partij_identificator(partij, BSN)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = officer.get(f"{API}/inzage", {"partij": str(partij.uuid)})
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    for _ in range(2):
        contact = make_klantcontact()
        make_betrokkene(contact, partij=partij)
        make_onderwerpobject(klantcontact=contact)
        make_interne_taak(contact)
    queries()  # the token and compiled statements
    few = queries()
    for _ in range(40):
        contact = make_klantcontact()
        make_betrokkene(contact, partij=partij)
        make_onderwerpobject(klantcontact=contact)
        make_interne_taak(contact)
    assert queries() == few


def test_scope_and_full_view_are_required(client_with, officer):
    partij = make_partij()
    params = {"partij": str(partij.uuid)}
    without = client_with("partijen.lezen", "klantcontacten.lezen").get(f"{API}/inzage", params)
    assert without.status_code == 403
    assert "inzage.lezen" in without.json()["detail"]
    partial = client_with("inzage.lezen").get(f"{API}/inzage", params)
    assert partial.status_code == 403
    assert partial.json()["code"] == "niet-alles-zichtbaar"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"partij": "geen-uuid"}, 400),
        ({"partij": "00000000-0000-0000-0000-000000000000"}, 404),
        ({"bsn": "999993653"}, 404),
        ({"bsn": BSN, "partij": "00000000-0000-0000-0000-000000000000"}, 400),
        ({"bsn": BSN, "extra": "1"}, 400),
        ({"bsn": "\x00"}, 400),
        ({"bsn": "1234567890"}, 400),
    ],
)
def test_bad_or_unknown_requests(officer, params, status):
    partij = make_partij()
    make_partij_identificator(partij, BSN)
    assert officer.get(f"{API}/inzage", params).status_code == status


def test_the_officers_command(tmp_path):
    partij = make_partij()
    made = related(partij)
    target = tmp_path / "inzage.json"

    call_command("inzage", "--bsn", BSN, "--uit", str(target), stdout=StringIO())

    document = json.loads(target.read_text())
    assert document["partij"]["uuid"] == str(partij.uuid)
    assert str(made["taak"].uuid) in uuids_in(document)
    assert document["partij"]["url"].startswith("http://localhost:8000/klantinteracties/api/v1/")
