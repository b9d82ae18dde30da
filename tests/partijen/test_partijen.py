import pytest

from partijen.models import DigitaalAdres, Partij, PartijIdentificator, Rekeningnummer
from tests.contract.test_documented_responses import spec, validator
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


def persoon_body(**extra):
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatie": {
            "contactnaam": {"voorletters": "J.", "voornaam": "Jan", "achternaam": "Jansen"}
        },
    }
    body.update(extra)
    return body


def invalid_names(response):
    assert response.status_code == 400, response.json()
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_create_persoon_with_identificator_and_adres(api_client):
    body = persoon_body(
        partijIdentificatoren=[
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": "111222333",
                    "codeRegister": "brp",
                }
            }
        ],
        bezoekadres={"postcode": "1234 AB", "huisnummer": 12, "land": "NL"},
        voorkeurstaal="nld",
    )
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["soortPartij"] == "persoon"
    assert data["partijIdentificatie"]["volledigeNaam"] == "Jan Jansen"
    assert data["bezoekadres"]["postcode"] == "1234 AB"
    assert data["partijIdentificatoren"][0]["partijIdentificator"]["objectId"] == "111222333"
    assert data["partijIdentificatoren"][0]["identificeerdePartij"]["uuid"] == data["uuid"]
    assert len(data["nummer"]) == 10
    assert api_client.get(data["url"]).json() == data


def test_create_organisatie_and_contactpersoon(api_client):
    organisatie = api_client.post(
        URL,
        {
            "soortPartij": "organisatie",
            "indicatieActief": True,
            "partijIdentificatie": {"naam": "Bakkerij"},
        },
        format="json",
    ).json()
    assert organisatie["partijIdentificatie"] == {"naam": "Bakkerij"}
    response = api_client.post(
        URL,
        {
            "soortPartij": "contactpersoon",
            "indicatieActief": True,
            "partijIdentificatie": {
                "werkteVoorPartij": {"uuid": organisatie["uuid"]},
                "contactnaam": {"voornaam": "Piet", "achternaam": "Bakker"},
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    identificatie = response.json()["partijIdentificatie"]
    assert identificatie["werkteVoorPartij"]["uuid"] == organisatie["uuid"]
    assert identificatie["volledigeNaam"] == "Piet Bakker"


def test_contactpersoon_must_work_for_an_organisatie(api_client):
    persoon = make_partij()
    response = api_client.post(
        URL,
        {
            "soortPartij": "contactpersoon",
            "indicatieActief": True,
            "partijIdentificatie": {"werkteVoorPartij": {"uuid": str(persoon.uuid)}},
        },
        format="json",
    )
    assert "partijIdentificatie.werkteVoorPartij" in invalid_names(response)


def test_required_fields(api_client):
    names = invalid_names(api_client.post(URL, {}, format="json"))
    assert names["soortPartij"] == "required"
    assert names["indicatieActief"] == "required"


def test_invalid_enum_and_lengths(api_client):
    names = invalid_names(
        api_client.post(
            URL,
            persoon_body(soortPartij="kat", interneNotitie="x" * 1001, voorkeurstaal="nederlands"),
            format="json",
        )
    )
    assert names["soortPartij"] == "invalid_choice"
    assert names["interneNotitie"] == "max_length"
    assert "voorkeurstaal" in names


@pytest.mark.parametrize("taal", ["nl", "NLD", "nlé", "ñld"])
def test_voorkeurstaal_is_three_ascii_lower_case_letters(api_client, taal):
    names = invalid_names(api_client.post(URL, persoon_body(voorkeurstaal=taal), format="json"))
    assert names == {"voorkeurstaal": "invalid"}


@pytest.mark.parametrize(
    "adres, name",
    [
        ({"postcode": "1234ab"}, "bezoekadres.postcode"),
        ({"nummeraanduidingId": "123"}, "bezoekadres.nummeraanduidingId"),
        ({"land": "NLD"}, "bezoekadres.land"),
        ({"huisnummer": 100000}, "bezoekadres.huisnummer"),
        ({"huisnummer": 0}, "bezoekadres.huisnummer"),
        ({"adresregel1": "x" * 81}, "bezoekadres.adresregel1"),
    ],
)
def test_invalid_bezoekadres(api_client, adres, name):
    assert name in invalid_names(
        api_client.post(URL, persoon_body(bezoekadres=adres), format="json")
    )


def test_nummer_generated_when_absent_empty_or_null(api_client):
    numbers = set()
    for nummer in (None, "", "absent"):
        body = persoon_body() if nummer == "absent" else persoon_body(nummer=nummer)
        response = api_client.post(URL, body, format="json")
        assert response.status_code == 201, response.json()
        numbers.add(response.json()["nummer"])
    assert len(numbers) == 3
    assert all(n and n.isdigit() for n in numbers)


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("nummer", ["", None])
def test_update_without_nummer_keeps_the_current_one(api_client, method, nummer):
    created = api_client.post(URL, persoon_body(), format="json").json()
    response = getattr(api_client, method)(
        created["url"], persoon_body(nummer=nummer), format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["nummer"] == created["nummer"]
    assert api_client.get(created["url"]).json()["nummer"] == created["nummer"]


def test_given_nummer_is_kept_and_unique(api_client):
    assert (
        api_client.post(URL, persoon_body(nummer="4711"), format="json").json()["nummer"] == "4711"
    )
    assert invalid_names(api_client.post(URL, persoon_body(nummer="4711"), format="json")) == {
        "nummer": "unique"
    }


def test_duplicate_identificator_is_400_and_nothing_saved(api_client):
    make_identificator(make_partij(), "111222333")
    body = persoon_body(
        partijIdentificatoren=[
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": "111222333",
                    "codeRegister": "brp",
                }
            }
        ]
    )
    before = Partij.objects.count()
    names = invalid_names(api_client.post(URL, body, format="json"))
    assert names == {"partijIdentificatoren.0.partijIdentificator.objectId": "unique"}
    assert Partij.objects.count() == before


def test_invalid_bsn_in_nested_identificator(api_client):
    body = persoon_body(
        partijIdentificatoren=[
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": "123456789",
                    "codeRegister": "brp",
                }
            }
        ]
    )
    assert "partijIdentificatoren.0.partijIdentificator.objectId" in invalid_names(
        api_client.post(URL, body, format="json")
    )


