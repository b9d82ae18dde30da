"""Writes of the klantcontacten register that touch several objects."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from klantinteracties.nummers import generated
from partijen.models import DigitaalAdres

from .models import Betrokkene, Klantcontact, Onderwerpobject


@dataclass(frozen=True)
class Registratie:
    klantcontact: Klantcontact
    betrokkene: Betrokkene | None = None
    onderwerpobject: Onderwerpobject | None = None


def klantcontact_create(*, nummer: str | None = None, **fields) -> Klantcontact:
    """Create a klantcontact; without a `nummer` its INSERT takes the next free one."""
    return Klantcontact.objects.create(nummer=nummer or generated(Klantcontact), **fields)


def klantcontact_register(
    *,
    klantcontact: dict,
    betrokkene: dict | None = None,
    onderwerpobject: dict | None = None,
    savepoint: bool = True,
) -> Registratie:
    """Record a klantcontact with its betrokkene and onderwerpobject in one transaction.

    The parts arrive validated; the links to the new klantcontact are set here. A caller whose
    own transaction covers the whole request may pass `savepoint=False` (two round trips
    less): a failure then aborts that transaction instead of only this part of it.
    """
    with transaction.atomic(savepoint=savepoint):
        contact = klantcontact_create(**klantcontact)
        nieuwe_betrokkene = (
            Betrokkene.objects.create(klantcontact=contact, **betrokkene)
            if betrokkene is not None
            else None
        )
        nieuw_onderwerpobject = (
            Onderwerpobject.objects.create(klantcontact=contact, **onderwerpobject)
            if onderwerpobject is not None
            else None
        )
    return Registratie(contact, nieuwe_betrokkene, nieuw_onderwerpobject)


def cascade_van(onderwerpobject: Onderwerpobject) -> tuple[list, list]:
    """`(behouden, te_verwijderen)`: the klantcontacten of an onderwerpobject that a deletion
    with cascade keeps (another onderwerpobject still refers to them) and deletes."""
    behouden: list[Klantcontact] = []
    te_verwijderen: list[Klantcontact] = []
    gekoppeld = {
        contact.pk: contact
        for contact in (onderwerpobject.klantcontact, onderwerpobject.was_klantcontact)
        if contact is not None
    }
    for contact in gekoppeld.values():
        elders_gebruikt = (
            Onderwerpobject.objects.filter(Q(klantcontact=contact) | Q(was_klantcontact=contact))
            .exclude(pk=onderwerpobject.pk)
            .exists()
        )
        (behouden if elders_gebruikt else te_verwijderen).append(contact)
    return behouden, te_verwijderen


def onderwerpobject_delete(*, onderwerpobject: Onderwerpobject, cascade: bool = False) -> list:
    """Delete an onderwerpobject; with `cascade`, also its klantcontacten no other uses.

    A klantcontact (via `klantcontact` or `wasKlantcontact`) that another onderwerpobject
    still refers to is kept and returned. A deleted klantcontact takes its betrokkenen,
    onderwerpobjecten, bijlagen and interne taken with it, and the digitale adressen of its
    betrokkenen that belong to no partij (a partij's own adressen stay).
    """
    behouden: list[Klantcontact] = []
    te_verwijderen: list[Klantcontact] = []
    with transaction.atomic():
        if cascade:
            behouden, te_verwijderen = cascade_van(onderwerpobject)
        onderwerpobject.delete()
        for contact in te_verwijderen:
            DigitaalAdres.objects.filter(
                betrokkene__klantcontact=contact, partij__isnull=True
            ).delete()
            contact.delete()
    return behouden
