from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from klantinteracties.api.models import Token
from partijen.models import Partij


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_creates_get_unique_nummers():
    _, key = Token.objects.create_token("load")

    def create(_):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            response = client.post(
                "/klantinteracties/api/v1/partijen",
                {"soortPartij": "persoon", "indicatieActief": True},
                format="json",
            )
            return response.status_code, response.json()["nummer"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(24)))
    assert {status for status, _ in results} == {201}
    nummers = [nummer for _, nummer in results]
    assert len(set(nummers)) == 24
    assert Partij.objects.count() == 24
