"""CRUD and validation of /klantcontacten."""

import json
import uuid
from datetime import datetime

import pytest

from klantcontacten.models import Klantcontact

from .factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_bijlage,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
)

pytestmark = pytest.mark.django_db

LIST = "/klantinteracties/api/v1/klantcontacten"


def detail(obj) -> str:
    return f"{LIST}/{obj.uuid}"


def body(**overrides) -> dict:
    data = {
        "kanaal": "telefoon",
        "onderwerp": "Vraag over de afvalpas",
        "inhoud": "Burger belt over zijn afvalpas.",
        "taal": "nld",
        "vertrouwelijk": False,
    }
    data.update(overrides)
    return data


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.json()
    return {param["name"] for param in response.json()["invalidParams"]}


def test_create_generates_nummer_and_returns_contract_fields(api_client):
    response = api_client.post(LIST, body(), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    contact = Klantcontact.objects.get()
    assert data["uuid"] == str(contact.uuid)
    assert data["url"] == f"http://testserver{LIST}/{contact.uuid}"
    assert data["nummer"] == contact.nummer and len(contact.nummer) == 10
    assert data["hadBetrokkenen"] == []
    assert data["hadBetrokkenActoren"] == []
    assert data["gingOverOnderwerpobjecten"] == []
    assert data["omvatteBijlagen"] == []
    assert data["leiddeTotInterneTaken"] == []
    assert data["metadata"] == {}
    assert data["verdereActieOndernomen"] is False
    assert data["indicatieContactGelukt"] is None
    assert data["plaatsgevondenOp"]


@pytest.mark.parametrize("nummer", [None, ""])
def test_empty_nummer_means_generated(api_client, nummer):
    first = api_client.post(LIST, body(nummer=nummer), format="json")
    second = api_client.post(LIST, body(nummer=nummer), format="json")

    assert first.status_code == second.status_code == 201
    assert first.json()["nummer"] and second.json()["nummer"]
    assert first.json()["nummer"] != second.json()["nummer"]
    assert not Klantcontact.objects.filter(nummer="").exists()


def test_client_chosen_nummer_must_be_unique(api_client):
    assert api_client.post(LIST, body(nummer="0000000777"), format="json").status_code == 201

    response = api_client.post(LIST, body(nummer="0000000777"), format="json")

    assert invalid_names(response) == {"nummer"}
    assert response.json()["invalidParams"][0]["code"] == "unique"


def test_update_without_nummer_keeps_it(api_client):
    contact = make_klantcontact(nummer="0000000042")

    response = api_client.put(detail(contact), body(nummer=""), format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["nummer"] == "0000000042"


def test_retrieve_lists_relations_as_references(api_client):
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact)
    onderwerpobject = make_onderwerpobject(klantcontact=contact)
    bijlage = make_bijlage(klantcontact=contact)
    taak = make_interne_taak(contact)

    data = api_client.get(detail(contact)).json()

    base = "http://testserver/klantinteracties/api/v1"
    assert data["hadBetrokkenen"] == [
        {"uuid": str(betrokkene.uuid), "url": f"{base}/betrokkenen/{betrokkene.uuid}"}
    ]
    assert data["gingOverOnderwerpobjecten"] == [
        {
            "uuid": str(onderwerpobject.uuid),
            "url": f"{base}/onderwerpobjecten/{onderwerpobject.uuid}",
        }
    ]
    assert data["omvatteBijlagen"] == [
        {"uuid": str(bijlage.uuid), "url": f"{base}/bijlagen/{bijlage.uuid}"}
    ]
    assert data["leiddeTotInterneTaken"] == [
        {"uuid": str(taak.uuid), "url": f"{base}/internetaken/{taak.uuid}"}
    ]


def test_had_betrokken_actoren_are_full_actor_objects(api_client):
    contact = make_klantcontact()
    actor = make_actor(naam="Anja")
    make_actor_klantcontact(actor, contact)

    actoren = api_client.get(detail(contact)).json()["hadBetrokkenActoren"]

    assert len(actoren) == 1
    assert actoren[0]["uuid"] == str(actor.uuid)
    assert actoren[0]["naam"] == "Anja"


def test_list_is_newest_first(api_client):
    oud = make_klantcontact(plaatsgevonden_op="2024-01-01T10:00:00Z")
    nieuw = make_klantcontact(plaatsgevonden_op="2025-01-01T10:00:00Z")
    midden = make_klantcontact(plaatsgevonden_op="2024-06-01T10:00:00Z")

    data = api_client.get(LIST).json()

    assert data["count"] == 3
    assert [r["uuid"] for r in data["results"]] == [
        str(nieuw.uuid),
        str(midden.uuid),
        str(oud.uuid),
    ]


def test_list_item_equals_detail(api_client):
    contact = make_klantcontact()
    make_betrokkene(contact)

    assert api_client.get(LIST).json()["results"][0] == api_client.get(detail(contact)).json()


def test_verdere_actie_ondernomen_defaults_to_false_as_the_contract_says(api_client):
    created = api_client.post(LIST, body(verdereActieOndernomen=True), format="json")
    assert created.json()["verdereActieOndernomen"] is True
    contact = Klantcontact.objects.get(uuid=created.json()["uuid"])

    # PATCH leaves it alone; a PUT without it replaces it with the default.
    patched = api_client.patch(detail(contact), {"onderwerp": "Nieuw"}, format="json")
    assert patched.json()["verdereActieOndernomen"] is True
    replaced = api_client.put(detail(contact), body(), format="json")
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["verdereActieOndernomen"] is False
    contact.refresh_from_db()
    assert contact.verdere_actie_ondernomen is False
    assert api_client.post(LIST, body(), format="json").json()["verdereActieOndernomen"] is False


def test_patch_changes_only_given_fields(api_client):
    contact = make_klantcontact(onderwerp="Oud", inhoud="blijft")

    response = api_client.patch(detail(contact), {"onderwerp": "Nieuw"}, format="json")

    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.onderwerp, contact.inhoud) == ("Nieuw", "blijft")


