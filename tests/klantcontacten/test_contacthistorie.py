"""The KCC journey: record contacts with a known partij, then show the contact history."""

import pytest

from .factories import BSN, make_partij, make_partij_identificator

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def test_contact_history_by_bsn_newest_first(api_client):
    partij = make_partij(contactnaam_voornaam="Jan", contactnaam_achternaam="Jansen")
    make_partij_identificator(partij, BSN)
    andere = make_partij()
    make_partij_identificator(andere, "123456782")

    registered = []
    for dag, onderwerp in [
        ("2025-01-10", "Afvalpas"),
        ("2025-03-05", "Parkeren"),
        ("2025-02-01", "WOZ"),
    ]:
        response = api_client.post(
            f"{API}/maak-klantcontact",
            {
                "klantcontact": {
                    "kanaal": "telefoon",
                    "onderwerp": onderwerp,
                    "taal": "nld",
                    "vertrouwelijk": False,
                    "plaatsgevondenOp": f"{dag}T09:00:00Z",
                },
                "betrokkene": {
                    "wasPartij": {"uuid": str(partij.uuid)},
                    "rol": "klant",
                    "initiator": True,
                },
                "onderwerpobject": {
                    "onderwerpobjectidentificator": {
                        "objectId": f"zaak-{onderwerp}",
                        "codeObjecttype": "zaak",
                        "codeRegister": "openzaak",
                        "codeSoortObjectId": "identificatie",
                    }
                },
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        registered.append(response.json())
    # Someone else's contact must not show up.
    response = api_client.post(
        f"{API}/maak-klantcontact",
        {
            "klantcontact": {
                "kanaal": "balie",
                "onderwerp": "Paspoort",
                "taal": "nld",
                "vertrouwelijk": False,
            },
            "betrokkene": {
                "wasPartij": {"uuid": str(andere.uuid)},
                "rol": "klant",
                "initiator": True,
            },
        },
        format="json",
    )
    assert response.status_code == 201

    response = api_client.get(
        f"{API}/klantcontacten",
        {
            "hadBetrokkene__wasPartij__partijIdentificator__objectId": BSN,
            "expand": "hadBetrokkenen,gingOverOnderwerpobjecten",
        },
    )

    assert response.status_code == 200, response.json()
    history = response.json()
    assert history["count"] == 3
    assert [k["onderwerp"] for k in history["results"]] == ["Parkeren", "WOZ", "Afvalpas"]
    for contact in history["results"]:
        betrokkenen = contact["_expand"]["hadBetrokkenen"]
        assert [b["wasPartij"]["uuid"] for b in betrokkenen] == [str(partij.uuid)]
        onderwerpen = contact["_expand"]["gingOverOnderwerpobjecten"]
        assert onderwerpen[0]["onderwerpobjectidentificator"]["objectId"] == (
            f"zaak-{contact['onderwerp']}"
        )
    assert {k["uuid"] for k in history["results"]} == {
        r["klantcontact"]["uuid"] for r in registered
    }
