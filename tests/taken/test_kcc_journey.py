"""The KCC journey: a contact leads to a taak for a medewerker, who handles it."""

import pytest

from .factories import API, make_klantcontact, make_medewerker, spec_errors

pytestmark = pytest.mark.django_db


def test_klantcontact_to_handled_interne_taak(api_client):
    klantcontact = make_klantcontact()
    medewerker = make_medewerker(naam="Fatima")
    other = make_medewerker(naam="Kees")

    # The KCC front-end sends "nummer": "" on every interne taak.
    created = api_client.post(
        f"{API}/internetaken",
        {
            "nummer": "",
            "aanleidinggevendKlantcontact": {"uuid": str(klantcontact.uuid)},
            "toegewezenAanActoren": [{"uuid": str(medewerker.uuid)}],
            "gevraagdeHandeling": "Bel de burger terug over de vergunning",
            "status": "te_verwerken",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    taak = created.json()

    work_list = api_client.get(
        f"{API}/internetaken", {"toegewezenAanActor__uuid": str(medewerker.uuid)}
    ).json()
    assert [t["uuid"] for t in work_list["results"]] == [taak["uuid"]]
    other_list = api_client.get(
        f"{API}/internetaken", {"toegewezenAanActor__uuid": str(other.uuid)}
    ).json()
    assert other_list["results"] == []

    handled = api_client.patch(taak["url"], {"status": "verwerkt"}, format="json")
    assert handled.status_code == 200, handled.json()
    assert handled.json()["afgehandeldOp"] is not None
    open_work = api_client.get(
        f"{API}/internetaken",
        {"toegewezenAanActor__uuid": str(medewerker.uuid), "status": "te_verwerken"},
    ).json()
    assert open_work["results"] == []

    contact = api_client.get(
        f"{API}/klantcontacten/{klantcontact.uuid}", {"expand": "leiddeTotInterneTaken"}
    )
    assert contact.status_code == 200, contact.json()
    expanded = contact.json()["_expand"]["leiddeTotInterneTaken"]
    assert expanded == [handled.json()]
    assert spec_errors("InterneTaak", expanded[0]) == []
    assert [t["uuid"] for t in contact.json()["leiddeTotInterneTaken"]] == [taak["uuid"]]
