"""Every filter of /klantcontacten, /betrokkenen, /onderwerpobjecten and /bijlagen narrows."""

import uuid

import pytest

from .factories import (
    ANDER_BSN,
    BSN,
    make_betrokkene,
    make_bijlage,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
    make_partij_identificator,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/klantinteracties/api/v1"
API = "/klantinteracties/api/v1"


def uuids(api_client, path: str, params: dict) -> list[str]:
    response = api_client.get(f"{API}/{path}", params)
    assert response.status_code == 200, response.json()
    return [item["uuid"] for item in response.json()["results"]]


def only(api_client, path: str, params: dict, expected) -> None:
    assert uuids(api_client, path, params) == [str(expected.uuid)]


# --- /klantcontacten: own fields ------------------------------------------------------------


@pytest.mark.parametrize(
    "field, wanted, other, param, value",
    [
        ("nummer", "0000000001", "0000000002", "nummer", "0000000001"),
        ("referentienummer", "REF-1", "REF-2", "referentienummer", "REF-1"),
        ("kanaal", "email", "telefoon", "kanaal", "email"),
        ("onderwerp", "Afvalpas kwijt", "Parkeren", "onderwerp", "AFVALPAS"),
        ("inhoud", "Pas is kwijt", "Boete", "inhoud", "kwijt"),
        ("reactie", "Nieuwe pas besteld", "Uitgelegd", "reactie", "besteld"),
        ("indicatie_contact_gelukt", True, False, "indicatieContactGelukt", "true"),
        ("vertrouwelijk", True, False, "vertrouwelijk", "true"),
        (
            "plaatsgevonden_op",
            "2025-01-02T10:00:00Z",
            "2025-01-03T10:00:00Z",
            "plaatsgevondenOp",
            "2025-01-02T10:00:00Z",
        ),
    ],
)
def test_klantcontact_field_filters(api_client, field, wanted, other, param, value):
    match = make_klantcontact(**{field: wanted})
    make_klantcontact(**{field: other})

    only(api_client, "klantcontacten", {param: value}, match)


def test_plaatsgevonden_op_with_any_utc_offset_is_compared_in_utc(api_client):
    match = make_klantcontact(plaatsgevonden_op="2025-01-02T10:00:00Z")
    make_klantcontact(plaatsgevonden_op="2025-01-03T10:00:00Z")

    # Valid ISO 8601, but beyond the offsets PostgreSQL accepts.
    only(api_client, "klantcontacten", {"plaatsgevondenOp": "2025-01-01T10:33:00-23:27"}, match)


def test_plaatsgevonden_op_out_of_range_after_offset_is_400(api_client):
    response = api_client.get(
        f"{API}/klantcontacten", {"plaatsgevondenOp": "0001-01-01T00:00:00+05:00"}
    )

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "plaatsgevondenOp"


# --- /klantcontacten: through betrokkenen ---------------------------------------------------


def test_had_betrokkene_uuid_and_url(api_client):
    betrokkene = make_betrokkene()
    make_betrokkene()

    only(
        api_client,
        "klantcontacten",
        {"hadBetrokkene__uuid": betrokkene.uuid},
        betrokkene.klantcontact,
    )
    only(
        api_client,
        "klantcontacten",
        {"hadBetrokkene__url": f"{BASE}/betrokkenen/{betrokkene.uuid}"},
        betrokkene.klantcontact,
    )


def test_had_betrokkene_was_partij_boolean(api_client):
    met = make_betrokkene(partij=make_partij())
    zonder = make_betrokkene()

    only(api_client, "klantcontacten", {"hadBetrokkene__wasPartij": "true"}, met.klantcontact)
    only(api_client, "klantcontacten", {"hadBetrokkene__wasPartij": "false"}, zonder.klantcontact)


def test_had_betrokkene_was_partij_uuid_and_url(api_client):
    partij = make_partij()
    contact = make_klantcontact()
    # Two betrokkenen with the same partij: the klantcontact still appears once.
    make_betrokkene(contact, partij=partij)
    make_betrokkene(contact, partij=partij)
    make_betrokkene(partij=make_partij())

    only(api_client, "klantcontacten", {"hadBetrokkene__wasPartij__uuid": partij.uuid}, contact)
    only(
        api_client,
        "klantcontacten",
        {"hadBetrokkene__wasPartij__url": f"{BASE}/partijen/{partij.uuid}"},
        contact,
    )


@pytest.mark.parametrize(
    "param, value",
    [
        ("objectId", BSN),
        ("codeSoortObjectId", "bsn"),
        ("codeObjecttype", "natuurlijk_persoon"),
        ("codeRegister", "brp"),
    ],
)
def test_had_betrokkene_partij_identificator(api_client, param, value):
    persoon = make_partij()
    make_partij_identificator(persoon, BSN)
    bedrijf = make_partij(soort_partij="organisatie")
    make_partij_identificator(
        bedrijf,
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    match = make_betrokkene(partij=persoon).klantcontact
    make_betrokkene(partij=bedrijf)

    only(
        api_client,
        "klantcontacten",
        {f"hadBetrokkene__wasPartij__partijIdentificator__{param}": value},
        match,
    )


def test_identificator_filters_apply_to_one_identificator(api_client):
    partij = make_partij()
    make_partij_identificator(partij, BSN)
    make_betrokkene(partij=partij)
    prefix = "hadBetrokkene__wasPartij__partijIdentificator__"

    assert (
        uuids(
            api_client,
            "klantcontacten",
            {f"{prefix}objectId": BSN, f"{prefix}codeSoortObjectId": "kvk_nummer"},
        )
        == []
    )
    assert (
        len(
            uuids(
                api_client,
                "klantcontacten",
                {f"{prefix}objectId": BSN, f"{prefix}codeSoortObjectId": "bsn"},
            )
        )
        == 1
    )


def test_had_betrokkene_digitaal_adres_icontains(api_client):
    match = make_betrokkene()
    make_digitaal_adres(betrokkene=match, adres="Jan.Jansen@Example.com")
    make_digitaal_adres(betrokkene=match, adres="jan.jansen@example.org")
    other = make_betrokkene()
    make_digitaal_adres(betrokkene=other, adres="piet@example.com")

    only(
        api_client,
        "klantcontacten",
        {"hadBetrokkene__digitaaladres__adres__icontains": "JAN.jansen"},
        match.klantcontact,
    )


def test_leidde_tot_interne_taken(api_client):
    met = make_klantcontact()
    taak = make_interne_taak(met)
    make_interne_taak(met)
    zonder = make_klantcontact()

    only(api_client, "klantcontacten", {"leiddeTotInterneTaken": "true"}, met)
    only(api_client, "klantcontacten", {"leiddeTotInterneTaken": "false"}, zonder)
    only(api_client, "klantcontacten", {"leiddeTotInterneTaken": str(taak.uuid)}, met)
    response = api_client.get(f"{API}/klantcontacten", {"leiddeTotInterneTaken": "soms"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "leiddeTotInterneTaken"


# --- /klantcontacten: through onderwerpobjecten ---------------------------------------------


@pytest.mark.parametrize(
    "prefix, fk", [("onderwerpobject", "klantcontact"), ("wasOnderwerpobject", "was_klantcontact")]
)
@pytest.mark.parametrize(
    "suffix, field, value",
    [
        (
            "onderwerpobjectidentificatorObjectId",
            "onderwerpobjectidentificator_object_id",
            "zaak-7",
        ),
        (
            "onderwerpobjectidentificatorCodeObjecttype",
            "onderwerpobjectidentificator_code_objecttype",
            "melding",
        ),
        (
            "onderwerpobjectidentificatorCodeRegister",
            "onderwerpobjectidentificator_code_register",
            "meldingen",
        ),
        (
            "onderwerpobjectidentificatorCodeSoortObjectId",
            "onderwerpobjectidentificator_code_soort_object_id",
            "nummer",
        ),
    ],
)
def test_onderwerpobject_identificator_filters(api_client, prefix, fk, suffix, field, value):
    match = make_klantcontact()
    make_onderwerpobject(**{fk: match, field: value})
    make_onderwerpobject(**{fk: make_klantcontact()})

    only(api_client, "klantcontacten", {f"{prefix}__{suffix}": value}, match)


@pytest.mark.parametrize(
    "prefix, fk", [("onderwerpobject", "klantcontact"), ("wasOnderwerpobject", "was_klantcontact")]
)
def test_onderwerpobject_uuid_and_url_filters(api_client, prefix, fk):
    match = make_klantcontact()
    obj = make_onderwerpobject(**{fk: match})
    make_onderwerpobject(**{fk: make_klantcontact()})

    only(api_client, "klantcontacten", {f"{prefix}__uuid": obj.uuid}, match)
    only(
        api_client,
        "klantcontacten",
        {f"{prefix}__url": f"{BASE}/onderwerpobjecten/{obj.uuid}"},
        match,
    )
    assert uuids(api_client, "klantcontacten", {f"{prefix}__url": "https://elders/x"}) == []


def test_unknown_and_malformed_parameters_are_400(api_client):
    make_klantcontact()

    unknown = api_client.get(f"{API}/klantcontacten", {"hadBetrokkene__wasPartij__nummr": "1"})
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "unknown-parameters"
    bad_uuid = api_client.get(f"{API}/klantcontacten", {"hadBetrokkene__uuid": "geen-uuid"})
    assert bad_uuid.status_code == 400
    assert bad_uuid.json()["invalidParams"][0]["name"] == "hadBetrokkene__uuid"


# --- /betrokkenen ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "param, field, value",
    [
        ("contactnaamVoorletters", "contactnaam_voorletters", "J"),
        ("contactnaamVoornaam", "contactnaam_voornaam", "Jan"),
        ("contactnaamVoorvoegselAchternaam", "contactnaam_voorvoegsel_achternaam", "de"),
        ("contactnaamAchternaam", "contactnaam_achternaam", "Vries"),
        ("organisatienaam", "organisatienaam", "Bakkerij"),
    ],
)
def test_betrokkene_field_filters(api_client, param, field, value):
    match = make_betrokkene(**{field: value})
    make_betrokkene(**{field: "anders"})

    only(api_client, "betrokkenen", {param: value}, match)


def test_betrokkene_had_klantcontact_filters(api_client):
    contact = make_klantcontact(nummer="0000000077", referentienummer="R-77")
    match = make_betrokkene(contact)
    make_betrokkene()

    only(api_client, "betrokkenen", {"hadKlantcontact__nummer": "0000000077"}, match)
    only(api_client, "betrokkenen", {"hadKlantcontact__referentienummer": "R-77"}, match)
    only(api_client, "betrokkenen", {"hadKlantcontact__uuid": contact.uuid}, match)
    only(
        api_client,
        "betrokkenen",
        {"hadKlantcontact__url": f"{BASE}/klantcontacten/{contact.uuid}"},
        match,
    )


def test_betrokkene_was_partij_filters(api_client):
    partij = make_partij(nummer="0000000555")
    make_partij_identificator(partij, BSN)
    ander = make_partij()
    make_partij_identificator(ander, ANDER_BSN)
    match = make_betrokkene(partij=partij)
    make_betrokkene(partij=ander)

    only(api_client, "betrokkenen", {"wasPartij__nummer": "0000000555"}, match)
    only(api_client, "betrokkenen", {"wasPartij__uuid": partij.uuid}, match)
    only(api_client, "betrokkenen", {"wasPartij__url": f"{BASE}/partijen/{partij.uuid}"}, match)
    only(api_client, "betrokkenen", {"wasPartij__partijIdentificator__objectId": BSN}, match)


@pytest.mark.parametrize(
    "param, value",
    [
        ("codeObjecttype", "natuurlijk_persoon"),
        ("codeSoortObjectId", "bsn"),
        ("codeRegister", "brp"),
    ],
)
def test_betrokkene_partij_identificator_codes(api_client, param, value):
    persoon = make_partij()
    make_partij_identificator(persoon, BSN)
    bedrijf = make_partij(soort_partij="organisatie")
    make_partij_identificator(
        bedrijf,
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    match = make_betrokkene(partij=persoon)
    make_betrokkene(partij=bedrijf)

    only(api_client, "betrokkenen", {f"wasPartij__partijIdentificator__{param}": value}, match)


def test_betrokkene_verstrekt_digitaal_adres_filters(api_client):
    match = make_betrokkene()
    adres = make_digitaal_adres(betrokkene=match, adres="jan@example.com")
    make_digitaal_adres(betrokkene=match, adres="jan@example.com")
    make_digitaal_adres(betrokkene=make_betrokkene(), adres="piet@example.com")

    only(api_client, "betrokkenen", {"verstrektedigitaalAdres__adres": "jan@example.com"}, match)
    only(api_client, "betrokkenen", {"verstrektedigitaalAdres__uuid": adres.uuid}, match)
    only(
        api_client,
        "betrokkenen",
        {"verstrektedigitaalAdres__url": f"{BASE}/digitaleadressen/{adres.uuid}"},
        match,
    )


# --- /onderwerpobjecten and /bijlagen -------------------------------------------------------


def test_onderwerpobject_filters(api_client):
    contact = make_klantcontact()
    vorig = make_klantcontact()
    match = make_onderwerpobject(
        klantcontact=contact,
        was_klantcontact=vorig,
        onderwerpobjectidentificator_object_id="zaak-42",
        onderwerpobjectidentificator_code_objecttype="melding",
        onderwerpobjectidentificator_code_register="meldingen",
        onderwerpobjectidentificator_code_soort_object_id="nummer",
    )
    make_onderwerpobject(klantcontact=make_klantcontact(), was_klantcontact=make_klantcontact())

    only(api_client, "onderwerpobjecten", {"klantcontact__uuid": contact.uuid}, match)
    only(
        api_client,
        "onderwerpobjecten",
        {"klantcontact__url": f"{BASE}/klantcontacten/{contact.uuid}"},
        match,
    )
    only(api_client, "onderwerpobjecten", {"wasKlantcontact__uuid": vorig.uuid}, match)
    only(
        api_client,
        "onderwerpobjecten",
        {"wasKlantcontact__url": f"{BASE}/klantcontacten/{vorig.uuid}"},
        match,
    )
    for param, value in [
        ("onderwerpobjectidentificatorObjectId", "zaak-42"),
        ("onderwerpobjectidentificatorCodeObjecttype", "melding"),
        ("onderwerpobjectidentificatorCodeRegister", "meldingen"),
        ("onderwerpobjectidentificatorCodeSoortObjectId", "nummer"),
    ]:
        only(api_client, "onderwerpobjecten", {param: value}, match)


def test_bijlage_filters(api_client):
    contact = make_klantcontact()
    match = make_bijlage(
        klantcontact=contact,
        bijlageidentificator_object_id="doc-42",
        bijlageidentificator_code_objecttype="BRIEF",
        bijlageidentificator_code_register="dms",
        bijlageidentificator_code_soort_object_id="nummer",
    )
    make_bijlage(klantcontact=make_klantcontact())

    only(api_client, "bijlagen", {"klantcontact__uuid": contact.uuid}, match)
    for param, value in [
        ("bijlageidentificatorObjectId", "doc-42"),
        ("bijlageidentificatorCodeObjecttype", "BRIEF"),
        ("bijlageidentificatorCodeRegister", "dms"),
        ("bijlageidentificatorCodeSoortObjectId", "nummer"),
    ]:
        only(api_client, "bijlagen", {param: value}, match)


def test_unknown_parameter_on_betrokkenen_is_400(api_client):
    response = api_client.get(f"{API}/betrokkenen", {"wasPartij__uuidd": str(uuid.uuid4())})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"
