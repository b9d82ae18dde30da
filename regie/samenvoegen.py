"""Samenvoegen: duplicate partijen merged into one surviving partij (docs/regie.md).

Everything that hangs off a duplicate moves to the survivor: its betrokkenen, digitale
adressen, rekeningnummers, partij-identificatoren, categorie-relaties, vertegenwoordigingen
(either side) and the contactpersonen who work for it. What would then be there twice is
resolved (see `_plan`); the duplicates are deleted and their uuids forward to the survivor
(partijen.SamengevoegdePartij). It spans the partijen and klantcontacten registers, hence
here and not in either.

One transaction: the rows are locked (adressen and rekeningnummers before partijen, as in
partijen.services; each kind in key order), everything is checked before the first write,
and every object that changes or goes is recorded in the audit trail, with its
announcements, in the same transaction. The number of statements does not depend on how
many objects move: each kind is read, rendered and written as a set.
"""

import dataclasses
import uuid as uuid_module
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS
from django.db.models.functions import Now
from django.utils import timezone
from rest_framework import serializers

from autorisatie import afscherming
from klantcontacten.models import Betrokkene
from klantcontacten.serializers import BetrokkeneSerializer
from klantinteracties.api.expand import representation_lookups, uuid_array_annotations
from klantinteracties.api.prefetch import prefetch_rows
from logboek.subjecten import subjects_of
from logboek.vastleggen import Wie, audit_vastleggen, verwerking_vastleggen
from logboek.viewsets import full_view, wijziging
from partijen.models import (
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SamengevoegdePartij,
    Vertegenwoordigden,
)
from partijen.serializers import (
    CategorieRelatieSerializer,
    DigitaalAdresSerializer,
    PartijIdentificatorSerializer,
    PartijSerializer,
    RekeningnummerSerializer,
    VertegenwoordigdenSerializer,
)

# At most this many duplicates in one request.
MAX_DUPLICATEN = 50

# The objects that can change or go in a merge, with the serializer of their audit
# representation, in the order of their audit records.
SOORTEN = (
    (Betrokkene, BetrokkeneSerializer),
    (DigitaalAdres, DigitaalAdresSerializer),
    (Rekeningnummer, RekeningnummerSerializer),
    (PartijIdentificator, PartijIdentificatorSerializer),
    (CategorieRelatie, CategorieRelatieSerializer),
    (Vertegenwoordigden, VertegenwoordigdenSerializer),
    (Partij, PartijSerializer),
)


def _fout(name: str, message: str, code: str) -> serializers.ValidationError:
    return serializers.ValidationError({name: [serializers.ErrorDetail(message, code=code)]})


@dataclasses.dataclass
class Plan:
    """What a merge changes, worked out (and checked) before anything is written."""

    overblijver: Partij
    duplicaten: list[Partij]
    # Keys per model of the objects whose representation changes, and of those that go.
    gewijzigd: dict = dataclasses.field(default_factory=dict)
    verwijderd: dict = dataclasses.field(default_factory=dict)
    # The writes, as (model, keys, values) updates in this order.
    updates: list = dataclasses.field(default_factory=list)
    # A categorie-relatie that absorbs another's period: {pk: (begin, eind)}.
    perioden: dict = dataclasses.field(default_factory=dict)
    # The survivor's own new values (voorkeuren it had none of).
    overblijver_velden: dict = dataclasses.field(default_factory=dict)

    @property
    def duplicaat_pks(self) -> list[int]:
        return [partij.pk for partij in self.duplicaten]

    def wijzig(self, model, pks: Iterable[int]) -> None:
        self.gewijzigd.setdefault(model, set()).update(pks)

    def verwijder(self, model, pks: Iterable[int]) -> None:
        self.verwijderd.setdefault(model, set()).update(pks)

    def update(self, model, pks, **values) -> None:
        pks = sorted(set(pks))
        if pks:
            self.updates.append((model, pks, values))
            self.wijzig(model, pks)


