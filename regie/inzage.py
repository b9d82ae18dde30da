"""Inzage: everything the register holds about one partij, as one JSON document, streamed.

The document is written piece by piece: the partij and its own objects first, then its
klantcontacten in batches of BATCH (each batch one query per relation, whatever its size),
then the processing-log records and the audit trail about it, read in chunks. Memory stays
bounded by a batch, whatever the number of klantcontacten.
"""

from collections.abc import Iterator

from rest_framework.utils.encoders import JSONEncoder

from klantcontacten.models import Klantcontact
from klantcontacten.serializers import KlantcontactSerializer
from klantinteracties.api.expand import expand_lookups, representation_lookups
from klantinteracties.api.prefetch import prefetch_rows
from logboek.models import AuditRecord, Verwerking
from logboek.serializers import AuditTrailSerializer, VerwerkingSerializer
from logboek.subjecten import subjects_of
from partijen.models import (
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
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

BATCH = 200
# Everything of a klantcontact, expanded: its betrokkenen, onderwerpobjecten, bijlagen
# (metadata) and interne taken.
KLANTCONTACT_TREE = {
    "hadBetrokkenen": {},
    "gingOverOnderwerpobjecten": {},
    "omvatteBijlagen": {},
    "leiddeTotInterneTaken": {},
}

_encoder = JSONEncoder(ensure_ascii=False)


def partij_by_bsn(bsn: str) -> Partij | None:
    identificator = (
        PartijIdentificator.objects.filter(
            code_soort_object_id="bsn",
            object_id=bsn.strip(),
            sub_identificator_van__isnull=True,
            partij__isnull=False,
        )
        .select_related("partij")
        .first()
    )
    return identificator.partij if identificator is not None else None


def _many(serializer_class, queryset, context) -> str:
    serializer = serializer_class(context=context)
    return "[" + ",".join(_encoder.encode(serializer.to_representation(o)) for o in queryset) + "]"


def klantcontact_keys(partij: Partij) -> list[int]:
    """The klantcontacten the partij was a betrokkene in, newest first."""
    return list(
        Klantcontact.objects.filter(betrokkenen__partij=partij)
        .order_by("-plaatsgevonden_op", "-id")
        .values_list("pk", flat=True)
        .distinct()
    )


def vertegenwoordigingen(partij: Partij):
    return Vertegenwoordigden.objects.filter(
        vertegenwoordigende_partij=partij
    ) | Vertegenwoordigden.objects.filter(vertegenwoordigde_partij=partij)


def digitale_adressen(partij: Partij):
    """Its own, and those given in its contacts (which may be another partij's)."""
    return DigitaalAdres.objects.filter(partij=partij) | DigitaalAdres.objects.filter(
        betrokkene__partij=partij
    )


def subjects(partij: Partij, keys: list[int]) -> list[tuple]:
    """Whom the document concerns beside the partij: the other partijen of its
    vertegenwoordigingen and of the digitale adressen it shows, and the subjects of its
    klantcontacten as they are shown (the other betrokkenen, the actoren of the interne
    taken)."""
    found = [
        *subjects_of(
            Vertegenwoordigden, list(vertegenwoordigingen(partij).values_list("pk", flat=True))
        ),
        *subjects_of(DigitaalAdres, list(digitale_adressen(partij).values_list("pk", flat=True))),
        *subjects_of(Klantcontact, keys, KlantcontactSerializer, KLANTCONTACT_TREE),
    ]
    return list(dict.fromkeys(found))


def document(partij: Partij, context: dict, keys: list[int]) -> Iterator[str]:
    """The inzage document of a partij, in pieces of JSON; `keys`: its klantcontacten
    (klantcontact_keys)."""
    yield '{"partij":'
    yield _encoder.encode(PartijSerializer(partij, context=context).data)
    for key, serializer_class, queryset in (
        (
            "partijIdentificatoren",
            PartijIdentificatorSerializer,
            PartijIdentificator.objects.filter(partij=partij),
        ),
        (
            "digitaleAdressen",
            DigitaalAdresSerializer,
            digitale_adressen(partij),
        ),
        ("rekeningnummers", RekeningnummerSerializer, Rekeningnummer.objects.filter(partij=partij)),
        (
            "vertegenwoordigingen",
            VertegenwoordigdenSerializer,
            vertegenwoordigingen(partij),
        ),
        (
            "categorieRelaties",
            CategorieRelatieSerializer,
            CategorieRelatie.objects.filter(partij=partij).select_related("categorie"),
        ),
    ):
        yield f',"{key}":'
        yield _many(serializer_class, queryset.distinct().order_by("id"), context)

    yield ',"klantcontacten":['
    serializer = KlantcontactSerializer(context=context, expand_tree=KLANTCONTACT_TREE)
    lookups = list(
        dict.fromkeys(
            representation_lookups(KlantcontactSerializer)
            + expand_lookups(KlantcontactSerializer, KLANTCONTACT_TREE)
        )
    )
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        rows = {row.pk: row for row in Klantcontact.objects.filter(pk__in=batch)}
        ordered = [rows[key] for key in batch if key in rows]
        prefetch_rows(ordered, lookups)
        pieces = (_encoder.encode(serializer.to_representation(row)) for row in ordered)
        yield ("," if start else "") + ",".join(pieces)
    yield "]"

    # The records about partijen merged into this one are about the same person (regie
    # .samenvoegen): the log keeps their old uuids.
    uuids = [partij.uuid, *partij.samengevoegde_partijen.values_list("uuid", flat=True)]
    yield ',"verwerkingen":['
    records = (
        Verwerking.objects.filter(subject_uuid__in=uuids)
        .select_related("handeling")
        .order_by("-id")
    )
    renderer = VerwerkingSerializer(context=context)
    first = True
    for record in records.iterator(chunk_size=2000):
        yield ("" if first else ",") + _encoder.encode(renderer.to_representation(record))
        first = False
    yield "]"

    yield ',"auditTrail":'
    trail = AuditRecord.objects.filter(resource_uuid__in=uuids).order_by("id")
    yield _encoder.encode(AuditTrailSerializer(trail, many=True).data)
    yield "}"
