"""A value of the wrong type from the source is refused with its reason (as
docs/overstappen.md promises for what our tables cannot hold), not a traceback that aborts the
run, and every next run, at the same object; a refused second import leaves no open run."""

import uuid

from klantcontacten.models import Klantcontact
from partijen.models import Partij

from .test_nep_bron import _klantcontact, importeer


def test_a_boolean_that_is_no_boolean_is_refused_not_a_traceback(db, nep_bron, tmp_path):
    goed = _klantcontact("0000000001")
    fout = {**_klantcontact("0000000002"), "vertrouwelijk": "misschien"}
    nep = nep_bron({"klantcontacten": [fout, goed]})

    _, rapport = importeer(nep, "--no-progress", "--resource", "klantcontacten", tmp_path=tmp_path)

    assert [m["uuid"] for m in rapport["geweigerd"]] == [fout["uuid"]]
    assert list(Klantcontact.objects.values_list("uuid", flat=True)) == [uuid.UUID(goed["uuid"])]


def test_a_huisnummer_that_is_no_number_is_refused_not_a_traceback(db, nep_bron, tmp_path):
    def partij(adres):
        return {
            "uuid": str(uuid.uuid4()),
            "nummer": None,
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld",
            "interneNotitie": "",
            "bezoekadres": adres,
            "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        }

    goed = partij({"straatnaam": "Markt", "huisnummer": 1})
    fout = partij({"straatnaam": "Markt", "huisnummer": "12a"})
    nep = nep_bron({"partijen": [fout, goed]})

    _, rapport = importeer(nep, "--no-progress", "--resource", "partijen", tmp_path=tmp_path)

    assert [m["uuid"] for m in rapport["geweigerd"]] == [fout["uuid"]]
    assert list(Partij.objects.values_list("uuid", flat=True)) == [uuid.UUID(goed["uuid"])]


def _partij(soort="persoon", **extra):
    return {
        "uuid": str(uuid.uuid4()),
        "nummer": None,
        "soortPartij": soort,
        "indicatieActief": True,
        "indicatieGeheimhouding": False,
        "voorkeurstaal": "nld",
        "interneNotitie": "",
        "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        **extra,
    }


def test_a_second_import_that_stops_at_once_leaves_no_run_without_an_end(db, nep_bron, tmp_path):
    # docs/overstappen.md: each run is accounted for in overstap_importrun with start and end.
    import psycopg
    import pytest
    from django.core.management.base import CommandError
    from django.db import connection

    from overstap.models import Importrun
    from overstap.services import SLOT

    nep = nep_bron({"klantcontacten": [_klantcontact("0000000001")]})
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as ander:
        ander.execute("SELECT pg_advisory_lock(%s)", [SLOT])  # an import under way
        with pytest.raises(CommandError):
            importeer(nep, "--no-progress", tmp_path=tmp_path)
        ander.execute("SELECT pg_advisory_unlock(%s)", [SLOT])

    assert not Importrun.objects.filter(geeindigd_op__isnull=True).exists()
