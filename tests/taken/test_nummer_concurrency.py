"""Concurrent creates of interne taken all get their own nummer."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from klantinteracties.api.models import Token
from taken.models import InterneTaak

from .factories import API, make_klantcontact, make_medewerker


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_unique_nummers():
    _, key = Token.objects.create_token("concurrency")
    medewerker, klantcontact = make_medewerker(), make_klantcontact()
    body = {
        "nummer": "",
        "aanleidinggevendKlantcontact": {"uuid": str(klantcontact.uuid)},
        "toegewezenAanActoren": [{"uuid": str(medewerker.uuid)}],
        "gevraagdeHandeling": "Terugbellen",
        "status": "te_verwerken",
    }
    barrier = threading.Barrier(8)
    statuses, nummers = [], []

    def create():
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            barrier.wait()
            response = client.post(f"{API}/internetaken", body, format="json")
            statuses.append(response.status_code)
            nummers.append(response.json().get("nummer"))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * 8
    assert len(set(nummers)) == 8
    assert InterneTaak.objects.count() == 8
