"""`Prefer: hergebruik-bestaand` on POST /digitaleadressen: an adres of the same verstrekker and
soort that is the same after normalisation answers the create (200), instead of a duplicate;
without the preference a duplicate is created (201), as the reference does."""

import pytest

from autorisatie.models import Applicatie
from klantinteracties.api.schema import generate
from logboek.models import AuditRecord, Handeling, Verwerking
from partijen.models import DigitaalAdres
from tests.autorisatie.conftest import client_for
from tests.klantcontacten.factories import make_betrokkene, make_klantcontact
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/digitaleadressen"
PREFER = "hergebruik-bestaand"


def body(adres="0612345678", soort="telefoonnummer", partij=None, betrokkene=None, **extra):
    data = {"adres": adres, "soortDigitaalAdres": soort, **extra}
    if partij is not None:
        data["verstrektDoorPartij"] = {"uuid": str(partij.uuid)}
    if betrokkene is not None:
        data["verstrektDoorBetrokkene"] = {"uuid": str(betrokkene.uuid)}
    return data


def post(client, data, prefer=PREFER):
    headers = {} if prefer is None else {"HTTP_PREFER": prefer}
    return client.post(URL, data, format="json", **headers)


@pytest.fixture
def log():
    """(naam, bewerking, status, subjects) of each handeling written since the fixture was made."""
    first = Handeling.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def read() -> list[tuple]:
        return [
            (
                handeling.naam,
                handeling.bewerking,
                handeling.status,
                {
                    (v.subject_soort, str(v.subject_uuid))
                    for v in Verwerking.objects.filter(handeling=handeling)
                },
            )
            for handeling in Handeling.objects.filter(id__gt=first).order_by("id")
        ]

    return read


@pytest.fixture
def partij():
    return make_partij()


@pytest.fixture
def mobiel(partij):
    return make_digitaal_adres(partij, "0612345678", soort_digitaal_adres="telefoonnummer")


@pytest.mark.parametrize("adres", ["0612345678", "+31612345678", "0031612345678"])
def test_the_same_number_in_any_notation_answers_with_the_existing_adres(
    api_client, partij, mobiel, adres
):
    response = post(api_client, body(adres, partij=partij))

    assert response.status_code == 200, response.json()
    assert response.json()["uuid"] == str(mobiel.uuid)
    assert response.json() == api_client.get(response.json()["url"]).json()
    assert response["Preference-Applied"] == PREFER
    assert response["Content-Location"] == response.json()["url"]
    assert DigitaalAdres.objects.count() == 1


def test_an_email_address_in_another_case_answers_with_the_existing_adres(api_client, partij):
    email = make_digitaal_adres(partij, "Jan.Jansen@Example.nl")
    response = post(api_client, body("jan.jansen@example.NL ", "email", partij=partij))
    assert response.status_code == 200, response.json()
    assert response.json()["uuid"] == str(email.uuid)
    # The stored adres is returned as it is: the request's fields are not applied.
    assert response.json()["adres"] == "Jan.Jansen@Example.nl"


def test_without_the_preference_a_duplicate_is_created(api_client, partij, mobiel):
    response = post(api_client, body("+31612345678", partij=partij), prefer=None)
    assert response.status_code == 201, response.json()
    assert response.json()["uuid"] != str(mobiel.uuid)
    assert "Preference-Applied" not in response
    assert DigitaalAdres.objects.filter(partij=partij).count() == 2


@pytest.mark.parametrize(
    "prefer, reused",
    [
        ("return=minimal, Hergebruik-Bestaand", True),
        ("hergebruik-bestaand; x=y", True),
        ("respond-async", False),
        ("hergebruik-bestaand=false", False),  # another preference
        ("hergebruik", False),
    ],
)
def test_the_prefer_header_is_read_as_rfc_7240_lists_preferences(
    api_client, partij, mobiel, prefer, reused
):
    response = post(api_client, body(partij=partij), prefer=prefer)
    assert response.status_code == (200 if reused else 201), response.json()
    assert ("Preference-Applied" in response) is reused


def test_with_the_preference_and_nothing_to_reuse_it_creates_once(api_client, partij):
    first = post(api_client, body("06-12345678", "overig", partij=partij))
    again = post(api_client, body("+31 6 1234 5678", "overig", partij=partij))

    assert first.status_code == 201, first.json()
    assert first["Preference-Applied"] == PREFER
    assert "Content-Location" not in first
    assert again.status_code == 200, again.json()
    assert again.json()["uuid"] == first.json()["uuid"]
    assert DigitaalAdres.objects.count() == 1


def test_another_soort_or_partij_or_number_is_created(api_client, partij, mobiel):
    responses = [
        post(api_client, body("0612345678", "overig", partij=partij)),
        post(api_client, body("0612345678", partij=make_partij())),
        post(api_client, body("0612345679", partij=partij)),
    ]
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert DigitaalAdres.objects.count() == 4


def test_the_oldest_of_stored_duplicates_is_the_answer(api_client, partij, mobiel):
    make_digitaal_adres(partij, "+31612345678", soort_digitaal_adres="telefoonnummer")
    response = post(api_client, body("06 12345678", "overig", partij=partij))
    assert response.status_code == 201  # `overig` is another soort
    response = post(api_client, body(partij=partij))
    assert response.json()["uuid"] == str(mobiel.uuid)


