"""What deleting a klantcontact or a partij does to the contact history."""

import pytest

from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from partijen.models import DigitaalAdres, Partij
from taken.models import ActorKlantcontact, InterneTaak

from .factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_bijlage,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def test_deleting_a_klantcontact_deletes_its_parts(api_client):
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact)
    adres = make_digitaal_adres(betrokkene=betrokkene)
    make_onderwerpobject(klantcontact=contact)
    verwijzend = make_onderwerpobject(klantcontact=make_klantcontact(), was_klantcontact=contact)
    make_bijlage(klantcontact=contact)
    make_interne_taak(contact)
    make_actor_klantcontact(make_actor(), contact)

    assert api_client.delete(f"{API}/klantcontacten/{contact.uuid}").status_code == 204

    assert not Klantcontact.objects.filter(pk=contact.pk).exists()
    assert not Betrokkene.objects.exists()
    assert list(Onderwerpobject.objects.all()) == [verwijzend]
    verwijzend.refresh_from_db()
    assert verwijzend.was_klantcontact is None
    assert not Bijlage.objects.exists()
    assert not InterneTaak.objects.exists()
    assert not ActorKlantcontact.objects.exists()
    # The digitaal adres the betrokkene gave stays, unlinked.
    adres.refresh_from_db()
    assert adres.betrokkene is None


def test_deleting_a_partij_keeps_klantcontacten_and_betrokkenen(api_client):
    partij = make_partij()
    contact = make_klantcontact()
    betrokkene = make_betrokkene(contact, partij=partij)

    response = api_client.delete(f"{API}/partijen/{partij.uuid}")

    assert response.status_code == 204
    assert not Partij.objects.exists()
    assert Klantcontact.objects.filter(pk=contact.pk).exists()
    betrokkene.refresh_from_db()
    assert betrokkene.partij is None
    data = api_client.get(f"{API}/betrokkenen/{betrokkene.uuid}").json()
    assert data["wasPartij"] is None
    history = api_client.get(f"{API}/klantcontacten", {"hadBetrokkene__wasPartij": "false"})
    assert [k["uuid"] for k in history.json()["results"]] == [str(contact.uuid)]


def test_deleting_a_partij_deletes_its_own_digitale_adressen():
    partij = make_partij()
    betrokkene = make_betrokkene(partij=partij)
    make_digitaal_adres(partij=partij, betrokkene=betrokkene)

    partij.delete()

    assert not DigitaalAdres.objects.exists()
    assert Betrokkene.objects.filter(pk=betrokkene.pk).exists()
