"""Filters of the processing log: by subject (partij uuid, BSN, KVK-nummer), period,
application and purpose."""

import django_filters

from klantinteracties.api.filters import IsoDateTimeFilter

from .models import SubjectSoort, Verwerking
from .subjecten import identificator_hash


def _by_number(soort: str):
    def method(queryset, name, value):
        # Looked up by its keyed hash (of `<soort>:<nummer>`, so of this soort only): the
        # number itself is nowhere in the log.
        return queryset.filter(identificator_hash=identificator_hash(soort, value))

    return method


class VerwerkingFilterSet(django_filters.FilterSet):
    partij = django_filters.UUIDFilter(
        method="filter_partij", help_text="De verwerkingen van de gegevens van deze partij (uuid)."
    )
    subjectUuid = django_filters.UUIDFilter(
        field_name="subject_uuid",
        help_text="De verwerkingen van dit subject (partij, actor, persoon of organisatie).",
    )
    subjectSoort = django_filters.ChoiceFilter(
        field_name="subject_soort", choices=SubjectSoort.choices
    )
    bsn = django_filters.CharFilter(
        method=_by_number("bsn"),
        max_length=9,
        help_text="De verwerkingen van de gegevens van de partij met dit BSN.",
    )
    kvkNummer = django_filters.CharFilter(
        method=_by_number("kvk_nummer"),
        max_length=8,
        help_text="De verwerkingen van de gegevens van de partij met dit KVK-nummer.",
    )
    rsin = django_filters.CharFilter(method=_by_number("rsin"), max_length=9)
    startTijd__gte = IsoDateTimeFilter(
        field_name="handeling__start",
        lookup_expr="gte",
        help_text="Verwerkingen die op of na dit moment begonnen.",
    )
    startTijd__lt = IsoDateTimeFilter(
        field_name="handeling__start",
        lookup_expr="lt",
        help_text="Verwerkingen die vóór dit moment begonnen.",
    )
    applicatie = django_filters.UUIDFilter(
        field_name="handeling__applicatie_id", help_text="De applicatie die verwerkte (uuid)."
    )
    verwerkingsactiviteit = django_filters.CharFilter(
        field_name="handeling__verwerkingsactiviteit",
        max_length=1000,
        help_text="De verwerkingsactiviteit (URI) waarvoor verwerkt werd.",
    )
    traceId = django_filters.CharFilter(
        field_name="handeling__trace_id", max_length=32, help_text="De W3C trace id."
    )

    class Meta:
        model = Verwerking
        fields = []

    def filter_partij(self, queryset, name, value):
        # A uuid names one object of one kind: the index on it alone answers the count.
        return queryset.filter(subject_uuid=value)
