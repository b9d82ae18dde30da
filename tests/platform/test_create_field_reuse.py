"""Creates validate and render through field sets kept across requests: nothing of one request
may show in the next."""

import pytest

from klantcontacten.models import Klantcontact
from tests.klantcontacten.factories import make_klantcontact, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def contact(**overrides) -> dict:
    data = {"kanaal": "telefoon", "onderwerp": "Afvalpas", "taal": "nld", "vertrouwelijk": False}
    data.update(overrides)
    return data


def test_each_create_renders_with_its_own_request(api_client):
    first = api_client.post(f"{API}/klantcontacten", contact(), format="json", HTTP_HOST="a.test")
    second = api_client.post(f"{API}/klantcontacten", contact(), format="json", HTTP_HOST="b.test")

    assert first.json()["url"].startswith("http://a.test/")
    assert second.json()["url"].startswith("http://b.test/")


def test_errors_do_not_carry_over(api_client):
    bad = api_client.post(f"{API}/klantcontacten", contact(taal="NL"), format="json")
    good = api_client.post(f"{API}/klantcontacten", contact(onderwerp="Tweede"), format="json")
    also_bad = api_client.post(f"{API}/klantcontacten", contact(kanaal=None), format="json")

    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["taal"]
    assert good.status_code == 201
    assert good.json()["onderwerp"] == "Tweede"
    assert also_bad.status_code == 400
    assert [p["name"] for p in also_bad.json()["invalidParams"]] == ["kanaal"]
    assert Klantcontact.objects.count() == 1


def test_maak_klantcontact_parts_do_not_carry_over(api_client):
    partij = make_partij()
    url = f"{API}/maak-klantcontact"
    full = {
        "klantcontact": contact(),
        "betrokkene": {"wasPartij": {"uuid": str(partij.uuid)}, "rol": "klant", "initiator": True},
    }

    with_part = api_client.post(url, full, format="json").json()
    without = api_client.post(url, {"klantcontact": contact()}, format="json").json()

    assert with_part["betrokkene"]["wasPartij"]["uuid"] == str(partij.uuid)
    assert set(without) == {"klantcontact", "betrokkene", "onderwerpobject"}
    assert (without["betrokkene"], without["onderwerpobject"]) == (None, None)
    assert without["klantcontact"]["hadBetrokkenen"] == []


def test_browsable_api_create_still_renders(api_client):
    contact_row = make_klantcontact()
    partij = make_partij()
    response = api_client.post(
        f"{API}/betrokkenen",
        {
            "wasPartij": {"uuid": str(partij.uuid)},
            "hadKlantcontact": {"uuid": str(contact_row.uuid)},
            "rol": "klant",
            "initiator": True,
        },
        format="json",
        HTTP_ACCEPT="text/html",
    )
    assert response.status_code == 201
    assert b"<html" in response.content
