"""What KISS (the KCC front-end) sends for its medewerkers and contactmomenten works unchanged.

KISS registers the medewerker who took a call as an actor without `actorIdentificatie` and
with a field of its own (`medewerkerIdentificatie`), then the klantcontact and the link
between the two. Inactive actoren may be linked and assigned work, as in the reference.
"""

import pytest

from taken.models import Actor

from .factories import API, make_internetaak, make_klantcontact, make_medewerker, ref

pytestmark = pytest.mark.django_db

KISS_ACTOR = {
    "naam": "Sanne de Vries",
    "soortActor": "medewerker",
    "indicatieActief": True,
    "actoridentificator": {
        "objectId": "sanne@gemeente.nl",
        "codeObjecttype": "mdw",
        "codeRegister": "msei",
        "codeSoortObjectId": "email",
    },
    "medewerkerIdentificatie": {
        "identificatie": "sanne@gemeente.nl",
        "achternaam": "de Vries",
        "voorletters": "S",
        "voorvoegselAchternaam": "",
    },
}


def test_kiss_registers_a_contactmoment_with_its_medewerker(api_client):
    actor = api_client.post(f"{API}/actoren", KISS_ACTOR, format="json")
    assert actor.status_code == 201, actor.json()
    assert actor.json()["actorIdentificatie"] is None
    assert actor.json()["actoridentificator"]["objectId"] == "sanne@gemeente.nl"

    klantcontact = api_client.post(
        f"{API}/klantcontacten",
        {
            "kanaal": "telefoon",
            "onderwerp": "Vraag over afvalpas",
            "inhoud": "Beller vraagt naar de afvalpas.",
            "indicatieContactGelukt": True,
            "taal": "nld",
            "vertrouwelijk": False,
            "plaatsgevondenOp": "2026-12-07T09:30:00+01:00",
        },
        format="json",
    )
    assert klantcontact.status_code == 201, klantcontact.json()

    link = api_client.post(
        f"{API}/actorklantcontacten",
        {
            "actor": {"uuid": actor.json()["uuid"]},
            "klantcontact": {"uuid": klantcontact.json()["uuid"]},
        },
        format="json",
    )
    assert link.status_code == 201, link.json()
    detail = api_client.get(klantcontact.json()["url"]).json()
    assert [a["uuid"] for a in detail["hadBetrokkenActoren"]] == [actor.json()["uuid"]]


@pytest.mark.parametrize("identificatie", [None, {}], ids=["null", "empty"])
@pytest.mark.parametrize(
    "soort", ["medewerker", "geautomatiseerde_actor", "organisatorische_eenheid"]
)
def test_an_actor_without_identificatie_is_created_with_none(api_client, soort, identificatie):
    body = {"naam": "Zonder", "soortActor": soort, "actorIdentificatie": identificatie}

    response = api_client.post(f"{API}/actoren", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["actorIdentificatie"] is None
    listed = api_client.get(f"{API}/actoren").json()["results"]
    assert listed == [response.json()]


def test_identificatie_keys_that_are_given_are_validated_for_the_soort(api_client):
    body = {"naam": "Jan", "soortActor": "medewerker", "actorIdentificatie": {"functie": "KCC"}}

    response = api_client.post(f"{API}/actoren", body, format="json")

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [
        "actorIdentificatie.telefoonnummer"
    ]
    assert not Actor.objects.exists()


def test_an_update_without_identificatie_keeps_it_and_null_clears_it(api_client):
    actor = make_medewerker()
    url = f"{API}/actoren/{actor.uuid}"
    stored = api_client.get(url).json()["actorIdentificatie"]
    assert stored["telefoonnummer"]

    put = api_client.put(url, {"naam": "Nieuw", "soortActor": "medewerker"}, format="json")
    assert put.status_code == 200, put.json()
    assert put.json()["actorIdentificatie"] == stored

    patch = api_client.patch(url, {"actorIdentificatie": None}, format="json")
    assert patch.status_code == 200, patch.json()
    assert patch.json()["actorIdentificatie"] is None
    actor.refresh_from_db()
    assert (actor.functie, actor.telefoonnummer, actor.emailadres) == ("", "", "")


@pytest.mark.parametrize("nummer", ["0800123456", "0900123456", "+31800123456"])
def test_a_medewerkers_service_number_is_refused(api_client, nummer):
    body = {
        "naam": "Jan",
        "soortActor": "medewerker",
        "actorIdentificatie": {"functie": "KCC", "telefoonnummer": nummer},
    }

    response = api_client.post(f"{API}/actoren", body, format="json")

    assert response.status_code == 400, response.json()
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [
        ("actorIdentificatie.telefoonnummer", "invalid")
    ]


def test_a_stored_service_number_may_be_sent_back(api_client):
    actor = make_medewerker(telefoonnummer="0800123456")
    url = f"{API}/actoren/{actor.uuid}"
    body = api_client.get(url).json()

    response = api_client.put(url, {**body, "naam": "Hernoemd"}, format="json")

    assert response.status_code == 200, response.json()


def test_an_inactive_actor_can_be_linked_and_assigned_work(api_client):
    inactief = make_medewerker(indicatie_actief=False)
    klantcontact = make_klantcontact()

    link = api_client.post(
        f"{API}/actorklantcontacten",
        {"actor": ref("actoren", inactief), "klantcontact": ref("klantcontacten", klantcontact)},
        format="json",
    )
    taak = api_client.post(
        f"{API}/internetaken",
        {
            "gevraagdeHandeling": "Terugbellen",
            "aanleidinggevendKlantcontact": ref("klantcontacten", klantcontact),
            "toegewezenAanActoren": [ref("actoren", inactief)],
            "status": "te_verwerken",
        },
        format="json",
    )
    reassigned = api_client.patch(
        f"{API}/internetaken/{make_internetaak(make_medewerker()).uuid}",
        {"toegewezenAanActoren": [ref("actoren", inactief)]},
        format="json",
    )

    assert link.status_code == 201, link.json()
    assert taak.status_code == 201, taak.json()
    assert reassigned.status_code == 200, reassigned.json()
