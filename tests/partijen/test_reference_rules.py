"""The Partijen register accepts and refuses what the reference does.

One partij-identificator per codeSoortObjectId per partij; a partijIdentificator group sent
whole; no identificeerdePartij inside a new partij's list; a standaardadres only of a partij;
a referentie unique per partij and soort; bic as the contract says; categorie names as a
comma-separated list; a PUT replaces a group whole.
"""

import pytest

from partijen.models import DigitaalAdres, Partij, PartijIdentificator, Rekeningnummer

from .factories import BSNS, make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def identificator(object_id, soort="bsn", objecttype="natuurlijk_persoon", register="brp"):
    return {
        "partijIdentificator": {
            "codeObjecttype": objecttype,
            "codeSoortObjectId": soort,
            "objectId": object_id,
            "codeRegister": register,
        }
    }


def invalid(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.json()
    return [(p["name"], p["code"]) for p in response.json()["invalidParams"]]


def persoon(**fields) -> dict:
    return {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        **fields,
    }


def test_a_second_bsn_for_a_partij_is_refused(api_client):
    partij = make_partij()
    make_identificator(partij, BSNS[0])
    body = {**identificator(BSNS[1]), "identificeerdePartij": {"uuid": str(partij.uuid)}}

    response = api_client.post(f"{API}/partij-identificatoren", body, format="json")

    assert invalid(response) == [("partijIdentificator.codeSoortObjectId", "unique")]
    assert partij.partijidentificatoren.count() == 1


def test_moving_a_bsn_to_a_partij_that_has_one_is_refused(api_client):
    jan, piet = make_partij(), make_partij()
    make_identificator(jan, BSNS[0])
    tweede = make_identificator(piet, BSNS[1])

    response = api_client.patch(
        f"{API}/partij-identificatoren/{tweede.uuid}",
        {"identificeerdePartij": {"uuid": str(jan.uuid)}},
        format="json",
    )

    assert invalid(response) == [("partijIdentificator.codeSoortObjectId", "unique")]
    tweede.refresh_from_db()
    assert tweede.partij == piet


def test_a_nested_list_with_two_bsns_is_refused(api_client):
    body = persoon(partijIdentificatoren=[identificator(BSNS[0]), identificator(BSNS[1])])

    response = api_client.post(f"{API}/partijen", body, format="json")

    assert invalid(response) == [
        ("partijIdentificatoren.1.partijIdentificator.codeSoortObjectId", "unique")
    ]
    assert not Partij.objects.exists()


def test_two_identificatoren_stored_by_an_earlier_version_may_be_sent_back(api_client):
    partij = make_partij()
    make_identificator(partij, BSNS[0])
    make_identificator(partij, BSNS[1])
    url = f"{API}/partijen/{partij.uuid}"
    body = api_client.get(url).json()

    response = api_client.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    assert partij.partijidentificatoren.count() == 2


def test_a_kvk_nummer_and_a_vestigingsnummer_are_two_soorten(api_client):
    kvk = identificator("12345678", "kvk_nummer", "niet_natuurlijk_persoon", "hr")
    body = {
        "soortPartij": "organisatie",
        "indicatieActief": True,
        "partijIdentificatie": {"naam": "Bakkerij"},
        "partijIdentificatoren": [kvk],
    }

    response = api_client.post(f"{API}/partijen", body, format="json")

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "group",
    [{"objectId": BSNS[1]}, {"codeSoortObjectId": "bsn", "objectId": BSNS[1]}, {}],
    ids=["objectId", "two-keys", "empty"],
)
def test_a_patch_sends_the_partij_identificator_group_whole(api_client, group):
    stored = make_identificator(make_partij(), BSNS[0])

    response = api_client.patch(
        f"{API}/partij-identificatoren/{stored.uuid}",
        {"partijIdentificator": group},
        format="json",
    )

    missing = {"codeObjecttype", "codeSoortObjectId", "objectId", "codeRegister"} - set(group)
    assert sorted(invalid(response)) == sorted(
        (f"partijIdentificator.{key}", "required") for key in missing
    )
    stored.refresh_from_db()
    assert stored.object_id == BSNS[0]


