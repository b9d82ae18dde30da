"""/actoren: polymorphic actorIdentificatie per soortActor, CRUD and filters."""

import pytest

from taken.models import Actor

from .factories import (
    API,
    make_internetaak,
    make_medewerker,
    make_team,
    our_spec_errors,
    spec_errors,
)

pytestmark = pytest.mark.django_db

URL = f"{API}/actoren"

MEDEWERKER = {
    "naam": "Jan de Vries",
    "soortActor": "medewerker",
    "indicatieActief": True,
    "actoridentificator": {
        "objectId": "jdv01",
        "codeObjecttype": "mdw",
        "codeRegister": "ldap",
        "codeSoortObjectId": "gebruikersnaam",
    },
    "actorIdentificatie": {
        "functie": "KCC-medewerker",
        "emailadres": "jan@example.nl",
        "telefoonnummer": "0612345678",
    },
}
TEAM = {
    "naam": "Team vergunningen",
    "soortActor": "organisatorische_eenheid",
    "actorIdentificatie": {
        "omschrijving": "Behandelt vergunningen",
        "emailadres": "vergunningen@example.nl",
        "faxnummer": "0201234567",
        "telefoonnummer": "+31201234567",
    },
}
SYSTEEM = {
    "naam": "Zaaksysteem",
    "soortActor": "geautomatiseerde_actor",
    "actorIdentificatie": {"functie": "Zaken aanmaken", "omschrijving": "Koppeling"},
}


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


@pytest.mark.parametrize("body", [MEDEWERKER, TEAM, SYSTEEM], ids=lambda b: b["soortActor"])
def test_create_each_soort_round_trips(api_client, body):
    response = api_client.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["soortActor"] == body["soortActor"]
    assert data["actorIdentificatie"] == body["actorIdentificatie"]
    assert data["url"] == f"http://testserver{URL}/{data['uuid']}"
    assert spec_errors("Actor", data) == []
    assert api_client.get(data["url"]).json() == data


def test_response_has_only_the_fields_of_its_soort(api_client):
    # Columns of another soort (left over in the row) never leak into the identificatie.
    actor = make_medewerker(faxnummer="0201234567", omschrijving="oud")

    data = api_client.get(f"{URL}/{actor.uuid}").json()

    assert data["actorIdentificatie"] == {
        "functie": "KCC-medewerker",
        "emailadres": "",
        "telefoonnummer": "0612345678",
    }
    assert our_spec_errors("Actor", data) == []


