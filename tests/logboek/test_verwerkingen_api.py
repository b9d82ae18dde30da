"""GET /verwerkingen and `manage.py verwerkingen`: a privacy officer answers an inzage
request from the log."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from autorisatie.models import Applicatie, Verwerkingsactiviteit
from tests.autorisatie.conftest import SEES_EVERYTHING, client_for
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

from .conftest import bsn_hash

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN, OTHER_BSN = "111222333", "123456782"


@pytest.fixture
def officer(db):
    # The log shows what was processed of everything: for an application that sees it all.
    return client_for(
        Applicatie.objects.create(naam="FG", scopes=["verwerkingen.lezen", *SEES_EVERYTHING])
    )


@pytest.fixture
def history(db):
    """KISS reads Jan's partij and his contact; the portal reads Piet's partij."""
    jan, piet = make_partij(), make_partij()
    make_partij_identificator(jan, BSN)
    make_partij_identificator(piet, OTHER_BSN)
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)
    kcc = Verwerkingsactiviteit.objects.create(uri="https://gemeente.example/va/kcc", naam="KCC")
    kiss = Applicatie.objects.create(naam="KISS", alle_rechten=True)
    kiss.verwerkingsactiviteiten.add(kcc)
    portaal = Applicatie.objects.create(naam="Portaal", alle_rechten=True)
    kiss_client, portaal_client = client_for(kiss), client_for(portaal)
    purpose = {"HTTP_X_VERWERKINGSACTIVITEIT": kcc.uri}
    assert kiss_client.get(f"{API}/partijen/{jan.uuid}", **purpose).status_code == 200
    assert kiss_client.get(f"{API}/klantcontacten/{contact.uuid}", **purpose).status_code == 200
    assert portaal_client.get(f"{API}/partijen/{piet.uuid}").status_code == 200
    return {"jan": jan, "piet": piet, "kiss": kiss, "portaal": portaal, "kcc": kcc}


def test_needs_its_own_scope_and_a_view_of_everything(client_with, history):
    response = client_with(*SEES_EVERYTHING).get(f"{API}/verwerkingen")
    assert response.status_code == 403
    assert "verwerkingen.lezen" in response.json()["detail"]
    partial = client_with("verwerkingen.lezen", "partijen.lezen").get(f"{API}/verwerkingen")
    assert partial.status_code == 403
    assert partial.json()["code"] == "niet-alles-zichtbaar"


def test_the_records_of_a_citizen_by_bsn_newest_first(officer, history):
    response = officer.get(f"{API}/verwerkingen", {"bsn": BSN})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["naam"] for r in body["results"]] == [
        "klantcontacten.retrieve",
        "partijen.retrieve",
    ]
    for record in body["results"]:
        assert record["subjectSoort"] == "partij"
        assert record["subjectUuid"] == str(history["jan"].uuid)
        assert record["identificatorSoort"] == "bsn"
        assert record["identificatorHash"] == bsn_hash(BSN)[1].hex()
        assert record["applicatieWeergave"] == "KISS"
        assert record["applicatieId"] == str(history["kiss"].uuid)
        assert record["verwerkingsactiviteit"] == history["kcc"].uri
        assert record["bewerking"] == "lezen"
        assert record["statusCode"] == "OK"
        assert len(record["traceId"]) == 32 and len(record["spanId"]) == 16


def test_filters(officer, history):
    def count(**params) -> int:
        response = officer.get(f"{API}/verwerkingen", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    # Each of the officer's reads is logged after its answer: it counts in the next ones
    # (application FG, no purpose).
    assert count(partij=str(history["piet"].uuid)) == 1
    assert count(bsn=OTHER_BSN) == 2  # the portal's read, and the officer's first
    assert count(bsn="999993653") == 0
    assert count(applicatie=str(history["portaal"].uuid)) == 1
    assert count(verwerkingsactiviteit=history["kcc"].uri) == 2
    assert count(**{"startTijd__lt": "2000-01-01T00:00:00Z"}) == 0
    assert count(**{"startTijd__gte": "2000-01-01T00:00:00Z"}) == 3 + 4  # the officer's 4
    bad = officer.get(f"{API}/verwerkingen", {"partij": "geen-uuid"})
    assert bad.status_code == 400


def test_the_officers_command(history):
    out = StringIO()
    call_command("verwerkingen", "--bsn", BSN, stdout=out)
    lines = out.getvalue().splitlines()
    assert "klantcontacten.retrieve" in lines[1] and "KISS" in lines[1]
    assert "partijen.retrieve" in lines[2]
    assert lines[-1] == "2 verwerking(en)."

    out = StringIO()
    call_command(
        "verwerkingen", "--partij", str(history["piet"].uuid), "--formaat", "json", stdout=out
    )
    [record] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert record["applicatieWeergave"] == "Portaal"


def test_ldv_export_continues_after_the_last_shipped_record(history):
    out = StringIO()
    call_command("verwerkingen", "--na-id", "0", "--formaat", "ldv", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 3
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    first = records[0]
    assert first["name"] == "partijen.retrieve"
    assert first["status_code"] == "OK"
    attributes = first["attributes"]
    assert attributes["dpl.core.processing_activity_id"] == history["kcc"].uri
    assert attributes["dpl.core.data_subject_id"] == bsn_hash(BSN)[1].hex()
    assert attributes["dpl.core.data_subject_id_type"] == "BSN-HMAC-SHA256"
    assert BSN not in out.getvalue()

    out = StringIO()
    call_command("verwerkingen", "--na-id", str(records[1]["id"]), "--formaat", "ldv", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [records[2]["id"]]


def test_the_admin_shows_the_log_read_only(admin_client, history):
    from logboek.models import AuditRecord, Handeling

    handeling = Handeling.objects.order_by("id").first()
    assert admin_client.get("/admin/logboek/handeling/").status_code == 200
    page = admin_client.get(f"/admin/logboek/handeling/{handeling.pk}/change/")
    assert page.status_code == 200
    assert str(history["jan"].uuid) in page.content.decode()
    assert admin_client.get("/admin/logboek/auditrecord/").status_code == 200
    assert admin_client.get("/admin/logboek/handeling/add/").status_code == 403
    assert AuditRecord.objects.count() == 0  # reads leave no audit records


def test_reading_the_log_is_logged_too(officer, history):
    from logboek.models import Handeling, Verwerking

    before = Handeling.objects.count()
    response = officer.get(f"{API}/verwerkingen", {"bsn": BSN})
    assert response.json()["count"] == 2

    [handeling] = Handeling.objects.order_by("id")[before:]
    assert handeling.naam == "verwerkingen.list"
    assert handeling.applicatie_weergave == "FG"
    subjects = Verwerking.objects.filter(handeling=handeling)
    assert [(s.subject_soort, s.subject_uuid) for s in subjects] == [
        ("partij", history["jan"].uuid)
    ]
    assert bytes(subjects[0].identificator_hash) == bsn_hash(BSN)[1]
