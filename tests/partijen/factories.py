"""ORM factories for the Partijen register (tests only)."""

import itertools

from klantinteracties.nummers import next_nummer
from partijen.models import DigitaalAdres, Partij, PartijIdentificator

# Valid BSNs (11-proef) for tests.
BSNS = ["111222333", "123456782", "999993653", "999990019", "999991942", "999993021"]
_counter = itertools.count(1)


def make_partij(**fields) -> Partij:
    fields.setdefault("soort_partij", "persoon")
    fields.setdefault("indicatie_actief", True)
    fields.setdefault("contactnaam_voornaam", f"Jan{next(_counter)}")
    fields.setdefault("contactnaam_achternaam", "Jansen")
    fields.setdefault("nummer", next_nummer(Partij))
    return Partij.objects.create(**fields)


def make_identificator(partij, object_id="111222333", **fields) -> PartijIdentificator:
    fields.setdefault("code_objecttype", "natuurlijk_persoon")
    fields.setdefault("code_soort_object_id", "bsn")
    fields.setdefault("code_register", "brp")
    return PartijIdentificator.objects.create(partij=partij, object_id=object_id, **fields)


def make_digitaal_adres(partij=None, adres="jan@example.nl", **fields) -> DigitaalAdres:
    fields.setdefault("soort_digitaal_adres", "email")
    return DigitaalAdres.objects.create(partij=partij, adres=adres, **fields)
