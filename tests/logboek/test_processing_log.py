"""Every read and write of personal data leaves one handeling with a record per subject."""

import secrets
import time

import jwt
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.models import Applicatie, ClientCredential, Verwerkingsactiviteit
from logboek.models import Handeling, Verwerking
from tests.autorisatie.conftest import SEES_EVERYTHING, client_for
from tests.conftest import LOG_STATEMENT, WRITES_HANDELING
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

from .conftest import bsn_hash

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSNS = ["111222333", "123456782", "999993653"]


@pytest.fixture
def partijen():
    found = []
    for bsn in BSNS:
        partij = make_partij()
        make_partij_identificator(partij, bsn)
        found.append(partij)
    return found


def subjects(*partijen) -> set:
    return {("partij", str(p.uuid)) for p in partijen}


def test_a_list_page_logs_each_partij_in_one_statement(api_client, partijen, log, both_renderings):
    api_client.get(f"{API}/partijen")  # the token, the compiled statements
    start = log()
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"{API}/partijen")
    assert response.status_code == 200

    [entry] = log()[len(start) :]
    assert entry["naam"] == "partijen.list"
    assert entry["bewerking"] == "lezen"
    assert entry["subjects"] == subjects(*partijen)
    assert entry["hashes"] == {bsn_hash(bsn) for bsn in BSNS}
    # The handeling and its three records: one statement. On the SQL path the page's own,
    # which selects the keys and renders them: the log adds no statement.
    [statement] = [q["sql"] for q in queries.captured_queries if WRITES_HANDELING in q["sql"]]
    assert statement.startswith("WITH _selected" if both_renderings else LOG_STATEMENT)


def test_the_log_statement_costs_one_statement_at_any_page_size(api_client, log):
    for _ in range(3):
        make_partij()
    api_client.get(f"{API}/partijen")
    with CaptureQueriesContext(connection) as small:
        api_client.get(f"{API}/partijen", {"pageSize": 1})
    with CaptureQueriesContext(connection) as large:
        api_client.get(f"{API}/partijen", {"pageSize": 100})
    count = [sum(WRITES_HANDELING in q["sql"] for q in c.captured_queries) for c in (small, large)]
    assert count == [1, 1]
    assert [len(entry["subjects"]) for entry in log()[-2:]] == [1, 3]


def test_a_detail_logs_its_subject(api_client, partijen, log, both_renderings):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"{API}/partijen/{partijen[1].uuid}")
    assert response.status_code == 200
    # One statement writes the record: on the SQL path the one that renders the object.
    [statement] = [q["sql"] for q in queries.captured_queries if WRITES_HANDELING in q["sql"]]
    assert ("json_agg" in statement) == both_renderings
    [entry] = log()
    assert entry["naam"] == "partijen.retrieve"
    assert entry["subjects"] == subjects(partijen[1])
    assert entry["hashes"] == {bsn_hash(BSNS[1])}


def test_a_klantcontact_concerns_the_partijen_of_its_betrokkenen(api_client, partijen, log):
    contact = make_klantcontact()
    make_betrokkene(contact, partij=partijen[0])
    make_betrokkene(contact, partij=partijen[2])
    make_betrokkene(contact)  # without partij: no known subject

    api_client.get(f"{API}/klantcontacten/{contact.uuid}")
    [entry] = log()
    assert entry["subjects"] == subjects(partijen[0], partijen[2])


def test_an_expansion_adds_the_subjects_it_shows(api_client, partijen, log, both_renderings):
    adres_partij = partijen[0]
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact, partij=partijen[1])
    from tests.klantcontacten.factories import make_digitaal_adres

    make_digitaal_adres(partij=adres_partij, betrokkene=betrokkene)

    api_client.get(f"{API}/digitaleadressen")
    api_client.get(f"{API}/digitaleadressen", {"expand": "verstrektDoorBetrokkene"})
    plain, expanded = log()
    assert plain["subjects"] == subjects(adres_partij, partijen[1])
    assert expanded["subjects"] == subjects(adres_partij, partijen[1])

    api_client.get(f"{API}/betrokkenen/{betrokkene.uuid}")
    api_client.get(f"{API}/betrokkenen/{betrokkene.uuid}", {"expand": "digitaleAdressen"})
    plain, expanded = log()[2:]
    assert plain["subjects"] == subjects(partijen[1])
    # The expanded digitaal adres belongs to another partij too.
    assert expanded["subjects"] == subjects(partijen[1], adres_partij)


