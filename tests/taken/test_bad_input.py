"""Bad input on any field of the taken resources is a 400, never a 500."""

import pytest

from .factories import API, make_internetaak, make_klantcontact, make_medewerker

pytestmark = pytest.mark.django_db

GARBAGE = [None, "", "x", 1, -1, 1.5, True, [], [1], {}, {"uuid": None}, "\x00", "é" * 5000]


def internetaak_body() -> dict:
    return {
        "aanleidinggevendKlantcontact": {"uuid": str(make_klantcontact().uuid)},
        "toegewezenAanActoren": [{"uuid": str(make_medewerker().uuid)}],
        "gevraagdeHandeling": "Terugbellen",
        "status": "te_verwerken",
    }


@pytest.mark.parametrize("value", GARBAGE, ids=repr)
@pytest.mark.parametrize(
    "field",
    [
        "nummer",
        "referentienummer",
        "gevraagdeHandeling",
        "aanleidinggevendKlantcontact",
        "toegewezenAanActor",
        "toegewezenAanActoren",
        "toelichting",
        "status",
        "afgehandeldOp",
    ],
)
def test_internetaak_fields(api_client, field, value):
    taak = make_internetaak()
    body = {**internetaak_body(), field: value}

    for method, url in (
        ("post", f"{API}/internetaken"),
        ("put", f"{API}/internetaken/{taak.uuid}"),
        ("patch", f"{API}/internetaken/{taak.uuid}"),
    ):
        response = getattr(api_client, method)(url, body, format="json")
        assert response.status_code in (200, 201, 400), (method, response.content[:300])


@pytest.mark.parametrize("value", GARBAGE, ids=repr)
@pytest.mark.parametrize(
    "field",
    ["naam", "soortActor", "indicatieActief", "actoridentificator", "actorIdentificatie"],
)
def test_actor_fields(api_client, field, value):
    actor = make_medewerker()
    body = {
        "naam": "A",
        "soortActor": "medewerker",
        "actorIdentificatie": {"functie": "f", "telefoonnummer": "0612345678"},
        field: value,
    }

    for method, url in (
        ("post", f"{API}/actoren"),
        ("put", f"{API}/actoren/{actor.uuid}"),
        ("patch", f"{API}/actoren/{actor.uuid}"),
    ):
        response = getattr(api_client, method)(url, body, format="json")
        assert response.status_code in (200, 201, 400), (method, response.content[:300])


@pytest.mark.parametrize("body", [[], "x", None, 1])
@pytest.mark.parametrize("resource", ["actoren", "internetaken", "actorklantcontacten"])
def test_non_object_bodies(api_client, resource, body):
    response = api_client.post(f"{API}/{resource}", body, format="json")

    assert response.status_code == 400
