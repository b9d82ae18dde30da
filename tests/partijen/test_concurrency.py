"""Writes that check other rows lock them: a concurrent write of those rows waits, and the
check then sees what it committed."""

import threading

import pytest
from django.db import connection
from rest_framework.exceptions import ValidationError

from partijen import services
from partijen.models import Partij
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db(transaction=True)


class Held(threading.Thread):
    """Runs `write` in its own transaction and connection, and keeps the transaction open
    until `release` is set."""

    def __init__(self, write):
        super().__init__(daemon=True)
        self.write, self.error = write, None
        self.written, self.release = threading.Event(), threading.Event()

    def run(self):
        from django.db import transaction

        try:
            with transaction.atomic():
                self.write()
                self.written.set()
                self.release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            self.error = exc
            self.written.set()
        finally:
            connection.close()


class Waiting(threading.Thread):
    def __init__(self, write):
        super().__init__(daemon=True)
        self.write, self.error = write, None

    def run(self):
        try:
            self.write()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            self.error = exc
        finally:
            connection.close()


def test_a_voorkeur_set_while_its_adres_moves_away_waits_and_is_refused():
    partij, andere = make_partij(), make_partij()
    adres = make_digitaal_adres(partij)

    move = Held(
        lambda: services.digitaal_adres_save(
            instance=services.DigitaalAdres.objects.get(pk=adres.pk), data={"partij": andere}
        )
    )
    move.start()
    assert move.written.wait(10) and move.error is None
    voorkeur = Waiting(
        lambda: services.partij_save(
            instance=Partij.objects.get(pk=partij.pk),
            data={"voorkeurs_digitaal_adres": services.DigitaalAdres.objects.get(pk=adres.pk)},
        )
    )
    voorkeur.start()
    voorkeur.join(0.5)
    assert voorkeur.is_alive()  # waiting for the adres row

    move.release.set()
    move.join(10)
    voorkeur.join(10)

    assert isinstance(voorkeur.error, ValidationError)
    assert "voorkeursDigitaalAdres" in voorkeur.error.detail
    assert Partij.objects.get(pk=partij.pk).voorkeurs_digitaal_adres is None
