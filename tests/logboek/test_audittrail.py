"""Every write is in the audit trail of its object, with who, why and the object before and
after; also for deleted objects and changes in the admin."""

import pytest
from django.db import connection

from autorisatie.models import Applicatie
from logboek.models import AuditRecord
from tests.autorisatie.conftest import client_for
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_digitaal_adres,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

from .conftest import bsn_identificator

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN = "111222333"


def trail(client, url) -> list[dict]:
    response = client.get(f"{url}/audittrail")
    assert response.status_code == 200, response.content
    return response.json()


def test_create_update_and_delete_of_a_partij(api_client):
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "indicatieGeheimhouding": False,
        "voorkeurstaal": "nld",
        "interneNotitie": "eerste",
        "partijIdentificatie": {"contactnaam": {"achternaam": "Berg"}},
    }
    created = api_client.post(f"{API}/partijen", body, format="json")
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    api_client.patch(
        url, {"interneNotitie": "tweede"}, format="json", HTTP_X_AUDIT_TOELICHTING="Verhuisd"
    )
    assert api_client.delete(url).status_code == 204

    records = trail(api_client, url)  # the trail of a deleted object stays

    assert [r["actie"] for r in records] == ["create", "partial_update", "destroy"]
    assert [r["resultaat"] for r in records] == [201, 200, 204]
    create, update, delete = records
    assert create["wijzigingen"] == {"oud": None, "nieuw": created.json()}
    assert update["wijzigingen"]["oud"]["interneNotitie"] == "eerste"
    assert update["wijzigingen"]["nieuw"]["interneNotitie"] == "tweede"
    assert update["toelichting"] == "Verhuisd"
    assert delete["wijzigingen"]["oud"]["interneNotitie"] == "tweede"
    assert delete["wijzigingen"]["nieuw"] is None
    for record in records:
        assert record["resource"] == "partij"
        assert record["resourceUrl"] == url
        assert record["hoofdObject"] == url
        assert record["bron"] == "klantinteracties"
        assert record["applicatieWeergave"] == "test"

    detail = api_client.get(f"{url}/audittrail/{update['uuid']}")
    assert detail.status_code == 200
    assert detail.json() == update


def test_a_representation_comes_back_as_it_was_whatever_its_text_holds(api_client):
    # Quotes, backslashes, the array syntax's braces and commas, NULL, line breaks, non-ASCII.
    notitie = 'Zei: "bel \\terug", {a,b} NULL\n\t€ é \\"'
    created = api_client.post(
        f"{API}/partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld",
            "interneNotitie": notitie,
            "partijIdentificatie": {"contactnaam": {"achternaam": "O'Brien \\ Berg"}},
        },
        format="json",
        HTTP_X_AUDIT_TOELICHTING='Op verzoek "zelf"',
    )
    assert created.status_code == 201, created.content

    (record,) = trail(api_client, created.json()["url"])

    assert record["wijzigingen"] == {"oud": None, "nieuw": created.json()}
    assert record["wijzigingen"]["nieuw"]["interneNotitie"] == notitie
    assert record["toelichting"] == 'Op verzoek "zelf"'


def test_a_part_names_its_hoofdobject(api_client):
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

    [record] = trail(api_client, response.json()["url"])

    assert record["hoofdObject"].endswith(f"/partijen/{partij.uuid}")
    # The BSN is in the audit trail only as its keyed hash.
    object_id = record["wijzigingen"]["nieuw"]["partijIdentificator"]["objectId"]
    assert object_id.startswith("hmac-sha256:")
    assert BSN not in str(record)


