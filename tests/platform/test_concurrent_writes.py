"""A write that loses to a concurrent one (a deadlock, a serialization failure) is a 409 with
Retry-After, nothing saved, never a 500."""

import psycopg
import pytest
from django.db import OperationalError

from partijen import services
from partijen.models import DigitaalAdres
from tests.partijen.factories import make_digitaal_adres, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/digitaleadressen"


@pytest.mark.parametrize(
    "error", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_a_lost_concurrent_write_is_a_409_to_repeat(api_client, monkeypatch, error):
    adres = make_digitaal_adres(make_partij())
    original = services.digitaal_adres_save

    def verliest(**kwargs):
        original(**kwargs)  # the write happens, then the database gives up on it
        try:
            raise error("deadlock detected")
        except error as cause:
            raise OperationalError("deadlock detected") from cause

    monkeypatch.setattr(services, "digitaal_adres_save", verliest)

    response = api_client.patch(f"{URL}/{adres.uuid}", {"omschrijving": "nieuw"}, format="json")

    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "conflict"
    assert DigitaalAdres.objects.get(pk=adres.pk).omschrijving == ""


def test_another_operational_error_is_not_a_409(api_client, monkeypatch):
    adres = make_digitaal_adres(make_partij())

    def stuk(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "digitaal_adres_save", stuk)
    api_client.raise_request_exception = False

    response = api_client.patch(f"{URL}/{adres.uuid}", {"omschrijving": "nieuw"}, format="json")

    # Not a concurrent write: a lost connection, to be tried again later
    # (tests/platform/test_database_onbereikbaar.py).
    assert response.status_code == 503
    assert response.json()["code"] == "database_onbereikbaar"