def test_put_requires_required_fields(api_client):
    partij = make_partij()
    names = invalid_names(
        api_client.put(f"{URL}/{partij.uuid}", {"interneNotitie": "x"}, format="json")
    )
    assert "soortPartij" in names and "indicatieActief" in names


def test_put_replaces(api_client):
    partij = make_partij()
    response = api_client.put(
        f"{URL}/{partij.uuid}",
        {
            "soortPartij": "organisatie",
            "indicatieActief": False,
            "partijIdentificatie": {"naam": "BV"},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["partijIdentificatie"] == {"naam": "BV"}
    assert response.json()["indicatieActief"] is False


def test_patch_updates_only_given_fields(api_client):
    partij = make_partij(interne_notitie="oud", bezoekadres_stad="Utrecht")
    response = api_client.patch(
        f"{URL}/{partij.uuid}", {"bezoekadres": {"postcode": "3511 AA"}}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["bezoekadres"]["stad"] == "Utrecht"
    assert data["bezoekadres"]["postcode"] == "3511 AA"
    assert data["interneNotitie"] == "oud"
    assert data["nummer"] == partij.nummer


def test_patch_validates_like_post(api_client):
    partij = make_partij()
    response = api_client.patch(
        f"{URL}/{partij.uuid}",
        {"partijIdentificatie": {"contactnaam": {"voornaam": "x" * 201}}},
        format="json",
    )
    assert "partijIdentificatie.contactnaam.voornaam" in invalid_names(response)
    partij.refresh_from_db()
    assert partij.contactnaam_voornaam != "x" * 201


@pytest.mark.parametrize("method", ["post", "put", "patch"])
@pytest.mark.parametrize(
    "reference", [{}, {"uuid": "9f1a1a1a-1111-4111-8111-111111111111"}, {"uuid": "x"}]
)
def test_bad_reference_is_400_naming_the_field(api_client, method, reference):
    partij = make_partij()
    body = persoon_body(voorkeursDigitaalAdres=reference)
    url = URL if method == "post" else f"{URL}/{partij.uuid}"
    response = getattr(api_client, method)(url, body, format="json")
    assert "voorkeursDigitaalAdres" in invalid_names(response)


def test_foreign_url_in_reference_is_400(api_client):
    adres = make_digitaal_adres()
    body = persoon_body(
        digitaleAdressen=[
            {
                "uuid": str(adres.uuid),
                "url": f"http://testserver/klantinteracties/api/v1/partijen/{adres.uuid}",
            }
        ]
    )
    assert "digitaleAdressen" in invalid_names(api_client.post(URL, body, format="json"))


def test_null_lists_are_accepted(api_client):
    body = persoon_body(digitaleAdressen=None, rekeningnummers=None, partijIdentificatoren=None)
    assert api_client.post(URL, body, format="json").status_code == 201


def test_null_partij_identificator_item_is_400(api_client):
    body = persoon_body(partijIdentificatoren=[None])
    assert "partijIdentificatoren.0" in invalid_names(api_client.post(URL, body, format="json"))

    partij = make_partij()
    response = api_client.patch(
        f"{URL}/{partij.uuid}", {"partijIdentificatoren": [None, None]}, format="json"
    )
    assert "partijIdentificatoren.0" in invalid_names(response)
    assert not Partij.objects.exclude(pk=partij.pk).exists()


@pytest.mark.parametrize(
    "item",
    [
        {"anderePartijIdentificator": ""},
        {"partijIdentificator": {"codeRegister": "brp"}},
    ],
)
def test_patch_with_an_incomplete_partij_identificator_item_is_400(api_client, item):
    partij = make_partij()
    response = api_client.patch(
        f"{URL}/{partij.uuid}", {"partijIdentificatoren": [item]}, format="json"
    )
    assert any(name.startswith("partijIdentificatoren.0.") for name in invalid_names(response))
    assert not PartijIdentificator.objects.exists()


def test_unknown_body_fields_are_ignored(api_client):
    assert api_client.post(URL, persoon_body(onbekendVeld=1), format="json").status_code == 201


def test_voorkeurs_digitaal_adres_must_belong_to_partij(api_client):
    vreemd = make_digitaal_adres(make_partij())
    partij = make_partij()
    response = api_client.patch(
        f"{URL}/{partij.uuid}",
        {"voorkeursDigitaalAdres": {"uuid": str(vreemd.uuid)}},
        format="json",
    )
    assert "voorkeursDigitaalAdres" in invalid_names(response)
    eigen = make_digitaal_adres(partij, adres="eigen@example.nl")
    response = api_client.patch(
        f"{URL}/{partij.uuid}", {"voorkeursDigitaalAdres": {"uuid": str(eigen.uuid)}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["voorkeursDigitaalAdres"]["uuid"] == str(eigen.uuid)


def test_digitale_adressen_can_be_linked_on_create(api_client):
    adres = make_digitaal_adres()
    body = persoon_body(
        digitaleAdressen=[{"uuid": str(adres.uuid)}],
        voorkeursDigitaalAdres={"uuid": str(adres.uuid)},
    )
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    adres.refresh_from_db()
    assert str(adres.partij.uuid) == response.json()["uuid"]


def test_delete_removes_what_belongs_to_the_partij_only(api_client):
    partij = make_partij()
    other = make_partij()
    make_identificator(partij, "111222333")
    make_digitaal_adres(partij)
    Rekeningnummer.objects.create(partij=partij, iban="NL91ABNA0417164300")
    make_digitaal_adres(other, adres="ander@example.nl")
    response = api_client.delete(f"{URL}/{partij.uuid}")
    assert response.status_code == 204
    assert not Partij.objects.filter(pk=partij.pk).exists()
    assert not PartijIdentificator.objects.filter(object_id="111222333").exists()
    assert list(DigitaalAdres.objects.values_list("adres", flat=True)) == ["ander@example.nl"]
    assert not Rekeningnummer.objects.exists()
    assert api_client.get(f"{URL}/{partij.uuid}").status_code == 404


def test_list_item_equals_detail(api_client):
    partij = make_partij()
    make_identificator(partij)
    listed = api_client.get(URL).json()["results"][0]
    assert listed == api_client.get(f"{URL}/{partij.uuid}").json()


def test_empty_constrained_values_are_sent_as_empty_strings(api_client):
    # As the reference sends them; our contract documents "" beside the constraint (anyOf).
    data = api_client.post(URL, persoon_body(), format="json").json()
    for adres in ("bezoekadres", "correspondentieadres"):
        assert data[adres]["postcode"] == ""
        assert data[adres]["land"] == ""
        assert data[adres]["nummeraanduidingId"] == ""
    errors = validator(spec("klantinteracties"), "Partij").iter_errors(data)
    assert [error.message for error in errors] == []


def test_an_organisatie_with_contactpersonen_stays_an_organisatie(api_client):
    organisatie = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij")
    make_partij(soort_partij="contactpersoon", werkte_voor_partij=organisatie)
    alleen = make_partij(soort_partij="organisatie", organisatie_naam="Zonder personeel")
    persoon = {"soortPartij": "persoon", "partijIdentificatie": {"contactnaam": {"voornaam": "J"}}}

    response = api_client.patch(f"{URL}/{organisatie.uuid}", persoon, format="json")

    assert invalid_names(response) == {"soortPartij": "invalid"}
    organisatie.refresh_from_db()
    assert organisatie.soort_partij == "organisatie"
    assert api_client.patch(f"{URL}/{alleen.uuid}", persoon, format="json").status_code == 200


def test_a_partij_nummer_is_ascii_digits(api_client):
    response = api_client.post(URL, persoon_body(nummer="١٢٣"), format="json")
    assert invalid_names(response) == {"nummer": "invalid"}


def test_a_contactpersoon_that_becomes_a_persoon_works_for_no_one(api_client):
    organisatie = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij")
    contactpersoon = make_partij(soort_partij="contactpersoon", werkte_voor_partij=organisatie)
    persoon = {"soortPartij": "persoon", "partijIdentificatie": {"contactnaam": {"voornaam": "J"}}}

    assert (
        api_client.patch(f"{URL}/{contactpersoon.uuid}", persoon, format="json").status_code == 200
    )

    contactpersoon.refresh_from_db()
    assert contactpersoon.werkte_voor_partij is None
    assert api_client.patch(f"{URL}/{organisatie.uuid}", persoon, format="json").status_code == 200