def test_maak_klantcontact_records_each_object_it_makes(api_client):
    partij = make_partij()
    body = {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Afvalpas",
            "inhoud": f"Belde over BSN {BSN}",
            "taal": "nld",
            "vertrouwelijk": False,
            "plaatsgevondenOp": "2026-01-15T10:00:00Z",
        },
        "betrokkene": {
            "wasPartij": {"uuid": str(partij.uuid)},
            "rol": "klant",
            "initiator": True,
            "organisatienaam": "",
            "contactnaam": {"voorletters": "", "voornaam": "Jan", "achternaam": "Berg"},
        },
        "onderwerpobject": {
            "onderwerpobjectidentificator": {
                "objectId": "ZAAK-1",
                "codeObjecttype": "zaak",
                "codeRegister": "openzaak",
                "codeSoortObjectId": "identificatie",
            }
        },
    }
    response = api_client.post(f"{API}/maak-klantcontact", body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()

    contact_url = made["klantcontact"]["url"]
    for part, resource in (
        ("klantcontact", "klantcontact"),
        ("betrokkene", "betrokkene"),
        ("onderwerpobject", "onderwerpobject"),
    ):
        [record] = trail(api_client, made[part]["url"])
        assert record["actie"] == "create"
        assert record["resource"] == resource
        assert record["hoofdObject"] == contact_url
        assert record["wijzigingen"]["nieuw"]["uuid"] == made[part]["uuid"]
    [contact] = trail(api_client, contact_url)
    # Free text that holds a BSN is stored with its hash instead.
    assert BSN not in contact["wijzigingen"]["nieuw"]["inhoud"]
    assert "hmac-sha256:" in contact["wijzigingen"]["nieuw"]["inhoud"]


def test_every_resource_keeps_its_trail_through_update_and_delete(api_client):
    from tests.datasets import rich_dataset
    from tests.endpoints import list_views

    rich_dataset()
    urls = [
        api_client.get(path, {"pageSize": 1}).json()["results"][0]["url"]
        for path, _ in list_views().values()
    ]
    patched = {}
    for url in urls:
        response = api_client.patch(url, {}, format="json")
        assert response.status_code == 200, (url, response.content)
        patched[url] = response.json()
    removed = {url: api_client.delete(url).status_code for url in urls}

    deleted = 0
    for url in urls:
        records = trail(api_client, url)
        assert records[0]["actie"] == "partial_update", url
        assert records[0]["wijzigingen"]["oud"]["uuid"] == patched[url]["uuid"]
        assert records[0]["wijzigingen"]["nieuw"] == patched[url]
        if removed[url] in (200, 204):
            deleted += 1
            assert [r["actie"] for r in records] == ["partial_update", "destroy"], url
            assert records[1]["wijzigingen"]["oud"]["uuid"] == patched[url]["uuid"]
            assert records[1]["wijzigingen"]["nieuw"] is None
        else:  # refused while in use, or gone with an object deleted before it
            assert len(records) == 1, url
    assert deleted >= 8


def test_no_trail_for_an_object_without_changes(api_client):
    partij = make_partij()
    response = api_client.get(f"{API}/partijen/{partij.uuid}/audittrail")
    assert response.status_code == 404
    missing = api_client.get(
        f"{API}/partijen/{partij.uuid}/audittrail/00000000-0000-0000-0000-000000000000"
    )
    assert missing.status_code == 404


def test_a_shielded_writer_is_recorded_with_the_full_object(api_client):
    partij = make_partij(interne_notitie="geheim")
    writer = Applicatie.objects.create(
        naam="portaal",
        scopes=["partijen.lezen", "partijen.schrijven"],
        afgeschermd=["interne_notitie"],
    )
    client = client_for(writer)
    response = client.patch(
        f"{API}/partijen/{partij.uuid}", {"indicatieActief": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["interneNotitie"] == ""  # the writer does not see it

    [record] = trail(api_client, f"{API}/partijen/{partij.uuid}")
    assert record["applicatieWeergave"] == "portaal"
    assert record["wijzigingen"]["nieuw"]["interneNotitie"] == "geheim"
    # ... and the writer may not read the trail that holds it.
    refused = client.get(f"{API}/partijen/{partij.uuid}/audittrail")
    assert refused.status_code == 403


def test_admin_changes_are_in_the_trail(admin_client, admin_user, api_client):
    partij = make_partij()
    adres = make_digitaal_adres(partij=partij, adres="jan@example.com")
    page = f"/admin/partijen/digitaaladres/{adres.pk}/change/"
    data = {
        "partij": partij.pk,
        "adres": "jan.berg@example.com",
        "soort_digitaal_adres": "email",
        "omschrijving": "",
        "referentie": "",
    }
    response = admin_client.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    [record] = trail(api_client, f"{API}/digitaleadressen/{adres.uuid}")
    assert record["bron"] == "beheer"
    assert record["gebruikersWeergave"] == admin_user.username
    assert record["actie"] == "update"
    assert record["wijzigingen"]["oud"]["adres"] == "jan@example.com"
    assert record["wijzigingen"]["nieuw"]["adres"] == "jan.berg@example.com"
    assert record["hoofdObject"].endswith(f"/partijen/{partij.uuid}")

    # A deletion in the admin, cascading: each object it removes is recorded.
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact, partij=partij)
    delete = f"/admin/klantcontacten/klantcontact/{contact.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    for url in (f"{API}/klantcontacten/{contact.uuid}", f"{API}/betrokkenen/{betrokkene.uuid}"):
        [removed] = trail(api_client, url)
        assert removed["actie"] == "destroy" and removed["bron"] == "beheer"
        assert removed["wijzigingen"]["nieuw"] is None


def test_audit_rows_never_hold_a_plain_bsn(api_client):
    partij = make_partij()
    identificator = make_partij_identificator(partij, BSN)
    api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"interneNotitie": f"bsn {BSN}"}, format="json"
    )
    api_client.delete(f"{API}/partij-identificatoren/{identificator.uuid}")
    assert AuditRecord.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT t::text FROM logboek_auditrecord t")
        assert all(BSN not in row for (row,) in cursor.fetchall())


