"""Shielded fields: an application with a group shielded sees its fields empty in every list,
detail and `expand`, on both render paths, and may not write them; an exact search by a value
it already knows still finds the object."""

import json

import pytest

from autorisatie.models import GROUP_CHOICES, Applicatie
from autorisatie.scopes import SCOPES
from klantcontacten.models import Bijlage
from partijen.models import Partij, PartijIdentificator, Rekeningnummer
from tests.contactgegevens.factories import make_persoon
from tests.contract.test_response_keys import OURS, conforms, response_schema, split
from tests.endpoints import expand_values, list_views
from tests.klantcontacten.factories import (
    make_betrokkene,
    make_digitaal_adres,
    make_klantcontact,
    make_partij,
    make_partij_identificator,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
BSN = "999993653"
IBAN = "NL91ABNA0417164300"
SECRETS = ("GEHEIM", "geheim@", BSN, IBAN, "INGBNL2A")
GROUPS = [group for group, _ in GROUP_CHOICES]


@pytest.fixture
def secrets():
    partij = make_partij(
        interne_notitie="GEHEIM-notitie",
        bezoekadres_straatnaam="GEHEIM-straat",
        correspondentieadres_stad="GEHEIM-stad",
    )
    make_partij_identificator(partij, object_id=BSN)
    make_digitaal_adres(partij=partij, adres="geheim@example.org")
    Rekeningnummer.objects.create(partij=partij, iban=IBAN, bic="INGBNL2A")
    klantcontact = make_klantcontact(inhoud="GEHEIM-inhoud", reactie="GEHEIM-reactie")
    make_betrokkene(klantcontact, partij=partij, bezoekadres_straatnaam="GEHEIM-straat")
    Bijlage.objects.create(klantcontact=klantcontact, bijlageidentificator_object_id="GEHEIM-doc")
    make_persoon(adres_straatnaam="GEHEIM-straat")
    return partij


def everything(client) -> list[tuple[str, dict, int, object]]:
    """(url, params, status, parsed body) of every list with every expand, and each item's
    detail."""
    found = []
    for _, (url, view) in sorted(list_views().items()):
        for expand in expand_values(view):
            params = {"pageSize": 100, **({"expand": expand} if expand else {})}
            response = client.get(url, params)
            found.append((url, params, response.status_code, response.json()))
            for item in response.json()["results"]:
                detail = client.get(item["url"], {"expand": expand} if expand else {})
                found.append((item["url"], params, detail.status_code, detail.json()))
    return found


def test_shielded_fields_are_empty_everywhere_on_both_paths(settings, secrets):
    afgeschermd = Applicatie.objects.create(naam="KCC", scopes=SCOPES, afgeschermd=GROUPS)
    alles = Applicatie.objects.create(naam="Alles", alle_rechten=True)

    settings.SQL_JSON_LISTS = True
    fast = everything(client_for(afgeschermd))
    control = everything(client_for(alles))
    settings.SQL_JSON_LISTS = False
    slow = everything(client_for(afgeschermd))

    assert fast == slow
    seen = json.dumps([c[3] for c in control], ensure_ascii=False)
    assert all(secret in seen for secret in SECRETS)
    for url, params, status, body in fast:
        assert status == 200, (url, body)
        text = json.dumps(body, ensure_ascii=False)
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, (url, params, leaked)
        if "results" in body:  # a list, checked against our documents
            api, path = split(url)
            assert conforms(OURS[api], response_schema(OURS[api], path), body) is None


def test_an_exact_search_by_a_known_bsn_still_finds_the_partij(client_with, secrets):
    client = client_with("partijen.lezen", afgeschermd=["identificatoren"])

    response = client.get(f"{API}/partijen", {"partijIdentificator__objectId": BSN})

    assert [item["uuid"] for item in response.json()["results"]] == [str(secrets.uuid)]
    identificator = client.get(f"{API}/partij-identificatoren").json()["results"][0]
    assert identificator["partijIdentificator"]["objectId"] == ""
    assert identificator["partijIdentificator"]["codeSoortObjectId"] == "bsn"


@pytest.mark.parametrize(
    ("group", "method", "resource", "body"),
    [
        ("interne_notitie", "patch", "partij", {"interneNotitie": "nieuw"}),
        ("adressen", "patch", "partij", {"bezoekadres": {"straatnaam": "Dam"}}),
        (
            "identificatoren",
            "post",
            "partij-identificatoren",
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": "123456782",
                    "codeRegister": "brp",
                }
            },
        ),
        ("rekeningnummers", "post", "rekeningnummers", {"iban": IBAN}),
        (
            "digitale_adressen",
            "post",
            "digitaleadressen",
            {"adres": "jan@example.org", "soortDigitaalAdres": "email"},
        ),
        (
            "contactinhoud",
            "post",
            "klantcontacten",
            {
                "kanaal": "telefoon",
                "onderwerp": "x",
                "inhoud": "y",
                "taal": "nld",
                "vertrouwelijk": False,
            },
        ),
    ],
)
def test_writing_a_shielded_field_is_a_403(client_with, secrets, group, method, resource, body):
    client = client_with(*SCOPES, afgeschermd=[group])
    url = f"{API}/partijen/{secrets.uuid}" if resource == "partij" else f"{API}/{resource}"
    before = (
        Partij.objects.get(pk=secrets.pk).interne_notitie,
        PartijIdentificator.objects.count(),
        Rekeningnummer.objects.count(),
    )

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "shielded-field"
    after = (
        Partij.objects.get(pk=secrets.pk).interne_notitie,
        PartijIdentificator.objects.count(),
        Rekeningnummer.objects.count(),
    )
    assert after == before


