"""Writes of interne taken: the taak, its nummer and its toewijzingen, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantinteracties.nummers import generated

from .models import Actor, InterneTaak, InterneTaakToewijzing, Status

# `afgehandeld_op` of an update that does not name it.
NOT_GIVEN = object()


def afgehandeld_op_voor(
    *,
    status: str,
    afgehandeld_op: datetime.datetime | None | object,
    vorige: InterneTaak | None = None,
    nu: datetime.datetime | None = None,
) -> datetime.datetime | None:
    """`afgehandeldOp` follows the status: set when it becomes verwerkt, cleared otherwise.

    A verwerkt taak keeps its moment unless a new one is given; `None` given means now.
    """
    if status != Status.VERWERKT:
        return None
    if afgehandeld_op is NOT_GIVEN:
        if vorige is not None and vorige.status == Status.VERWERKT and vorige.afgehandeld_op:
            return vorige.afgehandeld_op
        afgehandeld_op = None
    return afgehandeld_op or nu or timezone.now()


def _check_actoren(actoren: list[Actor]) -> None:
    # Inactive actoren may be assigned, as in the reference (the history of another system
    # is imported with them); indicatieActief tells a client whom to offer for new work.
    if not actoren:
        raise ValidationError(
            {"toegewezen_aan_actoren": "Een interne taak wordt aan minstens één actor toegewezen."},
            code="required",
        )


def _assign(internetaak: InterneTaak, actoren: list[Actor]) -> None:
    # Toewijzingen are ordered by id, so insertion order is the assignment order.
    InterneTaakToewijzing.objects.bulk_create(
        InterneTaakToewijzing(internetaak=internetaak, actor=actor) for actor in actoren
    )


@transaction.atomic
def internetaak_create(
    *,
    klantcontact,
    actoren: list[Actor],
    gevraagde_handeling: str,
    status: str,
    nummer: str | None = None,
    referentienummer: str = "",
    toelichting: str = "",
    afgehandeld_op: datetime.datetime | None = None,
) -> InterneTaak:
    actoren = list(dict.fromkeys(actoren))
    _check_actoren(actoren)
    nu = timezone.now()
    internetaak = InterneTaak.objects.create(
        nummer=nummer or generated(InterneTaak),
        referentienummer=referentienummer or "",
        gevraagde_handeling=gevraagde_handeling,
        klantcontact=klantcontact,
        toelichting=toelichting,
        status=status,
        toegewezen_op=nu,
        afgehandeld_op=afgehandeld_op_voor(status=status, afgehandeld_op=afgehandeld_op, nu=nu),
    )
    _assign(internetaak, actoren)
    return internetaak


@transaction.atomic
def internetaak_update(
    *,
    internetaak: InterneTaak,
    actoren: list[Actor] | None = None,
    nummer: str | None = None,
    afgehandeld_op: datetime.datetime | None | object = NOT_GIVEN,
    **fields,
) -> InterneTaak:
    """Update the given fields; `actoren` (when given) replaces the assignment.

    `fields`: any of referentienummer, gevraagde_handeling, klantcontact, toelichting, status.
    A missing or empty `nummer` keeps the current one; `afgehandeld_op=None` (the request's
    `afgehandeldOp: null`) with status verwerkt means now.
    """
    if actoren is not None:
        actoren = list(dict.fromkeys(actoren))
        _check_actoren(actoren)

    # Lock the row so two concurrent status changes do not both compute afgehandeldOp.
    vorige = InterneTaak.objects.select_for_update().get(pk=internetaak.pk)
    for name, value in fields.items():
        setattr(internetaak, name, value)
    if nummer:
        internetaak.nummer = nummer
    if internetaak.referentienummer is None:
        internetaak.referentienummer = ""
    internetaak.afgehandeld_op = afgehandeld_op_voor(
        status=internetaak.status, afgehandeld_op=afgehandeld_op, vorige=vorige
    )
    internetaak.save()

    if actoren is not None and [a.pk for a in actoren] != [
        a.pk for a in vorige.toegewezen_aan_actoren
    ]:
        internetaak.toewijzingen.all().delete()
        _assign(internetaak, actoren)
    # Drop a prefetched (now stale) list of toewijzingen.
    getattr(internetaak, "_prefetched_objects_cache", {}).pop("toewijzingen", None)
    return internetaak
