"""/actoren: polymorphic actorIdentificatie per soortActor, CRUD and filters."""

import pytest

from taken.models import Actor

from .factories import API, make_internetaak, make_medewerker, make_team, spec_errors

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
        "telefoonnummer": "0612345678",
    }
    assert spec_errors("Actor", data) == []


def test_team_without_optional_values_validates_against_spec(api_client):
    response = api_client.post(
        URL, {"naam": "Team", "soortActor": "organisatorische_eenheid"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["actorIdentificatie"] == {"omschrijving": "", "faxnummer": ""}
    assert spec_errors("Actor", response.json()) == []


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


def test_medewerker_without_identificatie_is_400(api_client):
    body = {k: v for k, v in MEDEWERKER.items() if k != "actorIdentificatie"}

    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "actorIdentificatie.functie" in names(response)


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


def test_patch_soort_revalidates_stored_identificatie(api_client):
    team = make_team()

    response = api_client.patch(f"{URL}/{team.uuid}", {"soortActor": "medewerker"}, format="json")

    assert response.status_code == 400
    assert names(response) == {"actorIdentificatie.functie", "actorIdentificatie.telefoonnummer"}
    team.refresh_from_db()
    assert team.soort_actor == "organisatorische_eenheid"


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
        "telefoonnummer": "0612345678",
    }
    team.refresh_from_db()
    assert (team.faxnummer, team.omschrijving) == ("", "")


def test_patch_soort_keeps_values_valid_for_the_new_soort(api_client):
    actor = make_medewerker(functie="Archiveren")

    response = api_client.patch(
        f"{URL}/{actor.uuid}", {"soortActor": "geautomatiseerde_actor"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["actorIdentificatie"] == {"functie": "Archiveren", "omschrijving": ""}
    assert spec_errors("Actor", response.json()) == []


def test_put_replaces_actor_and_validates_new_soort(api_client):
    actor = make_medewerker()

    bad = api_client.put(
        f"{URL}/{actor.uuid}", {**SYSTEEM, "actorIdentificatie": {}}, format="json"
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


def test_list_items_equal_detail_and_validate(api_client):
    make_medewerker()
    make_team()

    results = api_client.get(URL).json()["results"]

    assert len(results) == 2
    for item in results:
        assert api_client.get(item["url"]).json() == item
        assert spec_errors("Actor", item) == []


def test_empty_optional_values_are_accepted_and_left_out(api_client):
    response = api_client.post(
        URL,
        {**TEAM, "actorIdentificatie": {"emailadres": "", "telefoonnummer": "", "faxnummer": ""}},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["actorIdentificatie"] == {"omschrijving": "", "faxnummer": ""}
    assert spec_errors("Actor", response.json()) == []


def test_medewerker_with_empty_telefoonnummer_is_400(api_client):
    body = {**MEDEWERKER, "actorIdentificatie": {"functie": "f", "telefoonnummer": ""}}

    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "actorIdentificatie.telefoonnummer"


def test_options_on_list_and_detail(api_client):
    actor = make_medewerker()

    assert api_client.options(URL).status_code == 200
    assert api_client.options(f"{URL}/{actor.uuid}").status_code == 200