def test_delete_removes_contact_and_its_parts(api_client):
    contact = make_klantcontact()
    make_betrokkene(contact)
    make_onderwerpobject(klantcontact=contact)
    make_bijlage(klantcontact=contact)

    response = api_client.delete(detail(contact))

    assert response.status_code == 204
    assert not Klantcontact.objects.exists()
    assert contact.betrokkenen.count() == 0
    assert api_client.get(detail(contact)).status_code == 404


def test_unknown_uuid_is_404(api_client):
    assert api_client.get(f"{LIST}/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(
    "overrides, name",
    [
        ({"kanaal": None}, "kanaal"),
        ({"kanaal": "x" * 51}, "kanaal"),
        ({"onderwerp": ""}, "onderwerp"),
        ({"onderwerp": "x" * 201}, "onderwerp"),
        ({"inhoud": "x" * 1001}, "inhoud"),
        ({"reactie": "x" * 4001}, "reactie"),
        ({"taal": "nl"}, "taal"),
        ({"taal": "NLD"}, "taal"),
        ({"taal": "nederlands"}, "taal"),
        ({"vertrouwelijk": "misschien"}, "vertrouwelijk"),
        ({"indicatieContactGelukt": "ja"}, "indicatieContactGelukt"),
        ({"verdereActieOndernomen": "ja"}, "verdereActieOndernomen"),
        ({"hoofdOnderwerpType": "geen-url"}, "hoofdOnderwerpType"),
        ({"hoofdOnderwerpType": "https://example.com/" + "x" * 200}, "hoofdOnderwerpType"),
        ({"plaatsgevondenOp": "gisteren"}, "plaatsgevondenOp"),
        ({"nummer": "12345678901"}, "nummer"),
        ({"referentienummer": "12345678901"}, "referentienummer"),
        ({"metadata": {"bron": "x" * 256}}, "metadata.bron"),
        ({"metadata": {"aantal": 5}}, "metadata.aantal"),
        ({"metadata": ["geen", "object"]}, "metadata"),
        ({"metadata": {"a\u0000b": "x"}}, "metadata"),
    ],
)
def test_field_validation(api_client, overrides, name):
    response = api_client.post(LIST, body(**overrides), format="json")

    assert invalid_names(response) == {name}
    assert not Klantcontact.objects.exists()


@pytest.mark.parametrize("key", ["a\u0000b", "\ud800"])
def test_metadata_key_postgresql_cannot_store_is_a_400(api_client, key):
    raw = json.dumps(body(metadata={key: "x"}))
    response = api_client.post(LIST, raw, content_type="application/json")

    assert invalid_names(response) == {"metadata"}
    assert not Klantcontact.objects.exists()


def test_required_fields(api_client):
    response = api_client.post(LIST, {}, format="json")

    assert invalid_names(response) == {"kanaal", "onderwerp", "taal", "vertrouwelijk"}


def test_patch_validates_like_post(api_client):
    contact = make_klantcontact()

    response = api_client.patch(detail(contact), {"reactie": "x" * 4001}, format="json")

    assert invalid_names(response) == {"reactie"}