def test_a_search_by_bsn_logs_the_partij_found_never_the_bsn(api_client, partijen, log):
    response = api_client.get(f"{API}/partijen", {"partijIdentificator__objectId": BSNS[2]})
    assert response.json()["count"] == 1
    [entry] = log()
    assert entry["subjects"] == subjects(partijen[2])
    assert entry["hashes"] == {bsn_hash(BSNS[2])}
    assert_no_plain_bsn(BSNS)


def assert_no_plain_bsn(bsns):
    with connection.cursor() as cursor:
        for table in ("logboek_handeling", "logboek_verwerking", "logboek_auditrecord"):
            cursor.execute(f"SELECT t::text FROM {table} t")
            for (row,) in cursor.fetchall():
                for bsn in bsns:
                    assert bsn not in row, f"BSN in plain text in {table}: {row}"


def test_an_empty_page_or_a_resource_without_personal_data_logs_no_subjects(api_client, log):
    api_client.get(f"{API}/partijen")
    api_client.get(f"{API}/categorieen")
    [entry] = log()
    assert entry["naam"] == "partijen.list"
    assert entry["subjects"] == set()


def test_who_why_and_the_trace(db, log, partijen):
    purpose = Verwerkingsactiviteit.objects.create(
        uri="https://gemeente.example/verwerkingen/kcc", naam="KCC"
    )
    applicatie = Applicatie.objects.create(naam="KISS", alle_rechten=True)
    applicatie.verwerkingsactiviteiten.add(purpose)
    credential = ClientCredential.objects.create(
        applicatie=applicatie, client_id="kiss", secret=ClientCredential.new_secret()
    )
    token = jwt.encode(
        {
            "client_id": "kiss",
            "iat": int(time.time()),
            "user_id": "m.devries",
            "user_representation": "Marieke de Vries",
        },
        credential.secret,
        algorithm="HS256",
    )
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    trace, parent = secrets.token_hex(16), secrets.token_hex(8)

    response = client.get(
        f"{API}/partijen/{partijen[0].uuid}",
        HTTP_TRACEPARENT=f"00-{trace}-{parent}-01",
        HTTP_X_VERWERKINGSACTIVITEIT=purpose.uri,
    )

    assert response.status_code == 200
    [entry] = log()
    handeling = entry["handeling"]
    assert handeling.trace_id == trace
    assert handeling.parent_span_id == parent
    assert response["traceparent"] == f"00-{trace}-{handeling.span_id}-01"
    assert handeling.applicatie_id == applicatie.uuid
    assert handeling.applicatie_weergave == "KISS"
    assert handeling.gebruikers_id == "m.devries"
    assert handeling.gebruikers_weergave == "Marieke de Vries"
    assert handeling.verwerkingsactiviteit == purpose.uri
    assert handeling.status == 200
    assert handeling.start <= handeling.einde


def test_an_invalid_traceparent_starts_a_new_trace(api_client, partijen, log):
    response = api_client.get(
        f"{API}/partijen/{partijen[0].uuid}", HTTP_TRACEPARENT="00-" + "0" * 32 + "-" + "1" * 16
    )
    handeling = log()[0]["handeling"]
    assert handeling.parent_span_id == ""
    assert set(handeling.trace_id) != {"0"} and len(handeling.trace_id) == 32
    assert response["traceparent"] == f"00-{handeling.trace_id}-{handeling.span_id}-01"


def test_a_traceparent_of_version_ff_starts_a_new_trace(api_client, partijen, log):
    trace, parent = secrets.token_hex(16), secrets.token_hex(8)

    response = api_client.get(
        f"{API}/partijen/{partijen[0].uuid}", HTTP_TRACEPARENT=f"ff-{trace}-{parent}-01"
    )

    assert response.status_code == 200
    [entry] = log()
    assert entry["handeling"].trace_id != trace
    assert entry["handeling"].parent_span_id == ""


@pytest.mark.parametrize("path", ["verwerkingen", "inzage"])
def test_every_answer_carries_the_traceparent_of_its_handeling(path, partijen, log):
    scopes = ["verwerkingen.lezen", "inzage.lezen", *SEES_EVERYTHING]
    client = client_for(Applicatie.objects.create(naam="FG", scopes=scopes))
    trace, parent = secrets.token_hex(16), secrets.token_hex(8)

    response = client.get(
        f"{API}/{path}",
        {"partij": str(partijen[0].uuid)},
        HTTP_TRACEPARENT=f"00-{trace}-{parent}-01",
    )

    assert response.status_code == 200
    [entry] = log()
    assert entry["handeling"].trace_id == trace
    assert response["traceparent"] == f"00-{trace}-{entry['handeling'].span_id}-01"


