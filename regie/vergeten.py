"""Vergeten (AVG art. 17): a partij's personal data erased, the archive's facts kept.

What goes (docs/regie.md, "Vergeten"): the partij's identificatie, addresses and interne
notitie (the partij stays as an anonymous shell, so that its contacts keep their betrokkene
and its url answers); its partij-identificatoren, digitale adressen, rekeningnummers and
vertegenwoordigingen (deleted); the names and addresses of every betrokkene that was this
partij and the digitale adressen it gave (deleted); the content of every klantcontact it
was betrokkene in (what settings.VERGETEN_BEHOUDEN does not keep) and the toelichting of
their interne taken. The audit trail's records of those objects are rewritten without the
erased values (logboek migration 0004 allows exactly that, in this transaction).

One transaction; nothing is written when there is nothing to erase, so a second run changes
nothing and says so. Every object that changes or goes has its own audit record (with its
announcement) that holds no erased value; the processing log records the vergeten.
"""

import dataclasses
import json
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gebeurtenissen.models import Gebeurtenis
from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from klantcontacten.serializers import BetrokkeneSerializer, KlantcontactSerializer
from logboek.models import AuditRecord, Bewerking, Handeling
from logboek.subjecten import subjects_of
from logboek.vastleggen import Wie, audit_vastleggen, verwerking_vastleggen
from logboek.viewsets import wijziging
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
    DigitaalAdresSerializer,
    PartijIdentificatorSerializer,
    PartijSerializer,
    RekeningnummerSerializer,
    VertegenwoordigdenSerializer,
)
from taken.models import InterneTaak
from taken.serializers.internetaken import InterneTaakSerializer

from .samenvoegen import representaties, verwijder

# What an erased value becomes in the audit trail.
VERGETEN = "[vergeten]"

# The klantcontact fields that VERGETEN_BEHOUDEN may keep: API name -> (column, empty value).
# plaatsgevondenOp always stays.
KLANTCONTACT_VELDEN = {
    "kanaal": ("kanaal", ""),
    "onderwerp": ("onderwerp", ""),
    "inhoud": ("inhoud", ""),
    "reactie": ("reactie", ""),
    "metadata": ("metadata", {}),
}

# The keys of audit representations that hold a partij's personal values, beside the
# klantcontact fields not kept: partij, betrokkene, digitaal adres, rekeningnummer,
# partij-identificator, interne taak.
AUDIT_SLEUTELS = frozenset(
    {
        "partijIdentificatie",
        "bezoekadres",
        "correspondentieadres",
        "interneNotitie",
        "contactnaam",
        "volledigeNaam",
        "organisatienaam",
        "adres",
        "omschrijving",
        "iban",
        "bic",
        "partijIdentificator",
        "toelichting",
    }
)
# Audit records of these resources name the object by its personal values (str()).
WEERGAVE_PERSOONLIJK = frozenset(
    {
        "partij",
        "betrokkene",
        "digitaaladres",
        "rekeningnummer",
        "partijidentificator",
        "vertegenwoordigden",
    }
)
# Shorter values are not searched for in free text (a country code, initials), nor are
# particles of three letters.
MIN_LENGTE = 3


def _persoonlijke_velden(model) -> dict:
    """{column: empty value} of a partij's or betrokkene's names and addresses."""
    velden = {}
    for field in model._meta.concrete_fields:
        name = field.name
        if name.startswith(("bezoekadres_", "correspondentieadres_", "contactnaam_")) or name in (
            "organisatie_naam",
            "organisatienaam",
            "interne_notitie",
        ):
            velden[name] = None if field.null else ""
    return velden


PARTIJ_VELDEN = _persoonlijke_velden(Partij)
BETROKKENE_VELDEN = _persoonlijke_velden(Betrokkene)


def klantcontact_velden() -> dict:
    """{column: empty value} of the klantcontact fields erased under the current settings."""
    behouden = set(settings.VERGETEN_BEHOUDEN)
    return {
        column: leeg for name, (column, leeg) in KLANTCONTACT_VELDEN.items() if name not in behouden
    }


def _niet_leeg(velden: dict) -> Q:
    """Rows that still hold a value in one of these columns."""
    if not velden:
        return Q(pk__in=[])
    return reduce(
        or_,
        (
            Q(**{f"{column}__isnull": False}) if leeg is None else ~Q(**{column: leeg})
            for column, leeg in velden.items()
        ),
    )


