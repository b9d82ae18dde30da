"""Neither sorting by a shielded value nor searching by part of a value in a register the
application may not read reveals that value."""

import pytest

from autorisatie.scopes import SCOPES
from klantcontacten.models import Bijlage
from partijen.models import Rekeningnummer
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_digitaal_adres,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


@pytest.mark.parametrize("sql_json", [True, False])
@pytest.mark.parametrize(
    ("group", "resource", "field", "make"),
    [
        (
            "digitale_adressen",
            "digitaleadressen",
            "adres",
            lambda p: [make_digitaal_adres(partij=p, adres=a) for a in ("z@x.nl", "a@x.nl")],
        ),
        (
            "rekeningnummers",
            "rekeningnummers",
            "iban",
            lambda p: [
                Rekeningnummer.objects.create(partij=p, iban=i)
                for i in ("NL91ABNA0417164300", "NL02ABNA0123456789")
            ],
        ),
        (
            "identificatoren",
            "partij-identificatoren",
            "partijIdentificatorObjectId",
            lambda p: [
                make_partij_identificator(p, object_id="999993653"),
                make_partij_identificator(make_partij(), object_id="111222333"),
            ],
        ),
        (
            "contactinhoud",
            "bijlagen",
            "bijlageidentificatorObjectId",
            lambda p: [
                Bijlage.objects.create(
                    klantcontact=make_klantcontact(), bijlageidentificator_object_id=value
                )
                for value in ("zaak-9", "zaak-1")
            ],
        ),
    ],
)
def test_ordering_by_a_shielded_field_is_refused(
    client_with, settings, sql_json, group, resource, field, make
):
    """`ordering=<shielded field>` would sort by the hidden value: with one value the caller
    knows (or writes itself), a binary search reads any other one."""
    settings.SQL_JSON_LISTS = sql_json
    made = make(make_partij())
    shielded = client_with(*SCOPES, afgeschermd=[group])

    for value in (field, f"-{field}", f"uuid,{field}"):
        response = shielded.get(f"{API}/{resource}", {"ordering": value})
        assert response.status_code == 403, (value, response.content)
        assert response.json()["code"] == "shielded-field"
    # Without the shield the order is the value's (the second made sorts first).
    response = client_with(*SCOPES).get(f"{API}/{resource}", {"ordering": field})
    assert response.status_code == 200, response.content
    assert [item["uuid"] for item in response.json()["results"]] == [
        str(made[1].uuid),
        str(made[0].uuid),
    ]


def test_ordering_by_a_field_that_is_not_shielded_still_works(client_with):
    partij = make_partij()
    make_digitaal_adres(partij=partij, adres="a@x.nl", soort_digitaal_adres="telefoonnummer")
    make_digitaal_adres(partij=partij, adres="b@x.nl", soort_digitaal_adres="email")
    client = client_with(*SCOPES, afgeschermd=["digitale_adressen"])
    response = client.get(f"{API}/digitaleadressen", {"ordering": "soortDigitaalAdres"})
    assert response.status_code == 200, response.content
    assert [item["soortDigitaalAdres"] for item in response.json()["results"]] == [
        "email",
        "telefoonnummer",
    ]


@pytest.mark.parametrize("sql_json", [True, False])
def test_without_partijen_lezen_no_substring_search_in_digitale_adressen(
    client_with, settings, sql_json
):
    """An application that may not read the partijen register (no `partijen.lezen`) cannot
    see digitale adressen (expanding them is a 403), but can read them a character at a time
    through the klantcontacten filter on the betrokkene's digitaal adres."""
    settings.SQL_JSON_LISTS = sql_json
    partij = make_partij()
    betrokkene = make_betrokkene(make_klantcontact(), partij=partij)
    make_digitaal_adres(partij=partij, betrokkene=betrokkene, adres="geheim@example.org")
    client = client_with("klantcontacten.lezen")
    url = f"{API}/klantcontacten"
    # Reading the adres itself is refused to this application:
    assert client.get(f"{API}/betrokkenen", {"expand": "digitaleAdressen"}).status_code == 403

    hit = client.get(url, {"hadBetrokkene__digitaaladres__adres__icontains": "geheim@"})
    miss = client.get(url, {"hadBetrokkene__digitaaladres__adres__icontains": "openbaar@"})

    for response in (hit, miss):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "shielded-field"
    # With the register's read scope the search works.
    reader = client_with("klantcontacten.lezen", "partijen.lezen")
    hit = reader.get(url, {"hadBetrokkene__digitaaladres__adres__icontains": "geheim@"})
    miss = reader.get(url, {"hadBetrokkene__digitaaladres__adres__icontains": "openbaar@"})
    assert (hit.json()["count"], miss.json()["count"]) == (1, 0)