def test_a_write_without_shielded_fields_answers_with_them_empty(client_with, secrets):
    client = client_with(*SCOPES, afgeschermd=["interne_notitie", "adressen"])

    response = client.patch(
        f"{API}/partijen/{secrets.uuid}", {"voorkeurstaal": "nld"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["interneNotitie"] == ""
    assert response.json()["bezoekadres"]["straatnaam"] == ""
    assert Partij.objects.get(pk=secrets.pk).interne_notitie == "GEHEIM-notitie"


@pytest.mark.parametrize(
    ("group", "url", "params"),
    [
        ("contactinhoud", f"{API}/klantcontacten", {"inhoud": "GEH"}),
        ("contactinhoud", f"{API}/klantcontacten", {"reactie": "GEH"}),
        ("digitale_adressen", f"{API}/digitaleadressen", {"adres__icontains": "gehe"}),
        (
            "digitale_adressen",
            f"{API}/klantcontacten",
            {"hadBetrokkene__digitaaladres__adres__icontains": "gehe"},
        ),
    ],
)
def test_a_search_by_part_of_a_shielded_value_is_a_403(client_with, secrets, group, url, params):
    shielded = client_with(*SCOPES, afgeschermd=[group])
    other = [g for g in GROUPS if g != group]

    response = shielded.get(url, params)

    assert response.status_code == 403
    assert response.json()["code"] == "shielded-field"
    assert client_with(*SCOPES, afgeschermd=other).get(url, params).status_code == 200


def test_the_browsable_api_does_not_show_shielded_values(client_with, secrets):
    client = client_with(*SCOPES, afgeschermd=GROUPS)
    identificator = secrets.partijidentificatoren.get()
    rekening = secrets.rekeningnummers.get()

    for url in (
        f"{API}/partij-identificatoren/{identificator.uuid}",
        f"{API}/rekeningnummers/{rekening.uuid}",
        f"{API}/partijen/{secrets.uuid}",
    ):
        page = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert "<form" in page  # the raw data form of a PUT, built from the stored object
        assert not [secret for secret in SECRETS if secret in page], url
