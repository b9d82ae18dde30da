"""Klantcontacten and interne taken accept and refuse what the reference does.

referentienummer: an integer of at most 10 characters, unique, "" and null for none (sent
back as null); a succeeded contact needs no further action; `hadBetrokkene__wasPartij`;
`maak-klantcontact` always answers with its three keys.
"""

import pytest

from klantcontacten.models import Klantcontact
from taken.models import InterneTaak
from tests.taken.factories import make_internetaak, make_medewerker

from .factories import make_betrokkene, make_klantcontact, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
KLANTCONTACT = {
    "kanaal": "telefoon",
    "onderwerp": "Afvalpas",
    "taal": "nld",
    "vertrouwelijk": False,
}


def names(response) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json()["invalidParams"]]


def taak_body(**fields) -> dict:
    return {
        "gevraagdeHandeling": "Terugbellen",
        "aanleidinggevendKlantcontact": {"uuid": str(make_klantcontact().uuid)},
        "toegewezenAanActoren": [{"uuid": str(make_medewerker().uuid)}],
        "status": "te_verwerken",
        **fields,
    }


RESOURCES = {
    "klantcontacten": (lambda **f: {**KLANTCONTACT, **f}, Klantcontact),
    "internetaken": (taak_body, InterneTaak),
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
@pytest.mark.parametrize(
    ("value", "code"),
    [("abc", "invalid"), ("12a", "invalid"), ("12345678901", "max_length"), ("1 2", "invalid")],
)
def test_a_referentienummer_that_is_not_a_number_is_refused(api_client, resource, value, code):
    body, model = RESOURCES[resource]

    response = api_client.post(f"{API}/{resource}", body(referentienummer=value), format="json")

    assert response.status_code == 400
    assert ("referentienummer", code) in names(response)
    assert not model.objects.filter(referentienummer=value).exists()


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_a_referentienummer_is_unique(api_client, resource):
    body, model = RESOURCES[resource]
    first = api_client.post(f"{API}/{resource}", body(referentienummer="4711"), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["referentienummer"] == "4711"

    again = api_client.post(f"{API}/{resource}", body(referentienummer="4711"), format="json")

    assert again.status_code == 400
    assert names(again) == [("referentienummer", "unique")]
    assert model.objects.filter(referentienummer="4711").count() == 1
    # Its own, sent back unchanged, is no clash.
    url = first.json()["url"]
    assert api_client.patch(url, {"referentienummer": "4711"}, format="json").status_code == 200


@pytest.mark.parametrize("resource", sorted(RESOURCES))
@pytest.mark.parametrize("none", ["", None], ids=["empty", "null"])
def test_no_referentienummer_is_null_and_may_repeat(api_client, resource, none):
    body, _ = RESOURCES[resource]
    for _ in range(2):
        response = api_client.post(f"{API}/{resource}", body(referentienummer=none), format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["referentienummer"] is None
    listed = api_client.get(f"{API}/{resource}").json()["results"]
    assert {item["referentienummer"] for item in listed} == {None}


def test_a_referentienummer_stored_twice_may_be_sent_back(api_client):
    make_klantcontact(referentienummer="12")
    tweede = make_klantcontact(referentienummer="12")

    response = api_client.patch(
        f"{API}/klantcontacten/{tweede.uuid}", {"referentienummer": "12"}, format="json"
    )

    assert response.status_code == 200, response.json()


def test_the_referentienummer_of_a_taak_is_null_when_none(api_client):
    taak = make_internetaak()

    assert api_client.get(f"{API}/internetaken/{taak.uuid}").json()["referentienummer"] is None


GELUKT_EN_ACTIE = "no-further-action-when-contact-succesful"


def test_a_succeeded_contact_with_further_action_is_refused(api_client):
    body = {**KLANTCONTACT, "indicatieContactGelukt": True, "verdereActieOndernomen": True}

    response = api_client.post(f"{API}/klantcontacten", body, format="json")

    assert response.status_code == 400
    assert [p["code"] for p in response.json()["invalidParams"]] == [GELUKT_EN_ACTIE]
    assert not Klantcontact.objects.exists()


@pytest.mark.parametrize(
    ("stored", "patch"),
    [
        ({"indicatie_contact_gelukt": True}, {"verdereActieOndernomen": True}),
        ({"verdere_actie_ondernomen": True}, {"indicatieContactGelukt": True}),
    ],
)
def test_a_patch_is_judged_with_the_stored_values(api_client, stored, patch):
    klantcontact = make_klantcontact(**stored)

    response = api_client.patch(f"{API}/klantcontacten/{klantcontact.uuid}", patch, format="json")

    assert response.status_code == 400
    assert [p["code"] for p in response.json()["invalidParams"]] == [GELUKT_EN_ACTIE]


def test_a_put_without_verdere_actie_sets_it_to_false(api_client):
    klantcontact = make_klantcontact(verdere_actie_ondernomen=True)
    body = {**KLANTCONTACT, "indicatieContactGelukt": True}

    response = api_client.put(f"{API}/klantcontacten/{klantcontact.uuid}", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["verdereActieOndernomen"] is False


def test_maak_klantcontact_refuses_a_succeeded_contact_with_further_action(api_client):
    body = {
        "klantcontact": {
            **KLANTCONTACT,
            "indicatieContactGelukt": True,
            "verdereActieOndernomen": True,
        }
    }

    response = api_client.post(f"{API}/maak-klantcontact", body, format="json")

    assert response.status_code == 400
    assert [p["code"] for p in response.json()["invalidParams"]] == [GELUKT_EN_ACTIE]
    assert [p["name"] for p in response.json()["invalidParams"]][0].startswith("klantcontact")
    assert not Klantcontact.objects.exists()


@pytest.mark.parametrize(
    "parts",
    [{}, {"betrokkene": None, "onderwerpobject": None}],
    ids=["left-out", "null"],
)
def test_maak_klantcontact_answers_with_its_three_keys(api_client, parts):
    response = api_client.post(
        f"{API}/maak-klantcontact", {"klantcontact": KLANTCONTACT, **parts}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert list(body) == ["klantcontact", "betrokkene", "onderwerpobject"]
    assert body["betrokkene"] is None and body["onderwerpobject"] is None


def test_had_betrokkene_was_partij_false_lists_contacts_without_a_partij(api_client):
    met_partij = make_betrokkene(partij=make_partij()).klantcontact
    zonder_partij = make_betrokkene().klantcontact
    gemengd = make_betrokkene(partij=make_partij()).klantcontact
    make_betrokkene(gemengd)
    zonder_betrokkenen = make_klantcontact()

    def listed(value):
        response = api_client.get(f"{API}/klantcontacten", {"hadBetrokkene__wasPartij": value})
        assert response.status_code == 200, response.json()
        return {item["uuid"] for item in response.json()["results"]}

    assert listed("false") == {str(zonder_partij.uuid), str(zonder_betrokkenen.uuid)}
    assert listed("true") == {str(met_partij.uuid), str(gemengd.uuid)}
