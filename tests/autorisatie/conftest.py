import pytest
from rest_framework.test import APIClient

from autorisatie.models import Applicatie
from klantinteracties.api.models import Token

# The scopes with which an application sees everything, besides its own (audit trails, the
# inzage, the processing log need such an application).
SEES_EVERYTHING = [
    "partijen.lezen",
    "klantcontacten.lezen",
    "taken.lezen",
    "contactgegevens.lezen",
    "klantcontacten.vertrouwelijk",
]


def client_for(applicatie: Applicatie) -> APIClient:
    _, key = Token.objects.create_token(applicatie.naam, applicatie=applicatie)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def client_with(db):
    """An API client of a new application with the given scopes (and other settings)."""

    def make(*scopes, **fields) -> APIClient:
        applicatie = Applicatie.objects.create(
            naam=f"app-{Applicatie.objects.count() + 1}", scopes=list(scopes), **fields
        )
        return client_for(applicatie)

    return make
