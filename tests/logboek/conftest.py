import pytest

from logboek.models import Handeling, Verwerking
from logboek.subjecten import identificator_hash
from tests.autorisatie.conftest import client_with  # noqa: F401  (a fixture)


@pytest.fixture
def log():
    """The handelingen written since the fixture was made, each with its subjects."""
    first = Handeling.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def read() -> list[dict]:
        found = []
        for handeling in Handeling.objects.filter(id__gt=first).order_by("id"):
            subjects = Verwerking.objects.filter(handeling=handeling).order_by("id")
            found.append(
                {
                    "handeling": handeling,
                    "naam": handeling.naam,
                    "bewerking": handeling.bewerking,
                    "subjects": {(s.subject_soort, str(s.subject_uuid)) for s in subjects},
                    "hashes": {
                        (s.identificator_soort, bytes(s.identificator_hash))
                        for s in subjects
                        if s.identificator_hash is not None
                    },
                }
            )
        return found

    return read


def bsn_hash(bsn: str) -> tuple[str, bytes]:
    return ("bsn", identificator_hash("bsn", bsn))


def bsn_identificator(bsn: str) -> dict:
    """A `partijIdentificator` of a BSN, as a write sends it."""
    return {
        "codeObjecttype": "natuurlijk_persoon",
        "codeSoortObjectId": "bsn",
        "objectId": bsn,
        "codeRegister": "brp",
    }