def test_a_refused_request_carries_a_traceparent_too(client):
    response = client.get(f"{API}/partijen", HTTP_TRACEPARENT=f"00-{'a' * 32}-{'b' * 16}-01")
    assert response.status_code == 401
    assert response["traceparent"].startswith(f"00-{'a' * 32}-")


def test_a_refused_request_is_not_a_processing(api_client, log):
    api_client.get(f"{API}/partijen/00000000-0000-0000-0000-000000000000")
    api_client.get(f"{API}/partijen", {"soortPartij": "onbekend"})
    assert log() == []


def test_every_list_detail_and_expand_logs_the_same_subjects_on_both_paths(api_client, settings):
    from tests.datasets import rich_dataset
    from tests.endpoints import expand_values, list_views

    rich_dataset()
    for path, view in list_views().values():
        for expand in expand_values(view):
            params = {"expand": expand} if expand else {}
            found = []
            for sql_json in (True, False):
                settings.SQL_JSON_LISTS = sql_json
                before = Handeling.objects.count()
                body = api_client.get(path, params).json()
                new = Handeling.objects.order_by("id")[before:]
                logged = {
                    (v.subject_soort, str(v.subject_uuid))
                    for v in Verwerking.objects.filter(handeling__in=new)
                }
                found.append((len(new), logged))
                for item in body["results"][:2]:
                    before = Handeling.objects.count()
                    api_client.get(item["url"], params)
                    assert Handeling.objects.count() - before == (
                        1 if getattr(view.queryset.model, "SUBJECTEN", ()) else 0
                    ), item["url"]
            assert found[0] == found[1], (path, expand)
            if getattr(view.queryset.model, "SUBJECTEN", ()):
                assert found[0][0] == 1, path


def test_each_kind_of_write_logs_its_subjects(api_client, partijen, log):
    jan, piet = partijen[0], partijen[1]
    contact = make_klantcontact()
    make_betrokkene(contact, partij=jan)

    created = api_client.post(
        f"{API}/betrokkenen",
        {
            "hadKlantcontact": {"uuid": str(contact.uuid)},
            "wasPartij": {"uuid": str(jan.uuid)},
            "rol": "klant",
            "initiator": False,
            "organisatienaam": "",
            "contactnaam": {"voorletters": "", "voornaam": "", "achternaam": "Berg"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    # Moved to another partij: the change concerns both.
    moved = api_client.patch(url, {"wasPartij": {"uuid": str(piet.uuid)}}, format="json")
    assert moved.status_code == 200
    body = {**moved.json(), "initiator": True}
    assert api_client.put(url, body, format="json").status_code == 200
    assert api_client.delete(url).status_code == 204

    entries = log()
    assert [(e["naam"], e["bewerking"]) for e in entries] == [
        ("betrokkenen.create", "aanmaken"),
        ("betrokkenen.partial_update", "wijzigen"),
        ("betrokkenen.update", "wijzigen"),
        ("betrokkenen.destroy", "verwijderen"),
    ]
    assert [e["subjects"] for e in entries] == [
        subjects(jan),
        subjects(jan, piet),
        subjects(piet),
        subjects(piet),
    ]
    assert [e["handeling"].status for e in entries] == [201, 200, 200, 204]
    assert entries[1]["hashes"] == {bsn_hash(BSNS[0]), bsn_hash(BSNS[1])}


def test_maak_klantcontact_logs_the_partij_of_its_betrokkene(api_client, partijen, log):
    response = api_client.post(
        f"{API}/maak-klantcontact",
        {
            "klantcontact": {
                "kanaal": "telefoon",
                "onderwerp": "Afvalpas",
                "taal": "nld",
                "vertrouwelijk": False,
                "plaatsgevondenOp": "2026-01-15T10:00:00Z",
            },
            "betrokkene": {
                "wasPartij": {"uuid": str(partijen[2].uuid)},
                "rol": "klant",
                "initiator": True,
                "organisatienaam": "",
                "contactnaam": {"voorletters": "", "voornaam": "", "achternaam": ""},
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    [entry] = log()
    assert (entry["naam"], entry["bewerking"]) == ("maak-klantcontact.create", "aanmaken")
    assert entry["subjects"] == subjects(partijen[2])


def test_a_browser_client_may_read_the_traceparent(api_client, partijen, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://kcc.example.nl"]
    response = api_client.get(
        f"{API}/partijen/{partijen[0].uuid}", HTTP_ORIGIN="https://kcc.example.nl"
    )
    assert response["traceparent"].startswith("00-")
    exposed = response["Access-Control-Expose-Headers"].lower()
    assert "traceparent" in exposed