def test_a_patch_without_the_group_changes_the_rest(api_client):
    stored = make_identificator(make_partij(), BSNS[0])

    response = api_client.patch(
        f"{API}/partij-identificatoren/{stored.uuid}",
        {"anderePartijIdentificator": "oud"},
        format="json",
    )

    assert response.status_code == 200, response.json()


def test_identificeerde_partij_inside_a_new_partijs_list_is_refused(api_client):
    ander = make_partij()
    item = {**identificator(BSNS[0]), "identificeerdePartij": {"uuid": str(ander.uuid)}}

    response = api_client.post(
        f"{API}/partijen", persoon(partijIdentificatoren=[item]), format="json"
    )

    assert invalid(response) == [("partijIdentificatoren.0.identificeerdePartij", "invalid")]
    assert Partij.objects.count() == 1
    assert not PartijIdentificator.objects.exists()


def test_identificeerde_partij_null_inside_a_new_partijs_list_is_fine(api_client):
    item = {**identificator(BSNS[0]), "identificeerdePartij": None}

    response = api_client.post(
        f"{API}/partijen", persoon(partijIdentificatoren=[item]), format="json"
    )

    assert response.status_code == 201, response.json()


def test_a_standaardadres_needs_a_partij(api_client):
    body = {"adres": "jan@example.nl", "soortDigitaalAdres": "email", "isStandaardAdres": True}

    response = api_client.post(f"{API}/digitaleadressen", body, format="json")

    assert invalid(response) == [("isStandaardAdres", "invalid")]
    assert not DigitaalAdres.objects.exists()