def test_only_a_standalone_nine_digit_number_is_taken_for_a_bsn():
    from logboek.vastleggen import scrub_text

    # 111222333 passes the elfproef; inside a uuid, an IBAN or a longer number it is no BSN.
    for text in (
        "c0ffee11-1222-4333-8abc-a111222333de",
        "NL91ABNA0111222333",
        "0111222333",
        "x111222333",
    ):
        assert scrub_text(text) == text
    assert scrub_text("BSN 111222333.").startswith("BSN hmac-sha256:")
    assert scrub_text("111222334") == "111222334"  # fails the elfproef


def test_every_text_with_a_bsn_is_walked_through():
    import json
    import random

    from logboek.vastleggen import _may_hold_bsn, scrub

    # Texts made mostly of digits and what may stand between and around them; whenever
    # scrubbing would change one, the quick check must say it may hold a BSN.
    pieces = ["1", "2", "3", "8", "0", "9", " ", ".", "a", "B", "é", "\n", '"', "\\", "\x01", "٣"]
    weights = [12, 12, 12, 12, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1]
    rng = random.Random(23)
    changed = 0
    for _ in range(20000):
        text = "".join(rng.choices(pieces, weights, k=rng.randint(9, 16)))
        value = {"notitie": text} if rng.random() < 0.8 else {text: "sleutel"}
        if scrub(value) != value:
            changed += 1
            assert _may_hold_bsn(json.dumps(value, ensure_ascii=False)), value
    assert changed > 100  # the texts did hold BSNs


def test_reading_a_trail_is_logged(api_client):
    from logboek.models import Handeling, Verwerking

    partij = make_partij()
    url = f"{API}/partijen/{partij.uuid}"
    api_client.patch(url, {"interneNotitie": "x"}, format="json")
    [record] = trail(api_client, url)
    api_client.get(f"{url}/audittrail/{record['uuid']}")

    reads = Handeling.objects.filter(naam__startswith="partijen.audittrail").order_by("id")
    assert [h.naam for h in reads] == ["partijen.audittrail", "partijen.audittrail_detail"]
    for handeling in reads:
        assert list(
            Verwerking.objects.filter(handeling=handeling).values_list("subject_uuid", flat=True)
        ) == [partij.uuid]


def test_a_representation_is_stored_scrubbed_wherever_its_bsn_is():
    import json

    from logboek.vastleggen import _json, scrub

    # The stored text is only walked through when it holds nine digits somewhere: each of
    # these must still be found, also where JSON escapes what stands before it.
    for value in (
        {"notitie": f"regel\n{BSN}"},
        {"notitie": f"\u2003{BSN}"},
        {BSN: "als sleutel"},
        {"lijst": [{"diep": f"bsn {BSN[:3]} {BSN[3:6]} {BSN[6:]}"}]},
        {"punten": f"{BSN[:3]}.{BSN[3:6]}.{BSN[6:]}"},
        {"notitie": f"é{BSN}ë"},
        {"notitie": f"\x01{BSN}\x7f"},
        {"notitie": f'\\{BSN}"', "tab": f"\t{BSN}"},
        {"getal": 4, "notitie": BSN},
    ):
        stored = _json(value)
        assert stored == json.dumps(scrub(value))
        assert BSN not in stored and "hmac-sha256:" in stored, value
    # Without nine digits the text is the representation as it is; nor are nine digits
    # within a longer number (a klantcontact's nummer) a BSN.
    for value in (
        {"url": "http://x/c0ffee11-1222-4333-8abc-a1b2c3d4e5f6", "telefoon": "06-1234"},
        {"nummer": f"0{BSN}", "ander": f"{BSN}7", "iban": f"NL91ABNA0{BSN}"},
    ):
        assert json.loads(_json(value)) == value
        assert scrub(value) == value
    assert _json(None) is None