def test_a_partijs_adres_is_found_whatever_betrokkene_it_names(api_client, partij, mobiel):
    betrokkene = make_betrokkene(partij=partij)
    response = post(api_client, body(partij=partij, betrokkene=betrokkene))
    assert response.status_code == 200, response.json()
    assert response.json()["uuid"] == str(mobiel.uuid)
    assert response.json()["verstrektDoorBetrokkene"] is None  # as stored


def test_without_a_partij_the_betrokkenes_own_adressen_count(api_client, partij):
    betrokkene = make_betrokkene()
    eigen = make_digitaal_adres(
        betrokkene=betrokkene, adres="0612345678", soort_digitaal_adres="telefoonnummer"
    )
    # An adres of a partij is not one of the betrokkene's own, even when it names it.
    make_digitaal_adres(
        partij, "0687654321", betrokkene=betrokkene, soort_digitaal_adres="telefoonnummer"
    )

    same = post(api_client, body("+31612345678", betrokkene=betrokkene))
    of_partij = post(api_client, body("0687654321", betrokkene=betrokkene))
    other = post(api_client, body("0612345678", betrokkene=make_betrokkene()))

    assert same.status_code == 200 and same.json()["uuid"] == str(eigen.uuid)
    assert of_partij.status_code == 201
    assert other.status_code == 201


def test_without_partij_or_betrokkene_it_always_creates(api_client):
    make_digitaal_adres(None, "0612345678", soort_digitaal_adres="telefoonnummer")
    response = post(api_client, body())
    assert response.status_code == 201, response.json()
    assert DigitaalAdres.objects.count() == 2


@pytest.mark.parametrize(
    "data, name",
    [
        (body("06-1234"), "adres"),
        (body(soort="fax"), "soortDigitaalAdres"),
        ({"soortDigitaalAdres": "email"}, "adres"),
        (body(verstrektDoorPartij={"uuid": "00000000-0000-0000-0000-000000000000"}), None),
    ],
)
def test_an_invalid_request_is_a_400_also_with_the_preference(
    api_client, partij, mobiel, data, name
):
    response = post(api_client, data)
    assert response.status_code == 400, response.content
    if name is not None:
        assert name in {p["name"] for p in response.json()["invalidParams"]}
    assert DigitaalAdres.objects.count() == 1


def test_a_reuse_is_logged_as_a_read_and_writes_no_audit_record(api_client, partij, mobiel, log):
    response = post(api_client, body("+31612345678", partij=partij))
    assert response.status_code == 200

    assert not AuditRecord.objects.exists()
    assert log() == [("digitaleadressen.create", "lezen", 200, {("partij", str(partij.uuid))})]


def test_a_create_with_the_preference_is_logged_and_audited_as_a_create(api_client, partij, log):
    response = post(api_client, body(partij=partij))
    assert response.status_code == 201

    [record] = AuditRecord.objects.all()
    assert (record.actie, str(record.resource_uuid)) == ("create", response.json()["uuid"])
    assert log() == [("digitaleadressen.create", "aanmaken", 201, {("partij", str(partij.uuid))})]


def test_the_preference_needs_the_read_scope(db, partij, mobiel):
    schrijver = client_for(Applicatie.objects.create(naam="S", scopes=["partijen.schrijven"]))
    refused = post(schrijver, body(partij=partij))
    assert refused.status_code == 403
    assert refused.json()["code"] == "missing-scope"
    assert post(schrijver, body(partij=partij), prefer=None).status_code == 201

    lezer = client_for(
        Applicatie.objects.create(naam="SL", scopes=["partijen.schrijven", "partijen.lezen"])
    )
    assert post(lezer, body(partij=partij)).status_code == 200


def test_the_openapi_document_names_the_header_and_both_answers():
    operation = generate("klantinteracties")["paths"]["/digitaleadressen"]["post"]
    [prefer] = [p for p in operation["parameters"] if p["name"] == "Prefer"]
    assert prefer["in"] == "header"
    assert prefer["schema"]["enum"] == [PREFER]
    assert not prefer.get("required", False)
    assert {"200", "201"} <= set(operation["responses"])
    assert "Preference-Applied" in operation["responses"]["200"]["headers"]
    assert "Content-Location" in operation["responses"]["200"]["headers"]


def test_the_answer_hides_what_the_application_may_not_see(db, api_client, partij):
    geheim = make_betrokkene(make_klantcontact(vertrouwelijk=True), partij=partij)
    make_digitaal_adres(
        partij, "0612345678", betrokkene=geheim, soort_digitaal_adres="telefoonnummer"
    )
    client = client_for(
        Applicatie.objects.create(naam="KCC", scopes=["partijen.schrijven", "partijen.lezen"])
    )
    response = post(client, body(partij=partij))
    assert response.status_code == 200, response.json()
    assert response.json()["verstrektDoorBetrokkene"] is None
    assert response.json() == client.get(response.json()["url"]).json()
    # An application that may see it gets the betrokkene.
    alles = post(api_client, body(partij=partij))
    assert alles.json()["verstrektDoorBetrokkene"]["uuid"] == str(geheim.uuid)
