"""Concurrent creates with `Prefer: hergebruik-bestaand` make one adres: the second waits for
the first's lock on (verstrekker, soort, normalised adres) and then finds its adres."""

import threading

import pytest
from django.db import connection, transaction

from partijen.models import DigitaalAdres
from partijen.normalisatie import bestaand_digitaal_adres
from tests.partijen.factories import make_partij

from .test_concurrency import Held

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/klantinteracties/api/v1/digitaleadressen"


def body(partij, adres):
    return {
        "adres": adres,
        "soortDigitaalAdres": "telefoonnummer",
        "verstrektDoorPartij": {"uuid": str(partij.uuid)},
    }


class Post(threading.Thread):
    def __init__(self, client, data, start_together=None):
        super().__init__(daemon=True)
        self.client, self.data, self.barrier = client, data, start_together
        self.response, self.error = None, None

    def run(self):
        try:
            if self.barrier is not None:
                self.barrier.wait(10)
            self.response = self.client.post(
                URL, self.data, format="json", HTTP_PREFER="hergebruik-bestaand"
            )
        except Exception as exc:  # noqa: BLE001 - reported to the test
            self.error = exc
        finally:
            connection.close()


def test_a_create_waits_for_the_one_in_progress_and_answers_with_its_adres(api_client):
    partij = make_partij()
    made = {}

    def create():
        assert (
            bestaand_digitaal_adres(
                partij=partij, betrokkene=None, soort="telefoonnummer", adres="06-12345678"
            )
            is None
        )
        made["adres"] = DigitaalAdres.objects.create(
            partij=partij, adres="0612345678", soort_digitaal_adres="telefoonnummer"
        )

    first = Held(create)
    first.start()
    assert first.written.wait(10) and first.error is None
    second = Post(api_client, body(partij, "+31612345678"))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the lock

    first.release.set()
    first.join(10)
    second.join(10)

    assert second.error is None
    assert second.response.status_code == 200, second.response.json()
    assert second.response.json()["uuid"] == str(made["adres"].uuid)
    assert DigitaalAdres.objects.count() == 1


def test_the_lock_is_per_adres(api_client):
    partij = make_partij()
    first = Held(
        lambda: bestaand_digitaal_adres(
            partij=partij, betrokkene=None, soort="telefoonnummer", adres="0612345678"
        )
    )
    first.start()
    assert first.written.wait(10) and first.error is None
    other = Post(api_client, body(partij, "0687654321"))
    other.start()
    other.join(10)  # not waiting for the first
    first.release.set()
    first.join(10)

    assert other.response.status_code == 201, other.response.json()


@pytest.mark.parametrize("notaties", [("0612345678", "+31612345678", "0031612345678")])
def test_simultaneous_requests_create_one_adres(api_client, notaties):
    partij = make_partij()
    barrier = threading.Barrier(len(notaties))
    posts = [Post(api_client, body(partij, notatie), barrier) for notatie in notaties]
    for post in posts:
        post.start()
    for post in posts:
        post.join(20)

    assert [post.error for post in posts] == [None] * len(posts)
    statuses = sorted(post.response.status_code for post in posts)
    assert statuses == [200] * (len(posts) - 1) + [201]
    assert len({post.response.json()["uuid"] for post in posts}) == 1
    assert DigitaalAdres.objects.count() == 1


def test_the_lookup_refuses_to_run_outside_a_transaction():
    partij = make_partij()
    with pytest.raises(RuntimeError):
        bestaand_digitaal_adres(
            partij=partij, betrokkene=None, soort="telefoonnummer", adres="0612345678"
        )
    with transaction.atomic():
        assert (
            bestaand_digitaal_adres(
                partij=partij, betrokkene=None, soort="telefoonnummer", adres="0612345678"
            )
            is None
        )
