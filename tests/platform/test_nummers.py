"""Generated nummers come from the INSERT's column default and skip client-chosen ones."""

import pytest
from django.db import connection

from klantcontacten.models import Klantcontact
from klantinteracties.nummers import next_nummer, sequence_name
from partijen.models import Partij
from taken.models import InterneTaak

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"
KLANTCONTACT = {
    "kanaal": "telefoon",
    "onderwerp": "Afvalpas",
    "taal": "nld",
    "vertrouwelijk": False,
}


def upcoming(model, ahead: int = 1) -> str:
    """The nummer the sequence hands out `ahead` values from now, without taking it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence_name(model._meta.db_table)}")
        last, called = cursor.fetchone()
    return f"{last + ahead if called else last + ahead - 1:010d}"


def test_generated_nummer_skips_the_ones_clients_chose(api_client):
    chosen = [upcoming(Klantcontact, 1), upcoming(Klantcontact, 2)]
    for nummer in chosen:
        response = api_client.post(
            f"{API}/klantcontacten", {**KLANTCONTACT, "nummer": nummer}, format="json"
        )
        assert response.status_code == 201, response.json()
    skipped_to = upcoming(Klantcontact, 3)

    response = api_client.post(f"{API}/klantcontacten", KLANTCONTACT, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["nummer"] == skipped_to
    assert Klantcontact.objects.get(uuid=response.json()["uuid"]).nummer == skipped_to


@pytest.mark.parametrize("model", [Partij, Klantcontact, InterneTaak])
def test_next_nummer_is_the_column_default_and_ten_digits(model):
    expected = upcoming(model)

    assert next_nummer(model) == expected
    assert len(expected) == 10 and expected.isdigit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'nummer'",
            [model._meta.db_table],
        )
        assert cursor.fetchone()[0] == f"{model._meta.db_table}_next_nummer()"


def test_orm_create_without_nummer_reads_it_back(api_client):
    partij = Partij.objects.create(soort_partij="persoon")

    assert partij.nummer and len(partij.nummer) == 10
    assert Partij.objects.get(pk=partij.pk).nummer == partij.nummer