def test_a_standaardadres_that_leaves_its_partij_stops_being_standaard(api_client):
    adres = make_digitaal_adres(make_partij(), is_standaard_adres=True)
    url = f"{API}/digitaleadressen/{adres.uuid}"

    response = api_client.patch(url, {"verstrektDoorPartij": None}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["isStandaardAdres"] is False

    both = api_client.patch(
        url, {"verstrektDoorPartij": None, "isStandaardAdres": True}, format="json"
    )
    assert invalid(both) == [("isStandaardAdres", "invalid")]


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_referentie_is_unique_per_partij_and_soort(api_client, method):
    partij = make_partij()
    make_digitaal_adres(partij, referentie="portaalvoorkeur")
    body = {
        "verstrektDoorPartij": {"uuid": str(partij.uuid)},
        "adres": "ander@example.nl",
        "soortDigitaalAdres": "email",
        "referentie": "portaalvoorkeur",
    }
    if method == "post":
        response = api_client.post(f"{API}/digitaleadressen", body, format="json")
    else:
        other = make_digitaal_adres(partij, adres="ander@example.nl", referentie="anders")
        send = getattr(api_client, method)
        response = send(f"{API}/digitaleadressen/{other.uuid}", body, format="json")

    assert invalid(response) == [("referentie", "unique")]
    assert DigitaalAdres.objects.filter(referentie="portaalvoorkeur").count() == 1


def test_a_referentie_may_repeat_for_another_partij_or_soort_and_be_sent_back(api_client):
    partij = make_partij()
    eigen = make_digitaal_adres(partij, referentie="portaalvoorkeur")

    def create(**fields):
        body = {"adres": "0612345678", "soortDigitaalAdres": "telefoonnummer", **fields}
        return api_client.post(f"{API}/digitaleadressen", body, format="json")

    eigen_partij = {"uuid": str(partij.uuid)}
    # Another soort (telefoonnummer beside the stored email) may repeat it, once.
    assert create(verstrektDoorPartij=eigen_partij, referentie="portaalvoorkeur").status_code == 201
    assert create(verstrektDoorPartij=eigen_partij, referentie="portaalvoorkeur").status_code == 400
    other = {"uuid": str(make_partij().uuid)}
    assert create(verstrektDoorPartij=other, referentie="portaalvoorkeur").status_code == 201
    assert create(referentie="portaalvoorkeur").status_code == 201  # no partij
    url = f"{API}/digitaleadressen/{eigen.uuid}"
    assert api_client.put(url, api_client.get(url).json(), format="json").status_code == 200


@pytest.mark.parametrize("bic", ["1734723742", "ABNANL2A", "abnanl2a", "ABNANL2AXXX", ""])
def test_bic_follows_the_contracts_rule(api_client, bic):
    body = {"iban": "NL91ABNA0417164300", "bic": bic}

    response = api_client.post(f"{API}/rekeningnummers", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["bic"] == bic


@pytest.mark.parametrize(
    ("bic", "code"), [("ABNA NL2A", "invalid"), ("ABNANL", "min_length"), ("A" * 12, "max_length")]
)
def test_a_bic_against_the_contracts_rule_is_refused(api_client, bic, code):
    response = api_client.post(
        f"{API}/rekeningnummers", {"iban": "NL91ABNA0417164300", "bic": bic}, format="json"
    )

    assert ("bic", code) in invalid(response)
    assert not Rekeningnummer.objects.exists()


def test_categorie_naam_takes_a_comma_separated_list(api_client):
    from partijen.models import Categorie, CategorieRelatie

    ondernemer, inwoner, beide, geen = (make_partij() for _ in range(4))
    for partij, naam in ((ondernemer, "Ondernemer"), (inwoner, "Inwoner"), (beide, "Ondernemer")):
        categorie, _ = Categorie.objects.get_or_create(naam=naam)
        CategorieRelatie.objects.create(partij=partij, categorie=categorie)
    CategorieRelatie.objects.create(partij=beide, categorie=Categorie.objects.get(naam="Inwoner"))
    komma = make_partij()
    CategorieRelatie.objects.create(
        partij=komma, categorie=Categorie.objects.create(naam="Zorg, jeugd")
    )

    def listed(value):
        response = api_client.get(f"{API}/partijen", {"categorierelatie__categorie__naam": value})
        assert response.status_code == 200, response.json()
        return sorted(item["uuid"] for item in response.json()["results"])

    assert listed("Ondernemer,Inwoner") == sorted(str(p.uuid) for p in (ondernemer, inwoner, beide))
    assert listed("Inwoner") == sorted(str(p.uuid) for p in (inwoner, beide))
    assert listed("Zorg, jeugd") == [str(komma.uuid)]
    assert str(geen.uuid) not in listed("Ondernemer,Inwoner,Zorg")


def test_a_put_replaces_the_contactnaam_whole(api_client):
    partij = make_partij(contactnaam_voorvoegsel_achternaam="van", contactnaam_achternaam="Dam")
    url = f"{API}/partijen/{partij.uuid}"
    body = persoon(
        partijIdentificatie={"contactnaam": {"voornaam": "Jan", "achternaam": "Dam"}},
    )

    response = api_client.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    identificatie = response.json()["partijIdentificatie"]
    assert identificatie["contactnaam"]["voorvoegselAchternaam"] == ""
    assert identificatie["volledigeNaam"] == "Jan Dam"


def test_a_put_replaces_an_address_whole_and_a_patch_keeps_the_rest(api_client):
    partij = make_partij(bezoekadres_straatnaam="Dam", bezoekadres_huisnummer=1)
    url = f"{API}/partijen/{partij.uuid}"

    patched = api_client.patch(url, {"bezoekadres": {"stad": "Amsterdam"}}, format="json")
    assert patched.json()["bezoekadres"]["straatnaam"] == "Dam"

    put = api_client.put(url, persoon(bezoekadres={"stad": "Utrecht"}), format="json")
    assert put.status_code == 200, put.json()
    adres = put.json()["bezoekadres"]
    assert (adres["stad"], adres["straatnaam"], adres["huisnummer"]) == ("Utrecht", "", None)