def test_team_without_identificatie_has_null_and_validates_against_spec(api_client):
    response = api_client.post(
        URL, {"naam": "Team", "soortActor": "organisatorische_eenheid"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["actorIdentificatie"] is None
    assert our_spec_errors("Actor", response.json()) == []


def test_medewerker_with_identificatie_of_other_soort_is_400(api_client):
    body = {**MEDEWERKER, "actorIdentificatie": TEAM["actorIdentificatie"]}

    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert names(response) >= {
        "actorIdentificatie.faxnummer",
        "actorIdentificatie.omschrijving",
        "actorIdentificatie.functie",
    }
    assert not Actor.objects.exists()


def test_medewerker_requires_functie_and_telefoonnummer(api_client):
    response = api_client.post(
        URL, {**MEDEWERKER, "actorIdentificatie": {"emailadres": "a@example.nl"}}, format="json"
    )

    assert response.status_code == 400
    assert names(response) == {"actorIdentificatie.functie", "actorIdentificatie.telefoonnummer"}
    codes = {p["code"] for p in response.json()["invalidParams"]}
    assert codes == {"required"}


@pytest.mark.parametrize("identificatie", ["absent", None, {}], ids=["absent", "null", "empty"])
def test_medewerker_without_identificatie_is_created_with_null(api_client, identificatie):
    # KISS registers its medewerkers so: nothing of the identificatie is required then.
    body = {k: v for k, v in MEDEWERKER.items() if k != "actorIdentificatie"}
    if identificatie != "absent":
        body["actorIdentificatie"] = identificatie

    response = api_client.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["actorIdentificatie"] is None
    assert our_spec_errors("Actor", data) == []
    assert api_client.get(data["url"]).json() == data
    actor = Actor.objects.get()
    assert (actor.functie, actor.emailadres, actor.telefoonnummer) == ("", "", "")


@pytest.mark.parametrize(
    "identificatie, field",
    [
        ({"functie": "f", "telefoonnummer": "12345"}, "actorIdentificatie.telefoonnummer"),
        (
            {"functie": "f", "telefoonnummer": "0612345678", "emailadres": "x"},
            "actorIdentificatie.emailadres",
        ),
        ({"functie": "f" * 41, "telefoonnummer": "0612345678"}, "actorIdentificatie.functie"),
    ],
)
def test_invalid_identificatie_values_name_the_field(api_client, identificatie, field):
    response = api_client.post(
        URL, {**MEDEWERKER, "actorIdentificatie": identificatie}, format="json"
    )

    assert response.status_code == 400
    assert names(response) == {field}


def test_identificatie_that_is_not_an_object_is_400(api_client):
    response = api_client.post(URL, {**MEDEWERKER, "actorIdentificatie": "x"}, format="json")

    assert response.status_code == 400
    assert names(response) == {"actorIdentificatie"}


def test_unknown_soort_is_400(api_client):
    response = api_client.post(URL, {**MEDEWERKER, "soortActor": "robot"}, format="json")

    assert response.status_code == 400
    assert names(response) == {"soortActor"}


def test_patch_identificatie_keeps_other_values(api_client):
    actor = make_medewerker(emailadres="oud@example.nl")

    response = api_client.patch(
        f"{URL}/{actor.uuid}", {"actorIdentificatie": {"functie": "Teamleider"}}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["actorIdentificatie"] == {
        "functie": "Teamleider",
        "emailadres": "oud@example.nl",
        "telefoonnummer": "0612345678",
    }


def test_patch_invalid_identificatie_is_400(api_client):
    actor = make_medewerker()

    response = api_client.patch(
        f"{URL}/{actor.uuid}", {"actorIdentificatie": {"faxnummer": "1"}}, format="json"
    )

    assert response.status_code == 400
    assert names(response) == {"actorIdentificatie.faxnummer"}


def test_patch_soort_alone_leaves_the_actor_without_identificatie(api_client):
    # As the reference: the new soort has no identificatie until one is sent.
    team = make_team()

    response = api_client.patch(f"{URL}/{team.uuid}", {"soortActor": "medewerker"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["soortActor"] == "medewerker"
    assert response.json()["actorIdentificatie"] is None
    assert our_spec_errors("Actor", response.json()) == []
    team.refresh_from_db()
    assert (team.soort_actor, team.omschrijving) == ("medewerker", "")


def test_patch_soort_validates_a_given_identificatie_for_the_new_soort(api_client):
    team = make_team()

    response = api_client.patch(
        f"{URL}/{team.uuid}",
        {"soortActor": "medewerker", "actorIdentificatie": {"emailadres": "a@example.nl"}},
        format="json",
    )

    assert response.status_code == 400
    assert names(response) == {"actorIdentificatie.functie", "actorIdentificatie.telefoonnummer"}
    team.refresh_from_db()
    assert team.soort_actor == "organisatorische_eenheid"


@pytest.mark.parametrize(
    ("identificatie", "stored"),
    [
        ("absent", ("KCC-medewerker", "jan@example.nl", "0612345678")),
        (None, ("", "", "")),
        ({}, ("", "", "")),
    ],
    ids=["absent-keeps", "null-clears", "empty-clears"],
)
def test_patch_without_identificatie_keeps_and_null_clears(api_client, identificatie, stored):
    actor = make_medewerker(emailadres="jan@example.nl")
    body = {"naam": "Jan"}
    if identificatie != "absent":
        body["actorIdentificatie"] = identificatie

    response = api_client.patch(f"{URL}/{actor.uuid}", body, format="json")

    assert response.status_code == 200, response.json()
    actor.refresh_from_db()
    assert (actor.functie, actor.emailadres, actor.telefoonnummer) == stored
    expected = dict(zip(("functie", "emailadres", "telefoonnummer"), stored, strict=True))
    assert response.json()["actorIdentificatie"] == (expected if any(stored) else None)


def test_patch_soort_with_new_identificatie_clears_old_columns(api_client):
    team = make_team(faxnummer="0201234567")

    response = api_client.patch(
        f"{URL}/{team.uuid}",
        {
            "soortActor": "medewerker",
            "actorIdentificatie": {"functie": "Behandelaar", "telefoonnummer": "0612345678"},
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["actorIdentificatie"] == {
        "functie": "Behandelaar",
        "emailadres": "",
        "telefoonnummer": "0612345678",
    }
    assert our_spec_errors("Actor", response.json()) == []
    team.refresh_from_db()
    assert (team.faxnummer, team.omschrijving) == ("", "")


def test_patch_soort_alone_carries_no_values_over(api_client):
    # A medewerker's functie would fit a geautomatiseerde actor, but values of another soort
    # are not carried over: they were never judged by the new soort's rules.
    actor = make_medewerker(functie="Archiveren")

    response = api_client.patch(
        f"{URL}/{actor.uuid}", {"soortActor": "geautomatiseerde_actor"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["actorIdentificatie"] is None
    assert our_spec_errors("Actor", response.json()) == []
    actor.refresh_from_db()
    assert (actor.functie, actor.telefoonnummer) == ("", "")


def test_put_replaces_actor_and_validates_new_soort(api_client):
    actor = make_medewerker()

    bad = api_client.put(
        f"{URL}/{actor.uuid}",
        {**SYSTEEM, "actorIdentificatie": {"omschrijving": "Koppeling"}},
        format="json",
    )
    good = api_client.put(f"{URL}/{actor.uuid}", SYSTEEM, format="json")

    assert bad.status_code == 400
    assert names(bad) == {"actorIdentificatie.functie"}
    assert good.status_code == 200, good.json()
    assert good.json()["soortActor"] == "geautomatiseerde_actor"
    assert good.json()["actorIdentificatie"] == SYSTEEM["actorIdentificatie"]
    actor.refresh_from_db()
    assert actor.telefoonnummer == ""


def test_null_actoridentificator_and_unknown_body_fields_are_accepted(api_client):
    response = api_client.post(
        URL, {**MEDEWERKER, "actoridentificator": None, "onbekend": 1}, format="json"
    )

    assert response.status_code == 201, response.json()


def test_delete_actor(api_client):
    actor = make_medewerker()

    response = api_client.delete(f"{URL}/{actor.uuid}")

    assert response.status_code == 204
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert api_client.get(f"{URL}/{actor.uuid}").status_code == 404


def test_delete_actor_with_taken_is_400(api_client):
    actor = make_medewerker()
    make_internetaak(actor)

    response = api_client.delete(f"{URL}/{actor.uuid}")

    assert response.status_code == 400
    assert Actor.objects.filter(pk=actor.pk).exists()


@pytest.mark.parametrize(
    "param, value",
    [
        ("naam", "vries"),
        ("soortActor", "medewerker"),
        ("indicatieActief", "false"),
        ("actoridentificatorObjectId", "jdv01"),
        ("actoridentificatorCodeObjecttype", "mdw"),
        ("actoridentificatorCodeRegister", "ldap"),
        ("actoridentificatorCodeSoortObjectId", "gebruikersnaam"),
    ],
)
def test_each_filter_narrows(api_client, param, value):
    wanted = make_medewerker(
        naam="Jan de Vries",
        indicatie_actief=False,
        actoridentificator_object_id="jdv01",
        actoridentificator_code_objecttype="mdw",
        actoridentificator_code_register="ldap",
        actoridentificator_code_soort_object_id="gebruikersnaam",
    )
    make_team(naam="Team X")

    response = api_client.get(URL, {param: value})

    assert response.status_code == 200
    assert [a["uuid"] for a in response.json()["results"]] == [str(wanted.uuid)]


def test_unknown_filter_and_bad_choice_are_400(api_client):
    assert api_client.get(URL, {"nam": "x"}).status_code == 400
    assert api_client.get(URL, {"soortActor": "robot"}).status_code == 400


def test_list_items_equal_detail_and_validate(api_client, both_renderings):
    make_medewerker()
    make_team()
    # Only a value of another soort: no identificatie of its own.
    zonder = make_medewerker(functie="", telefoonnummer="", faxnummer="0201234567")

    results = api_client.get(URL).json()["results"]

    assert len(results) == 3
    nulls = {item["uuid"] for item in results if item["actorIdentificatie"] is None}
    assert nulls == {str(zonder.uuid)}
    for item in results:
        assert api_client.get(item["url"]).json() == item
        assert our_spec_errors("Actor", item) == []


def test_empty_optional_values_are_accepted_and_sent_as_empty(api_client):
    empty = {"emailadres": "", "telefoonnummer": "", "faxnummer": ""}
    response = api_client.post(
        URL, {**TEAM, "actorIdentificatie": {"omschrijving": "Team", **empty}}, format="json"
    )
    only_empty = api_client.post(URL, {**TEAM, "actorIdentificatie": empty}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["actorIdentificatie"] == {"omschrijving": "Team", **empty}
    assert our_spec_errors("Actor", response.json()) == []
    # Nothing but empty values: no identificatie at all.
    assert only_empty.status_code == 201, only_empty.json()
    assert only_empty.json()["actorIdentificatie"] is None


def test_medewerker_with_empty_telefoonnummer_is_400(api_client):
    body = {**MEDEWERKER, "actorIdentificatie": {"functie": "f", "telefoonnummer": ""}}

    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "actorIdentificatie.telefoonnummer"


def test_options_on_list_and_detail(api_client):
    actor = make_medewerker()

    assert api_client.options(URL).status_code == 200
    assert api_client.options(f"{URL}/{actor.uuid}").status_code == 200
