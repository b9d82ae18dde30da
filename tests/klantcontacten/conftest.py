import pytest
from django.db import connection

from tests.autorisatie.conftest import client_with  # noqa: F401  (a fixture)


@pytest.fixture
def tellingen_direct(db):
    """The counter triggers of KlantcontactTelling fire at each statement, not at commit.

    They are deferred to the commit (klantcontacten migration 0008), which a test inside its
    rolled-back transaction never reaches. tests/klantcontacten/test_klantcontact_telling.py
    shows them firing at a real commit.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS klantcontact_telling, klantcontact_telling_wijziging IMMEDIATE"
        )
