"""A partij's voorkeur and standaard adressen stay its own when adressen and rekeningnummers
move between partijen, by whichever endpoint."""

import pytest

from partijen.models import DigitaalAdres, Partij, Rekeningnummer
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def ref(obj) -> dict:
    return {"uuid": str(obj.uuid)}


def partij_met_voorkeuren():
    partij = make_partij()
    adres = make_digitaal_adres(partij, is_standaard_adres=True)
    rekening = Rekeningnummer.objects.create(partij=partij, iban="NL91ABNA0417164300")
    partij.voorkeurs_digitaal_adres = adres
    partij.voorkeurs_rekeningnummer = rekening
    partij.save()
    return partij, adres, rekening


def assert_partij_still_writable(api_client, partij):
    response = api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"interneNotitie": "bijgewerkt"}, format="json"
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("nieuwe_partij", [True, False])
@pytest.mark.parametrize(
    "resource, field, voorkeur",
    [
        ("digitaleadressen", "verstrektDoorPartij", "voorkeurs_digitaal_adres"),
        ("rekeningnummers", "partij", "voorkeurs_rekeningnummer"),
    ],
)
def test_what_moves_away_is_no_longer_the_old_partijs_voorkeur(
    api_client, resource, field, voorkeur, nieuwe_partij
):
    partij, adres, rekening = partij_met_voorkeuren()
    moved = adres if resource == "digitaleadressen" else rekening
    andere = make_partij()

    response = api_client.patch(
        f"{API}/{resource}/{moved.uuid}",
        {field: ref(andere) if nieuwe_partij else None},
        format="json",
    )

    assert response.status_code == 200, response.json()
    partij.refresh_from_db()
    assert getattr(partij, voorkeur) is None
    assert_partij_still_writable(api_client, partij)


def test_a_partij_that_takes_over_adressen_leaves_the_other_partij_consistent(api_client):
    partij, adres, rekening = partij_met_voorkeuren()
    eigen = make_digitaal_adres(adres="eigen@example.nl", is_standaard_adres=True)
    andere = make_partij()
    andere_eigen = make_digitaal_adres(andere, adres="ander@example.nl", is_standaard_adres=True)

    response = api_client.patch(
        f"{API}/partijen/{andere.uuid}",
        {
            "digitaleAdressen": [ref(andere_eigen), ref(adres)],
            "rekeningnummers": [ref(rekening)],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    partij.refresh_from_db()
    assert (partij.voorkeurs_digitaal_adres, partij.voorkeurs_rekeningnummer) == (None, None)
    adres.refresh_from_db()
    # A standaard adres belongs to the partij it was standaard for.
    assert (adres.partij, adres.is_standaard_adres) == (andere, False)
    assert DigitaalAdres.objects.get(pk=andere_eigen.pk).is_standaard_adres is True
    assert_partij_still_writable(api_client, partij)
    # An unlinked standaard adres taken in keeps its flag, when it is the only one.
    response = api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"digitaleAdressen": [ref(eigen)]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert DigitaalAdres.objects.get(pk=eigen.pk).is_standaard_adres is True


def test_two_standaard_adressen_of_one_soort_in_the_list_are_a_400(api_client):
    partij = make_partij()
    een = make_digitaal_adres(adres="een@example.nl", is_standaard_adres=True)
    twee = make_digitaal_adres(adres="twee@example.nl", is_standaard_adres=True)

    response = api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"digitaleAdressen": [ref(een), ref(twee)]}, format="json"
    )

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["digitaleAdressen"]
    assert not partij.digitaleadressen.exists()


def test_the_same_iban_twice_in_the_list_is_a_400(api_client):
    partij = make_partij()
    a = Rekeningnummer.objects.create(partij=make_partij(), iban="NL91ABNA0417164300")
    b = Rekeningnummer.objects.create(partij=make_partij(), iban="NL91ABNA0417164300")

    response = api_client.patch(
        f"{API}/partijen/{partij.uuid}", {"rekeningnummers": [ref(a), ref(b)]}, format="json"
    )

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["rekeningnummers"]
    assert not Partij.objects.get(pk=partij.pk).rekeningnummers.exists()
