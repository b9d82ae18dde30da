"""The statements of one write, pinned: a query added to a create path fails here.

Under pytest the view's transaction is a savepoint inside the test's transaction; in
production the same place holds BEGIN and COMMIT. The response to a create costs no
statements: the new object's reference lists are known to be empty (or to hold the parts
just made), and the references in the body were resolved during validation.
"""

import re

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from klantcontacten.models import Betrokkene, Klantcontact, Onderwerpobject

from .factories import make_klantcontact, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def klantcontact_body(**overrides) -> dict:
    body = {
        "kanaal": "telefoon",
        "onderwerp": "Afvalpas",
        "inhoud": "Vraag over de afvalpas",
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": "2026-01-15T10:00:00Z",
    }
    body.update(overrides)
    return body


def betrokkene_body(partij, **overrides) -> dict:
    body = {
        "wasPartij": {"uuid": str(partij.uuid)},
        "rol": "klant",
        "initiator": True,
        "organisatienaam": "",
        "contactnaam": {"voorletters": "", "voornaam": "", "achternaam": ""},
    }
    body.update(overrides)
    return body


def statement(sql: str) -> str:
    """`VERB table` of one statement (`nummer` for a separate generated-nummer query)."""
    if "next_nummer(" in sql:
        return "nummer"
    verb = sql.split(None, 1)[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"):
        return verb
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"([^"]+)"', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def post(client, path, body) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.post(f"{API}/{path}", body, format="json")
    assert response.status_code == 201, response.json()
    return [statement(q["sql"]) for q in context.captured_queries], response.json()


@pytest.fixture
def warm_client(api_client):
    # The first request reads the token; the counted ones must measure the write alone.
    api_client.get(f"{API}/klantcontacten", {"pageSize": 1})
    return api_client


def test_maak_klantcontact_statements(warm_client):
    partij = make_partij()
    body = {
        "klantcontact": klantcontact_body(),
        "betrokkene": betrokkene_body(partij),
        "onderwerpobject": {
            "onderwerpobjectidentificator": {
                "objectId": "ZAAK-1",
                "codeObjecttype": "zaak",
                "codeRegister": "openzaak",
                "codeSoortObjectId": "identificatie",
            }
        },
    }

    statements, _ = post(warm_client, "maak-klantcontact", body)

    assert statements == [
        "SAVEPOINT",
        "SELECT partijen_partij",
        "INSERT klantcontacten_klantcontact",
        "INSERT klantcontacten_betrokkene",
        "INSERT klantcontacten_onderwerpobject",
        # The audit record and the processing log, in the write's transaction.
        "INSERT logboek_auditrecord",
        "WITH ?",  # its announcement, for the destinations that want it (none here)
        "WITH logboek_handeling",
        "RELEASE",
    ]


def test_maak_klantcontact_without_savepoint_is_still_all_or_nothing(warm_client, monkeypatch):
    # The service makes no savepoint of its own here: the view's transaction must undo all.
    def refuse(**fields):
        raise IntegrityError("refused")

    monkeypatch.setattr(Onderwerpobject.objects, "create", refuse)
    body = {
        "klantcontact": klantcontact_body(),
        "betrokkene": betrokkene_body(make_partij()),
        "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "ZAAK-3"}},
    }

    response = warm_client.post(f"{API}/maak-klantcontact", body, format="json")

    assert response.status_code == 400
    assert not Klantcontact.objects.exists()
    assert not Betrokkene.objects.exists()


def test_post_klantcontact_statements(warm_client):
    statements, _ = post(warm_client, "klantcontacten", klantcontact_body())

    assert statements == [
        "SAVEPOINT",
        "INSERT klantcontacten_klantcontact",
        # The audit record and the processing log, in the write's transaction.
        "INSERT logboek_auditrecord",
        "WITH ?",  # its announcement, for the destinations that want it (none here)
        "WITH logboek_handeling",
        "RELEASE",
    ]


def test_post_betrokkene_statements(warm_client):
    partij = make_partij()
    contact = make_klantcontact()
    body = betrokkene_body(partij, hadKlantcontact={"uuid": str(contact.uuid)})

    statements, _ = post(warm_client, "betrokkenen", body)

    assert statements == [
        "SAVEPOINT",
        "SELECT partijen_partij",
        "SELECT klantcontacten_klantcontact",
        "INSERT klantcontacten_betrokkene",
        # The audit record and the processing log, in the write's transaction.
        "INSERT logboek_auditrecord",
        "WITH ?",  # its announcement, for the destinations that want it (none here)
        "WITH logboek_handeling",
        "RELEASE",
    ]


def test_create_responses_equal_a_later_read(warm_client):
    """What a create renders without asking the database is what a GET then returns."""
    partij = make_partij()
    _, made = post(
        warm_client,
        "maak-klantcontact",
        {
            "klantcontact": klantcontact_body(metadata={"bron": "kcc"}),
            "betrokkene": betrokkene_body(partij),
            "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "ZAAK-2"}},
        },
    )
    _, contact = post(warm_client, "klantcontacten", klantcontact_body())
    _, betrokkene = post(
        warm_client,
        "betrokkenen",
        betrokkene_body(partij, hadKlantcontact={"uuid": contact["uuid"]}),
    )

    def read(data: dict) -> dict:
        return warm_client.get(data["url"]).json()

    assert made["klantcontact"] == read(made["klantcontact"])
    assert made["betrokkene"] == read(made["betrokkene"])
    assert made["onderwerpobject"] == read(made["onderwerpobject"])
    assert made["klantcontact"]["hadBetrokkenen"] == [
        {"uuid": made["betrokkene"]["uuid"], "url": made["betrokkene"]["url"]}
    ]
    assert contact == {**read(contact), "hadBetrokkenen": []}
    assert betrokkene == read(betrokkene)