@dataclasses.dataclass
class Plan:
    partij: Partij
    # Objects whose values are erased, and objects that go: {model: [pk]}.
    geanonimiseerd: dict = dataclasses.field(default_factory=dict)
    verwijderd: dict = dataclasses.field(default_factory=dict)
    klantcontacten: list = dataclasses.field(default_factory=list)
    betrokkenen: list = dataclasses.field(default_factory=list)
    # The audit records to rewrite: [(record, oud, nieuw, weergave, toelichting)].
    auditrecords: list = dataclasses.field(default_factory=list)
    # Announcements in the outbox that hold its values: [(gebeurtenis, bericht)].
    gebeurtenissen: list = dataclasses.field(default_factory=list)
    # The partij's personal values searched for in the audit records' text, longest first.
    waarden: list = dataclasses.field(default_factory=list)

    @property
    def leeg(self) -> bool:
        return not (
            any(self.geanonimiseerd.values()) or any(self.verwijderd.values()) or self.auditrecords
        )


def _plan(partij: Partij) -> Plan:
    plan = Plan(partij=partij)
    plan.betrokkenen = list(
        Betrokkene.objects.filter(partij=partij).order_by("pk").values_list("pk", flat=True)
    )
    plan.klantcontacten = sorted(
        set(Betrokkene.objects.filter(partij=partij).values_list("klantcontact_id", flat=True))
    )
    plan.geanonimiseerd = {
        Partij: list(
            Partij.objects.filter(pk=partij.pk)
            .filter(_niet_leeg(PARTIJ_VELDEN) | Q(voorkeurs_digitaal_adres__isnull=False))
            .values_list("pk", flat=True)
        ),
        Betrokkene: list(
            Betrokkene.objects.filter(pk__in=plan.betrokkenen)
            .filter(_niet_leeg(BETROKKENE_VELDEN))
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        Klantcontact: list(
            Klantcontact.objects.filter(pk__in=plan.klantcontacten)
            .filter(_niet_leeg(klantcontact_velden()))
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        InterneTaak: list(
            InterneTaak.objects.filter(klantcontact__in=plan.klantcontacten)
            .exclude(toelichting="")
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }
    plan.verwijderd = {
        PartijIdentificator: list(
            PartijIdentificator.objects.filter(partij=partij)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        DigitaalAdres: list(
            # Its own, and those it gave as betrokkene that are no other partij's.
            DigitaalAdres.objects.filter(
                Q(partij=partij) | Q(betrokkene__in=plan.betrokkenen, partij__isnull=True)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        Rekeningnummer: list(
            Rekeningnummer.objects.filter(partij=partij).order_by("pk").values_list("pk", flat=True)
        ),
        Vertegenwoordigden: list(
            Vertegenwoordigden.objects.filter(
                Q(vertegenwoordigende_partij=partij) | Q(vertegenwoordigde_partij=partij)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }
    return plan


# ---------------------------------------------------------------------------------------
# The audit trail


def _leeg(value) -> bool:
    if value is None or value == "" or value == VERGETEN:
        return True
    if isinstance(value, dict):
        return all(_leeg(item) for item in value.values())
    if isinstance(value, list):
        return all(_leeg(item) for item in value)
    return False


def _zoekbaar(value: str) -> bool:
    # Not a short particle of a name ("van", "de"): it would be replaced in every text.
    if len(value) < MIN_LENGTE or value == VERGETEN:
        return False
    return not (len(value) <= 3 and value.isalpha() and value.islower())


def _strings(value, into: set) -> None:
    if isinstance(value, str):
        if _zoekbaar(value.strip()):
            into.add(value.strip())
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def _sleutels() -> frozenset:
    return AUDIT_SLEUTELS | {
        name for name in KLANTCONTACT_VELDEN if name not in set(settings.VERGETEN_BEHOUDEN)
    }


def _redact(representation, sleutels, waarden: list):
    """The representation with the values under `sleutels` replaced by VERGETEN (at any
    depth), and any of `waarden` in its other text too."""
    if isinstance(representation, dict):
        result = {}
        for key, item in representation.items():
            if key in sleutels and not _leeg(item):
                result[key] = VERGETEN
            elif key in ("url", "uuid"):
                result[key] = item
            else:
                result[key] = _redact(item, sleutels, waarden)
        return result
    if isinstance(representation, list):
        return [_redact(item, sleutels, waarden) for item in representation]
    if isinstance(representation, str):
        return _vervang(representation, waarden)
    return representation


def _vervang(text: str, waarden: list) -> str:
    for waarde in waarden:
        if waarde in text:
            text = text.replace(waarde, VERGETEN)
    return text


def _gezochte_waarden(plan: Plan, records, sleutels) -> list:
    """The partij's personal values: in the register now, and in its audit records (under
    the keys that hold them), longest first."""
    waarden: set = set()
    p = Partij.objects.filter(pk=plan.partij.pk).values(*PARTIJ_VELDEN).first() or {}
    _strings(list(p.values()), waarden)
    for row in Betrokkene.objects.filter(pk__in=plan.betrokkenen).values(*BETROKKENE_VELDEN):
        _strings(list(row.values()), waarden)
    for model, fields in (
        (DigitaalAdres, ("adres", "omschrijving")),
        (Rekeningnummer, ("iban",)),
        (PartijIdentificator, ("object_id",)),
    ):
        for row in model.objects.filter(pk__in=plan.verwijderd[model]).values_list(*fields):
            _strings(list(row), waarden)
    kolommen = list(klantcontact_velden())
    if kolommen:
        for row in Klantcontact.objects.filter(pk__in=plan.klantcontacten).values_list(*kolommen):
            _strings(list(row), waarden)
    for row in InterneTaak.objects.filter(klantcontact__in=plan.klantcontacten).values_list(
        "toelichting", flat=True
    ):
        _strings(row, waarden)

    def collect(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in sleutels:
                    _strings(item, waarden)
                elif key not in ("url", "uuid"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for record in records:
        collect(record.oud)
        collect(record.nieuw)
    return sorted(waarden, key=lambda value: (-len(value), value))


def _auditrecords(plan: Plan) -> None:
    """The audit records that hold the partij's values, with what they become."""
    partij = plan.partij
    # The partij and the partijen merged into it (Samenvoegen): the same person.
    eigen = [
        partij.uuid,
        *SamengevoegdePartij.objects.filter(samengevoegd_in=partij).values_list("uuid", flat=True),
    ]
    taken = InterneTaak.objects.filter(klantcontact__in=plan.klantcontacten)
    uuids = list(eigen)
    for model, pks in (
        *plan.verwijderd.items(),
        (Betrokkene, plan.betrokkenen),
        (Klantcontact, plan.klantcontacten),
        (InterneTaak, list(taken.values_list("pk", flat=True))),
    ):
        uuids += model._base_manager.filter(pk__in=pks).values_list("uuid", flat=True)
    # The parts of its klantcontacten: an announcement of a zaak's onderwerpobject names the
    # klantcontact's onderwerp.
    for model in (Onderwerpobject, Bijlage):
        uuids += model.objects.filter(klantcontact__in=plan.klantcontacten).values_list(
            "uuid", flat=True
        )
    # Also the records of objects that went earlier: they name the partij as their
    # hoofdobject or in their representation, or were written by a change whose processing
    # concerned it (a klantcontact deleted with its betrokkenen: the processing log names the
    # partij, the record the request's trace and span). A sequential scan of the audit trail,
    # once per vergeten.
    noemt = Q()
    for value in eigen:
        noemt |= (
            Q(hoofd_object__contains=str(value))
            | Q(oud_tekst__contains=str(value))
            | Q(nieuw_tekst__contains=str(value))
        )
    for trace_id, span_id in (
        Handeling.objects.filter(verwerkingen__subject_uuid__in=eigen)
        .exclude(bewerking=Bewerking.LEZEN)
        .values_list("trace_id", "span_id")
        .distinct()
    ):
        noemt |= Q(trace_id=trace_id, span_id=span_id)
    # Another partij's records name this one only by reference (it represented it, or its
    # contactpersoon worked for it): those hold the other's data, not this partij's.
    anderen = Q(resource="partij") & ~Q(resource_uuid__in=eigen)
    records = list(
        AuditRecord.objects.annotate(
            oud_tekst=Cast("oud", TextField()), nieuw_tekst=Cast("nieuw", TextField())
        )
        .filter(Q(resource_uuid__in=uuids) | noemt)
        .exclude(anderen)
        .order_by("pk")
    )
    # The whole trail of an object found so (its create record too, written before it had
    # the partij as betrokkene).
    gevonden = {record.resource_uuid for record in records} - set(uuids)
    if gevonden:
        records += (
            AuditRecord.objects.filter(resource_uuid__in=gevonden)
            .exclude(pk__in=[record.pk for record in records])
            .exclude(anderen)
        )
        records.sort(key=lambda record: record.pk)
    sleutels = _sleutels()
    waarden = _gezochte_waarden(plan, records, sleutels)
    for record in records:
        oud = _redact(record.oud, sleutels, waarden)
        nieuw = _redact(record.nieuw, sleutels, waarden)
        weergave = record.resource_weergave
        if record.resource in WEERGAVE_PERSOONLIJK and weergave:
            weergave = VERGETEN
        else:
            weergave = _vervang(weergave, waarden)
        toelichting = _vervang(record.toelichting, waarden)
        if (oud, nieuw, weergave, toelichting) != (
            record.oud,
            record.nieuw,
            record.resource_weergave,
            record.toelichting,
        ):
            plan.auditrecords.append((record, oud, nieuw, weergave, toelichting))
    plan.waarden = waarden
    _gebeurtenissen(plan, [str(value) for value in uuids], sleutels)


def _gebeurtenissen(plan: Plan, uuids: list, sleutels) -> None:
    """The announcements of these objects still in the outbox: the reference's kenmerken
    include free text (a partij's interneNotitie, a taak's toelichting)."""
    if not uuids:
        return
    about = reduce(or_, (Q(sleutel__endswith=value) for value in uuids))
    for gebeurtenis in Gebeurtenis.objects.filter(about).order_by("pk"):
        bericht = json.loads(gebeurtenis.bericht)
        nieuw = _redact(bericht, frozenset(), plan.waarden)
        if isinstance(bericht.get("kenmerken"), dict):
            nieuw["kenmerken"] = _redact(bericht["kenmerken"], sleutels, plan.waarden)
        if nieuw != bericht:
            plan.gebeurtenissen.append((gebeurtenis, json.dumps(nieuw, ensure_ascii=False)))


# ---------------------------------------------------------------------------------------
# The erasure


SOORTEN = (
    (Partij, PartijSerializer),
    (Betrokkene, BetrokkeneSerializer),
    (Klantcontact, KlantcontactSerializer),
    (InterneTaak, InterneTaakSerializer),
    (PartijIdentificator, PartijIdentificatorSerializer),
    (DigitaalAdres, DigitaalAdresSerializer),
    (Rekeningnummer, RekeningnummerSerializer),
    (Vertegenwoordigden, VertegenwoordigdenSerializer),
)


def _uitvoeren(plan: Plan) -> None:
    partij = plan.partij
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('logboek.vergeten', %s, true)", [str(partij.uuid)])
    for record, oud, nieuw, weergave, toelichting in plan.auditrecords:
        record.oud, record.nieuw = oud, nieuw
        record.resource_weergave, record.toelichting = weergave, toelichting
    if plan.auditrecords:
        AuditRecord.objects.bulk_update(
            [item[0] for item in plan.auditrecords],
            ["oud", "nieuw", "resource_weergave", "toelichting"],
            batch_size=500,
        )
    for gebeurtenis, bericht in plan.gebeurtenissen:
        gebeurtenis.bericht = bericht
    if plan.gebeurtenissen:
        Gebeurtenis.objects.bulk_update([item[0] for item in plan.gebeurtenissen], ["bericht"])
    Partij.objects.filter(pk=partij.pk).update(
        **PARTIJ_VELDEN,
        voorkeurs_digitaal_adres=None,
        voorkeurs_rekeningnummer=None,
        gewijzigd_op=timezone.now(),
    )
    if plan.geanonimiseerd[Betrokkene]:
        Betrokkene.objects.filter(pk__in=plan.geanonimiseerd[Betrokkene]).update(
            **BETROKKENE_VELDEN
        )
    if plan.geanonimiseerd[Klantcontact]:
        contacten = Klantcontact.objects.filter(pk__in=plan.geanonimiseerd[Klantcontact])
        onderwerpen = sorted(set(contacten.values_list("onderwerp", flat=True)) - {""})
        contacten.update(**klantcontact_velden())
        if "onderwerp" in klantcontact_velden():
            _tellingen_zonder_onderwerp(onderwerpen)
    if plan.geanonimiseerd[InterneTaak]:
        InterneTaak.objects.filter(pk__in=plan.geanonimiseerd[InterneTaak]).update(toelichting="")
    # What refers to the rows that go: another partij's voorkeur, a vestigingsnummer of
    # another partij under this partij's KvK-nummer.
    Partij.objects.filter(voorkeurs_digitaal_adres__in=plan.verwijderd[DigitaalAdres]).update(
        voorkeurs_digitaal_adres=None
    )
    Partij.objects.filter(voorkeurs_rekeningnummer__in=plan.verwijderd[Rekeningnummer]).update(
        voorkeurs_rekeningnummer=None
    )
    PartijIdentificator.objects.filter(
        sub_identificator_van__in=plan.verwijderd[PartijIdentificator]
    ).exclude(pk__in=plan.verwijderd[PartijIdentificator]).update(sub_identificator_van=None)
    _admin_historie(plan)
    for model in (Vertegenwoordigden, DigitaalAdres, Rekeningnummer, PartijIdentificator):
        verwijder(model, plan.verwijderd[model])


def _tellingen_zonder_onderwerp(onderwerpen: list) -> None:
    """The management figures count per onderwerp (KlantcontactTelling): a row whose last
    contact of that day lost its onderwerp here keeps the text with a count of 0. Its
    triggers run at commit; run them now, and remove those rows. An onderwerp that other
    contacts of the day share stays, with their count."""
    if not onderwerpen:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS klantcontact_telling, klantcontact_telling_wijziging IMMEDIATE"
        )
        cursor.execute(
            "DELETE FROM klantcontacten_klantcontacttelling"
            " WHERE aantal = 0 AND onderwerp = ANY(%s)",
            [onderwerpen],
        )


def _admin_historie(plan: Plan) -> None:
    """The admin's history names an object by str(): the partij's name, an adres."""
    objecten = {
        Partij: [plan.partij.pk],
        Betrokkene: plan.betrokkenen,
        **{model: pks for model, pks in plan.verwijderd.items()},
        # Named "<partij> – <categorie>".
        CategorieRelatie: list(
            CategorieRelatie.objects.filter(partij=plan.partij).values_list("pk", flat=True)
        ),
    }
    about = Q(pk__in=[])
    for model, pks in objecten.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    LogEntry.objects.filter(about).exclude(object_repr=VERGETEN).update(object_repr=VERGETEN)


def _telling(plan: Plan) -> dict:
    return {
        "geanonimiseerd": {
            "partijen": len(plan.geanonimiseerd[Partij]),
            "betrokkenen": len(plan.geanonimiseerd[Betrokkene]),
            "klantcontacten": len(plan.geanonimiseerd[Klantcontact]),
            "interneTaken": len(plan.geanonimiseerd[InterneTaak]),
        },
        "verwijderd": {
            "partijIdentificatoren": len(plan.verwijderd[PartijIdentificator]),
            "digitaleAdressen": len(plan.verwijderd[DigitaalAdres]),
            "rekeningnummers": len(plan.verwijderd[Rekeningnummer]),
            "vertegenwoordigingen": len(plan.verwijderd[Vertegenwoordigden]),
        },
        "auditrecords": len(plan.auditrecords),
        "gebeurtenissen": len(plan.gebeurtenissen),
        "behouden": {
            "klantcontacten": len(plan.klantcontacten),
            "velden": ["plaatsgevondenOp"]
            + [name for name in KLANTCONTACT_VELDEN if name in set(settings.VERGETEN_BEHOUDEN)],
        },
    }


def _pks(plan: Plan, model) -> list:
    return plan.geanonimiseerd.get(model) or plan.verwijderd.get(model) or []


class PartijVerdwenen(Exception):
    """The partij to erase was merged or deleted (by another request) before its turn."""


def partij_vergeten(
    *, partij: Partij, wie: Wie, context: dict, naam: str, dry_run: bool = False, start=None
) -> dict:
    """Erase the personal data of `partij`, in the caller's transaction, and record it.
    Returns the summary: counts per kind of object erased, removed and kept. With `dry_run`
    nothing is written but the processing log's record of the reading."""
    locked = Partij.objects.select_for_update().filter(pk=partij.pk).first()
    if locked is None:
        # Merged or deleted while this waited for its row.
        raise PartijVerdwenen(partij.uuid)
    partij = locked
    plan = _plan(partij)
    _auditrecords(plan)
    samenvatting = {"dryRun": dry_run, "alVergeten": plan.leeg, **_telling(plan)}
    andere = set(
        Betrokkene.objects.filter(klantcontact__in=plan.klantcontacten, partij__isnull=False)
        .exclude(partij=partij)
        .values_list("partij_id", flat=True)
    )
    for v in Vertegenwoordigden.objects.filter(pk__in=plan.verwijderd[Vertegenwoordigden]):
        andere |= {v.vertegenwoordigende_partij_id, v.vertegenwoordigde_partij_id}
    andere.discard(partij.pk)
    eerder = subjects_of(Partij, [partij.pk, *sorted(andere)])
    if dry_run or plan.leeg:
        verwerking_vastleggen(
            wie=wie,
            naam=naam,
            bewerking="lezen",
            status_code=200,
            start=start or timezone.now(),
            eerder=eerder,
        )
        return samenvatting

    oud = {
        model: representaties(
            model,
            serializer_class,
            sorted({partij.pk} if model is Partij else _pks(plan, model)),
            context,
        )
        for model, serializer_class in SOORTEN
    }
    # The partijen on the other side of its vertegenwoordigingen change too (their
    # `vertegenwoordigden`): as after a samenvoegen, each gets its record.
    partners = sorted(
        {
            pk
            for v in Vertegenwoordigden.objects.filter(pk__in=plan.verwijderd[Vertegenwoordigden])
            for pk in (v.vertegenwoordigende_partij_id, v.vertegenwoordigde_partij_id)
        }
        - {partij.pk}
    )
    partners_oud = representaties(Partij, PartijSerializer, partners, context)
    _uitvoeren(plan)
    sleutels = _sleutels()
    waarden = plan.waarden
    wijzigingen = []
    for model, serializer_class in SOORTEN:
        if model in plan.geanonimiseerd:
            nieuw = representaties(model, serializer_class, sorted(oud[model]), context)
        else:
            nieuw = {}
        for pk, (row, before) in oud[model].items():
            after = nieuw[pk][1] if pk in nieuw else None
            instance = nieuw[pk][0] if pk in nieuw else row
            wijzigingen.append(
                wijziging(
                    instance,
                    "partial_update" if after is not None else "destroy",
                    _redact(before, sleutels, waarden),
                    _redact(after, sleutels, waarden) if after is not None else None,
                )
            )
    for item in wijzigingen:
        if item.resource in WEERGAVE_PERSOONLIJK:
            item.resource_weergave = VERGETEN
        else:
            item.resource_weergave = _vervang(item.resource_weergave, waarden)
    partners_nieuw = representaties(Partij, PartijSerializer, partners, context)
    for pk, (_, before) in partners_oud.items():
        after = partners_nieuw[pk][1]
        if after != before:
            # The other partij's own fields stay; only this partij's values go.
            item = wijziging(
                partners_nieuw[pk][0],
                "partial_update",
                _redact(before, frozenset(), waarden),
                _redact(after, frozenset(), waarden),
            )
            item.resource_weergave = _vervang(item.resource_weergave, waarden)
            wijzigingen.append(item)
    toelichting = f"Vergeten (AVG art. 17) van partij {partij.nummer}."
    if wie.toelichting:
        toelichting = f"{toelichting} {_vervang(wie.toelichting, waarden)}"
    wie = dataclasses.replace(wie, toelichting=toelichting[:1000])
    audit_vastleggen(wie=wie, resultaat=200, wijzigingen=wijzigingen)
    verwerking_vastleggen(
        wie=wie,
        naam=naam,
        bewerking="verwijderen",
        status_code=200,
        start=start or timezone.now(),
        eerder=eerder,
    )
    return samenvatting