def _check_lijst(overblijver_uuid, uuids: list) -> None:
    """The request's list: not empty, no uuid twice, not the survivor itself."""
    if not uuids:
        raise _fout("partijen", "Noem ten minste één partij om samen te voegen.", "empty")
    if len(uuids) > MAX_DUPLICATEN:
        raise _fout("partijen", f"Ten hoogste {MAX_DUPLICATEN} partijen per verzoek.", "max_length")
    errors = {}
    seen = set()
    for index, value in enumerate(uuids):
        if value == overblijver_uuid:
            errors[f"partijen.{index}.uuid"] = [
                serializers.ErrorDetail(
                    "Dit is de overblijvende partij zelf; die kan niet in zichzelf worden "
                    "samengevoegd.",
                    code="overblijver",
                )
            ]
        elif value in seen:
            errors[f"partijen.{index}.uuid"] = [
                serializers.ErrorDetail("Deze partij staat meer dan eens in de lijst.", "unique")
            ]
        seen.add(value)
    if errors:
        raise serializers.ValidationError(errors)


def _lock(overblijver_uuid, uuids: list) -> tuple[Partij, list[Partij]]:
    """Lock what the merge reads and writes, in one order (adressen, rekeningnummers,
    partijen, identificatoren; each in key order), and return the partijen as committed."""
    alle = [overblijver_uuid, *uuids]
    for model in (DigitaalAdres, Rekeningnummer):
        list(
            model.objects.select_for_update(of=("self",))
            .filter(partij__uuid__in=alle)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    rows = {
        partij.uuid: partij
        for partij in Partij.objects.select_for_update().filter(uuid__in=alle).order_by("pk")
    }
    overblijver = rows.get(overblijver_uuid)
    if overblijver is None:
        # Deleted or merged since the view found it.
        raise _fout("uuid", "De overblijvende partij bestaat niet meer.", "does_not_exist")
    missing = [(index, value) for index, value in enumerate(uuids) if value not in rows]
    if missing:
        forwarded = dict(
            SamengevoegdePartij.objects.filter(
                uuid__in=[value for _, value in missing]
            ).values_list("uuid", "samengevoegd_in__uuid")
        )
        errors = {}
        for index, value in missing:
            survivor = forwarded.get(value)
            if survivor is None:
                message, code = f"Er bestaat geen partij met uuid {value}.", "does_not_exist"
            elif survivor == overblijver_uuid:
                message = "Deze partij is al samengevoegd in de overblijvende partij."
                code = "samengevoegd"
            else:
                message = f"Deze partij is al samengevoegd in partij {survivor}."
                code = "samengevoegd"
            errors[f"partijen.{index}.uuid"] = [serializers.ErrorDetail(message, code=code)]
        raise serializers.ValidationError(errors)
    duplicaten = [rows[value] for value in uuids]
    soort_errors = {
        f"partijen.{index}.uuid": [
            serializers.ErrorDetail(
                f"Deze partij is een {partij.soort_partij}, de overblijvende partij een "
                f"{overblijver.soort_partij}: alleen partijen van dezelfde soortPartij worden "
                "samengevoegd.",
                code="soort_partij",
            )
        ]
        for index, partij in enumerate(duplicaten)
        if partij.soort_partij != overblijver.soort_partij
    }
    if soort_errors:
        raise serializers.ValidationError(soort_errors)
    return overblijver, duplicaten


def _identificatoren(plan: Plan, volgorde: dict) -> None:
    """Identificatoren move along. The same number twice (an identificator stored without
    its KvK-nummer beside the same one under it) is kept once; two different numbers of one
    soort (two BSNs) are a conflict that refuses the whole merge."""
    rows = list(
        PartijIdentificator.objects.select_for_update(of=("self",))
        .filter(partij__in=[plan.overblijver.pk, *plan.duplicaat_pks])
        .order_by("pk")
    )
    # The survivor's first, then the duplicates' in the order of the request.
    rows.sort(key=lambda row: (volgorde[row.partij_id], row.sub_identificator_van_id is not None))
    kept: dict = {}
    for_soort: dict = {}
    dropped: dict = {}  # pk of a dropped identificator -> pk of the one kept for it
    conflicts = []
    for row in rows:
        same = kept.get((row.code_soort_object_id, row.object_id))
        if same is not None and row.partij_id != plan.overblijver.pk:
            dropped[row.pk] = same.pk
            continue
        kept[(row.code_soort_object_id, row.object_id)] = row
        earlier = for_soort.setdefault(row.code_soort_object_id, [])
        if any(other.partij_id != row.partij_id for other in earlier):
            conflicts.append((row, earlier[0]))
        earlier.append(row)
    if conflicts:
        raise _conflict(plan, volgorde, conflicts)
    plan.verwijder(PartijIdentificator, dropped)
    by_pk = {row.pk: row for row in rows}
    for old, new in dropped.items():
        # A vestigingsnummer under a dropped KvK-nummer moves under the kept one.
        children = [
            row.pk for row in rows if row.sub_identificator_van_id == old and row.pk not in dropped
        ]
        plan.update(PartijIdentificator, children, sub_identificator_van_id=new)
        # The copy kept without its KvK-nummer takes the link the dropped copy had.
        parent = by_pk[old].sub_identificator_van_id
        if parent is not None and by_pk[new].sub_identificator_van_id is None:
            plan.update(
                PartijIdentificator, [new], sub_identificator_van_id=dropped.get(parent, parent)
            )
    plan.update(
        PartijIdentificator,
        [row.pk for row in rows if row.partij_id != plan.overblijver.pk and row.pk not in dropped],
        partij_id=plan.overblijver.pk,
    )


def _conflict(plan: Plan, volgorde: dict, conflicts: list) -> serializers.ValidationError:
    """A 400 naming each conflicting identificator (with its number, unless the application
    has identificatoren shielded) and the one it conflicts with."""
    shown = "identificatoren" not in afscherming.shielded()
    uuids = {partij.pk: partij.uuid for partij in [plan.overblijver, *plan.duplicaten]}

    def naam(row) -> str:
        number = f" {row.object_id}" if shown else ""
        return f"{row.code_soort_object_id}{number} (partij-identificator {row.uuid})"

    errors: dict = {}
    for row, other in conflicts:
        index = volgorde[row.partij_id] - 1
        name = f"partijen.{index}.partijIdentificatoren" if index >= 0 else "uuid"
        errors.setdefault(name, []).append(
            serializers.ErrorDetail(
                f"{naam(row)} van partij {uuids[row.partij_id]} botst met {naam(other)} van "
                f"partij {uuids[other.partij_id]}: een partij heeft één identificator van "
                "elke soort. Los dit eerst op (welke is juist?); er is niets samengevoegd.",
                code="identificator_conflict",
            )
        )
    return serializers.ValidationError(errors)


def _digitale_adressen(plan: Plan, volgorde: dict) -> None:
    """Adressen move along, all of them (each may carry its own verificatiedatum, referentie
    or betrokkene). The survivor keeps one standaard adres per soort, its own first; a
    referentie it already uses for that soort is cleared on the adres that joins it."""
    rows = sorted(
        DigitaalAdres.objects.filter(partij__in=[plan.overblijver.pk, *plan.duplicaat_pks]),
        key=lambda row: (volgorde[row.partij_id], row.pk),
    )
    standaard, referenties, not_standaard, clear = set(), set(), [], []
    for row in rows:
        if row.is_standaard_adres:
            if row.soort_digitaal_adres in standaard:
                not_standaard.append(row.pk)
            standaard.add(row.soort_digitaal_adres)
        if row.referentie:
            key = (row.soort_digitaal_adres, row.referentie)
            if key in referenties:
                clear.append(row.pk)
            referenties.add(key)
    plan.update(DigitaalAdres, not_standaard, is_standaard_adres=False)
    plan.update(DigitaalAdres, clear, referentie="")
    moved = [row.pk for row in rows if row.partij_id != plan.overblijver.pk]
    plan.update(DigitaalAdres, moved, partij_id=plan.overblijver.pk)
    if plan.overblijver.voorkeurs_digitaal_adres_id is None:
        # A duplicate's voorkeur, when the survivor has none (and it is the duplicate's own).
        voorkeur = next(
            (
                d.voorkeurs_digitaal_adres_id
                for d in plan.duplicaten
                if d.voorkeurs_digitaal_adres_id
            ),
            None,
        )
        if voorkeur in moved:
            plan.overblijver_velden["voorkeurs_digitaal_adres_id"] = voorkeur


def _rekeningnummers(plan: Plan, volgorde: dict) -> None:
    """Rekeningnummers move along; an IBAN the survivor already has is kept once (the
    survivor's, else the first duplicate's)."""
    rows = sorted(
        Rekeningnummer.objects.filter(partij__in=[plan.overblijver.pk, *plan.duplicaat_pks]),
        key=lambda row: (volgorde[row.partij_id], row.pk),
    )
    kept: dict = {}
    same: dict = {}  # pk of a dropped rekeningnummer -> pk of the one kept
    for row in rows:
        if row.iban in kept:
            same[row.pk] = kept[row.iban]
        else:
            kept[row.iban] = row.pk
    plan.verwijder(Rekeningnummer, same)
    moved = [row.pk for row in rows if row.partij_id != plan.overblijver.pk and row.pk not in same]
    plan.update(Rekeningnummer, moved, partij_id=plan.overblijver.pk)
    if plan.overblijver.voorkeurs_rekeningnummer_id is None:
        voorkeur = next(
            (
                d.voorkeurs_rekeningnummer_id
                for d in plan.duplicaten
                if d.voorkeurs_rekeningnummer_id
            ),
            None,
        )
        if voorkeur in moved or voorkeur in same:
            plan.overblijver_velden["voorkeurs_rekeningnummer_id"] = same.get(voorkeur, voorkeur)


def _categorie_relaties(plan: Plan, volgorde: dict) -> None:
    """Relaties move along; two with one categorie become one, covering both periods."""
    rows = sorted(
        CategorieRelatie.objects.filter(partij__in=[plan.overblijver.pk, *plan.duplicaat_pks]),
        key=lambda row: (volgorde[row.partij_id], row.pk),
    )
    kept: dict = {}
    dropped = []
    for row in rows:
        first = kept.get(row.categorie_id) if row.categorie_id is not None else None
        if first is None:
            if row.categorie_id is not None:
                kept[row.categorie_id] = row
            continue
        dropped.append(row.pk)
        begin, eind = plan.perioden.get(first.pk, (first.begin_datum, first.eind_datum))
        begin = min(begin, row.begin_datum)
        eind = None if eind is None or row.eind_datum is None else max(eind, row.eind_datum)
        plan.perioden[first.pk] = (begin, eind)
    plan.verwijder(CategorieRelatie, dropped)
    by_pk = {row.pk: row for row in rows}
    plan.perioden = {
        pk: periode
        for pk, periode in plan.perioden.items()
        if periode != (by_pk[pk].begin_datum, by_pk[pk].eind_datum)
    }
    plan.wijzig(CategorieRelatie, plan.perioden)
    moved = [
        row.pk for row in rows if row.partij_id != plan.overblijver.pk and row.pk not in dropped
    ]
    plan.update(CategorieRelatie, moved, partij_id=plan.overblijver.pk)


def _vertegenwoordigingen(plan: Plan) -> set[int]:
    """Both sides move to the survivor. One that would then be there twice, or in which the
    survivor would represent itself, goes. Returns the other partijen whose list of
    vertegenwoordigden changes."""
    merged = set(plan.duplicaat_pks)
    survivor = plan.overblijver.pk
    involved = [survivor, *merged]
    rows = list(
        (
            Vertegenwoordigden.objects.filter(vertegenwoordigende_partij__in=involved)
            | Vertegenwoordigden.objects.filter(vertegenwoordigde_partij__in=involved)
        ).order_by("pk")
    )

    def new(pk: int) -> int:
        return survivor if pk in merged else pk

    # The pairs of rows that do not change first: those stay as they are.
    rows.sort(
        key=lambda row: (
            row.vertegenwoordigende_partij_id in merged
            or row.vertegenwoordigde_partij_id in merged,
            row.pk,
        )
    )
    pairs, dropped, others = set(), [], set()
    for row in rows:
        pair = (new(row.vertegenwoordigende_partij_id), new(row.vertegenwoordigde_partij_id))
        if pair[0] == pair[1] or pair in pairs:
            dropped.append(row.pk)
        pairs.add(pair)
        if row.vertegenwoordigde_partij_id in merged:
            # The representative's `vertegenwoordigden` list names another partij now.
            others.add(row.vertegenwoordigende_partij_id)
    plan.verwijder(Vertegenwoordigden, dropped)
    plan.update(
        Vertegenwoordigden,
        [
            row.pk
            for row in rows
            if row.vertegenwoordigende_partij_id in merged and row.pk not in dropped
        ],
        vertegenwoordigende_partij_id=survivor,
    )
    plan.update(
        Vertegenwoordigden,
        [
            row.pk
            for row in rows
            if row.vertegenwoordigde_partij_id in merged and row.pk not in dropped
        ],
        vertegenwoordigde_partij_id=survivor,
    )
    return others - merged - {survivor}


def _plan(overblijver: Partij, duplicaten: list[Partij]) -> Plan:
    plan = Plan(overblijver=overblijver, duplicaten=duplicaten)
    # The survivor's objects come first, then each duplicate's in the request's order.
    volgorde = {overblijver.pk: 0} | {d.pk: index + 1 for index, d in enumerate(duplicaten)}
    _identificatoren(plan, volgorde)
    _digitale_adressen(plan, volgorde)
    _rekeningnummers(plan, volgorde)
    _categorie_relaties(plan, volgorde)
    plan.update(
        Betrokkene,
        Betrokkene.objects.filter(partij__in=plan.duplicaat_pks).values_list("pk", flat=True),
        partij_id=overblijver.pk,
    )
    andere = _vertegenwoordigingen(plan)
    # Contactpersonen of a merged organisatie work for the survivor.
    contactpersonen = set(
        Partij.objects.filter(werkte_voor_partij__in=plan.duplicaat_pks)
        .exclude(pk__in=[overblijver.pk, *plan.duplicaat_pks])
        .values_list("pk", flat=True)
    )
    plan.update(Partij, contactpersonen, werkte_voor_partij_id=overblijver.pk, gewijzigd_op=Now())
    if overblijver.werkte_voor_partij_id in plan.duplicaat_pks:
        plan.overblijver_velden["werkte_voor_partij_id"] = None  # it would work for itself
    plan.wijzig(Partij, [overblijver.pk, *andere])
    plan.verwijder(Partij, plan.duplicaat_pks)
    return plan


def representaties(model, serializer_class, pks, context) -> dict:
    """{pk: (object, representation)} of these objects as the register holds them, in a
    fixed number of queries for any number of them (as a list page is rendered)."""
    if not pks:
        return {}
    with full_view():
        queryset = model._default_manager.filter(pk__in=pks)
        annotations = uuid_array_annotations(serializer_class)
        if annotations:
            queryset = queryset.annotate(**annotations)
        rows = list(queryset)
        prefetch_rows(rows, representation_lookups(serializer_class, annotated=bool(annotations)))
        serializer = serializer_class(context=context)
        return {row.pk: (row, dict(serializer.to_representation(row))) for row in rows}


def _alle_representaties(plan: Plan, context: dict, *, na: bool) -> dict:
    result = {}
    for model, serializer_class in SOORTEN:
        pks = set(plan.gewijzigd.get(model, ()))
        if not na:
            pks |= set(plan.verwijderd.get(model, ()))
        else:
            pks -= set(plan.verwijderd.get(model, ()))
        result[model] = representaties(model, serializer_class, sorted(pks), context)
    return result


def verwijder(model, pks) -> None:
    """Delete these rows without Django's collector: the caller has moved or cleared what
    referred to them (the foreign keys are checked at commit) and writes their audit records
    itself, not the admin's signals (logboek.beheer), which would record the values again."""
    if pks:
        model._base_manager.filter(pk__in=sorted(pks))._raw_delete(DEFAULT_DB_ALIAS)


def _uitvoeren(plan: Plan) -> None:
    # What would clash with what moves goes first (a second IBAN, a second identificator).
    for model in (PartijIdentificator, Rekeningnummer, CategorieRelatie, Vertegenwoordigden):
        verwijder(model, plan.verwijderd.get(model, ()))
    for model, pks, values in plan.updates:
        model._base_manager.filter(pk__in=pks).update(**values)
    if plan.perioden:
        CategorieRelatie.objects.bulk_update(
            [
                CategorieRelatie(pk=pk, begin_datum=begin, eind_datum=eind)
                for pk, (begin, eind) in sorted(plan.perioden.items())
            ],
            ["begin_datum", "eind_datum"],
        )
    Partij.objects.filter(pk=plan.overblijver.pk).update(
        **plan.overblijver_velden, gewijzigd_op=Now()
    )
    # Earlier merges into a duplicate now forward to the survivor: a chain is one step.
    SamengevoegdePartij.objects.filter(samengevoegd_in__in=plan.duplicaat_pks).update(
        samengevoegd_in=plan.overblijver
    )
    SamengevoegdePartij.objects.bulk_create(
        SamengevoegdePartij(uuid=d.uuid, nummer=d.nummer, samengevoegd_in=plan.overblijver)
        for d in plan.duplicaten
    )
    verwijder(Partij, plan.duplicaat_pks)


def partij_samenvoegen(
    *, overblijver: Partij, uuids: list, wie: Wie, context: dict, naam: str, start=None
) -> Partij:
    """Merge the partijen `uuids` into `overblijver`, in the caller's transaction, and
    record it: the audit trail (with its announcements) and the processing log. Raises a
    ValidationError, before any write, for a list or partijen that cannot be merged."""
    uuids = [uuid_module.UUID(str(value)) for value in uuids]
    _check_lijst(overblijver.uuid, uuids)
    overblijver, duplicaten = _lock(overblijver.uuid, uuids)
    plan = _plan(overblijver, duplicaten)

    eerder = subjects_of(Partij, [overblijver.pk, *plan.duplicaat_pks])
    oud = _alle_representaties(plan, context, na=False)
    _uitvoeren(plan)
    nieuw = _alle_representaties(plan, context, na=True)

    nummers = ", ".join(d.nummer for d in duplicaten)
    toelichting = f"Samenvoegen van partij {nummers} in partij {overblijver.nummer}."
    if wie.toelichting:
        toelichting = f"{toelichting} {wie.toelichting}"
    wie = dataclasses.replace(wie, toelichting=toelichting[:1000])
    wijzigingen = []
    for model, _ in SOORTEN:
        for pk, (row, before) in oud[model].items():
            instance, after = nieuw[model].get(pk, (row, None))
            if after == before:
                continue  # an object whose change its representation does not show
            actie = "destroy" if after is None else "partial_update"
            wijzigingen.append(wijziging(instance, actie, before, after))
    # The survivor's own record after those of what moved to it, the duplicates' last.
    wijzigingen.sort(key=lambda w: (w.resource == "partij" and w.actie == "destroy",))
    audit_vastleggen(wie=wie, resultaat=200, wijzigingen=wijzigingen)
    verwerking_vastleggen(
        wie=wie,
        naam=naam,
        bewerking="wijzigen",
        status_code=200,
        start=start or timezone.now(),
        model=Partij,
        keys=sorted(set(plan.gewijzigd.get(Partij, ())) - set(plan.duplicaat_pks)),
        eerder=eerder,
    )
    return overblijver
