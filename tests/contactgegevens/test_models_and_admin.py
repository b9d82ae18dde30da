"""Database constraints behind the date rules, and the admin of both models."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from contactgegevens.models import Organisatie, Persoon

from .factories import make_organisatie, make_persoon

pytestmark = pytest.mark.django_db


def test_database_refuses_overlijden_before_geboorte():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_persoon(
            geboortedatum=datetime.date(2000, 1, 2), overlijdensdatum=datetime.date(2000, 1, 1)
        )


def test_database_refuses_opheffing_before_oprichting():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_organisatie(
            oprichtingsdatum=datetime.date(2000, 1, 2), opheffingsdatum=datetime.date(2000, 1, 1)
        )


def test_str():
    persoon = make_persoon(voornamen="Jan", voorvoegsel="van", geslachtsnaam="Dijk")
    assert str(persoon) == "Jan van Dijk"
    assert str(make_organisatie(handelsnaam="Gemeente")) == "Gemeente"


@pytest.mark.parametrize("model", [Persoon, Organisatie])
def test_admin_pages_load(admin_client, model):
    instance = make_persoon() if model is Persoon else make_organisatie()
    base = f"/admin/contactgegevens/{model._meta.model_name}/"

    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base, {"q": "Jansen"}).status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 200
    assert admin_client.get(f"{base}{instance.pk}/change/").status_code == 200


def test_admin_refuses_inconsistent_dates(admin_client):
    response = admin_client.post(
        "/admin/contactgegevens/persoon/add/",
        {
            "geslachtsnaam": "Jansen",
            "geboortedatum": "2000-01-02",
            "overlijdensdatum": "2000-01-01",
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert "De overlijdensdatum ligt vóór de geboortedatum." in response.content.decode()
    assert not Persoon.objects.exists()


def test_admin_applies_the_adres_rules_of_the_api(admin_client):
    response = admin_client.post(
        "/admin/contactgegevens/organisatie/add/",
        {"handelsnaam": "Gemeente", "adres_postcode": "1234ab", "adres_land": "XX"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Postcode moet aan het formaat" in page
    assert "Ongeldige landcode" in page
    assert not Organisatie.objects.exists()


def test_admin_saves_a_valid_organisatie(admin_client):
    response = admin_client.post(
        "/admin/contactgegevens/organisatie/add/",
        {"handelsnaam": "Gemeente", "adres_postcode": "1234 AB", "adres_land": "NL"},
    )

    assert response.status_code == 302
    assert Organisatie.objects.get().adres_postcode == "1234 AB"