def test_metadata_and_optional_fields_round_trip(api_client):
    response = api_client.post(
        LIST,
        body(
            metadata={"bron": "website", "leeg": ""},
            referentienummer=None,
            reactie="x" * 4000,
            hoofdOnderwerpType="https://catalogi.example.com/zaaktypen/1",
            indicatieContactGelukt=True,
            plaatsgevondenOp="2025-03-01T09:30:00+01:00",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["metadata"] == {"bron": "website", "leeg": ""}
    assert data["referentienummer"] is None
    assert len(data["reactie"]) == 4000
    assert data["indicatieContactGelukt"] is True
    assert datetime.fromisoformat(data["plaatsgevondenOp"]) == datetime.fromisoformat(
        "2025-03-01T08:30:00+00:00"
    )


@pytest.mark.parametrize("sql_json", [True, False])
def test_no_hoofd_onderwerp_type_is_sent_as_empty(api_client, settings, sql_json):
    # As the reference sends it; our contract documents "" beside `format: uri` (an anyOf).
    settings.SQL_JSON_LISTS = sql_json
    created = api_client.post(LIST, body(hoofdOnderwerpType=""), format="json")
    assert created.status_code == 201, created.json()
    given = api_client.post(
        LIST, body(hoofdOnderwerpType="https://catalogi.example.com/zaaktypen/1"), format="json"
    ).json()

    assert created.json()["hoofdOnderwerpType"] == ""
    assert api_client.get(created.json()["url"]).json()["hoofdOnderwerpType"] == ""
    rows = {row["uuid"]: row for row in api_client.get(LIST).json()["results"]}
    assert rows[created.json()["uuid"]]["hoofdOnderwerpType"] == ""
    assert rows[given["uuid"]]["hoofdOnderwerpType"] == "https://catalogi.example.com/zaaktypen/1"


@pytest.mark.parametrize("sql_json", [True, False])
def test_moment_before_1970_is_given_in_utc(api_client, settings, sql_json):
    # Amsterdam kept +00:19:32 until 1937 (not RFC 3339); tz database builds differ before 1970.
    settings.SQL_JSON_LISTS = sql_json
    created = api_client.post(
        LIST, body(plaatsgevondenOp="1930-01-01T10:00:00+01:00"), format="json"
    )
    assert created.status_code == 201, created.json()
    recent = api_client.post(
        LIST, body(plaatsgevondenOp="2025-01-15T10:00:00+01:00"), format="json"
    ).json()

    rows = {row["uuid"]: row for row in api_client.get(LIST).json()["results"]}
    for data in (
        created.json(),
        api_client.get(created.json()["url"]).json(),
        rows[created.json()["uuid"]],
    ):
        assert data["plaatsgevondenOp"] == "1930-01-01T09:00:00Z"
    assert rows[recent["uuid"]]["plaatsgevondenOp"] == "2025-01-15T10:00:00+01:00"


@pytest.mark.parametrize(
    "path, payload",
    [
        ("klantcontacten", lambda moment: body(plaatsgevondenOp=moment)),
        (
            "maak-klantcontact",
            lambda moment: {"klantcontact": body(plaatsgevondenOp=moment), "betrokkene": None},
        ),
    ],
)
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"])
def test_a_moment_outside_the_years_1_to_9999_in_utc_is_400(api_client, path, payload, moment):
    response = api_client.post(f"/klantinteracties/api/v1/{path}", payload(moment), format="json")

    assert response.status_code == 400, response.content
    [param] = response.json()["invalidParams"]
    assert param["name"].endswith("plaatsgevondenOp")
    assert param["code"] == "overflow"
    assert not Klantcontact.objects.exists()


@pytest.mark.parametrize(
    "given, shown",
    [
        ("2024-03-31T02:30:00", "2024-03-31T03:30:00+02:00"),  # skipped by the clocks
        ("2024-10-27T02:30:00", "2024-10-27T02:30:00+02:00"),  # twice: the first
        ("2024-06-01T12:00:00", "2024-06-01T12:00:00+02:00"),
    ],
)
def test_a_local_time_is_answered_as_it_is_read_back(api_client, given, shown):
    created = api_client.post(LIST, body(plaatsgevondenOp=given), format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["plaatsgevondenOp"] == shown
    assert api_client.get(created.json()["url"]).json()["plaatsgevondenOp"] == shown


def test_read_only_relations_in_body_are_ignored(api_client):
    response = api_client.post(
        LIST, body(hadBetrokkenen=[{"uuid": str(uuid.uuid4())}], onbekend=1), format="json"
    )

    assert response.status_code == 201
    assert response.json()["hadBetrokkenen"] == []


@pytest.mark.parametrize("nummer", ["abc", "KC-1", "12 34", "١٢٣"])
def test_a_client_chosen_nummer_is_digits(api_client, nummer):
    response = api_client.post(LIST, body(nummer=nummer), format="json")

    assert invalid_names(response) == {"nummer"}
    assert not Klantcontact.objects.exists()


def test_a_nummer_stored_by_an_earlier_version_can_be_sent_back(api_client):
    contact = make_klantcontact(nummer="KC-1")

    same = api_client.put(detail(contact), body(nummer="KC-1"), format="json")
    other = api_client.patch(detail(contact), {"nummer": "KC-2"}, format="json")

    assert same.status_code == 200, same.json()
    assert invalid_names(other) == {"nummer"}
