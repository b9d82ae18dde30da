"""Filters of actoren, actorklantcontacten and interne taken, named exactly as the contract."""

import django_filters

from klantinteracties.api.filters import (
    BooleanFilter,
    IsoDateTimeFilter,
    UUIDFromURLFilter,
    identificator_filters,
)

from .models import Actor, ActorKlantcontact, InterneTaak, SoortActor, Status


class ActorFilterSet(django_filters.FilterSet):
    naam = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Zoek actoren met specifieke tekst in hun naam."
    )
    soortActor = django_filters.ChoiceFilter(
        field_name="soort_actor",
        choices=SoortActor.choices,
        help_text="Geeft aan van welke specifieke soort actor sprake is.",
    )
    indicatieActief = BooleanFilter(
        field_name="indicatie_actief",
        help_text="Geeft aan of aan de actor nog betrokken mag worden bij nieuwe klantcontacten.",
    )
    locals().update(identificator_filters("actoridentificator", "actoridentificator"))

    class Meta:
        model = Actor
        fields = []


class ActorKlantcontactFilterSet(django_filters.FilterSet):
    actor__uuid = django_filters.UUIDFilter(
        field_name="actor__uuid", help_text="Unieke (technische) identificatiecode van de actor."
    )
    actor__url = UUIDFromURLFilter(
        field_name="actor__uuid",
        help_text="Zoek actor klantcontact object op basis van het actor url",
    )
    klantcontact__uuid = django_filters.UUIDFilter(
        field_name="klantcontact__uuid",
        help_text="Unieke (technische) identificatiecode van het klantcontact.",
    )
    klantcontact__url = UUIDFromURLFilter(
        field_name="klantcontact__uuid",
        help_text="Zoek actor klantcontact object op basis van het klantcontact url",
    )

    class Meta:
        model = ActorKlantcontact
        fields = []


class InterneTaakFilterSet(django_filters.FilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("klantcontact__nummer", "nummer")

    # One toewijzing per (taak, actor): filtering on one actor cannot duplicate a taak.
    toegewezenAanActor__uuid = django_filters.UUIDFilter(
        field_name="actoren__uuid",
        help_text="Zoek internetaak object op basis van het toegewezen actor uuid.",
    )
    toegewezenAanActor__url = UUIDFromURLFilter(
        field_name="actoren__uuid",
        help_text="Zoek internetaak object op basis van het toegewezen actor url.",
    )
    actoren__naam = django_filters.CharFilter(
        field_name="actoren__naam", distinct=True, help_text="Naam van de actor."
    )
    aanleidinggevendKlantcontact__uuid = django_filters.UUIDFilter(
        field_name="klantcontact__uuid",
        help_text="Zoek internetaak object op basis van het aanleidingevende klantcontact uuid.",
    )
    aanleidinggevendKlantcontact__url = UUIDFromURLFilter(
        field_name="klantcontact__uuid",
        help_text="Zoek internetaak object op basis van het aanleidingevende klantcontact url.",
    )
    klantcontact__uuid = django_filters.UUIDFilter(field_name="klantcontact__uuid")
    klantcontact__nummer = django_filters.CharFilter(field_name="klantcontact__nummer")
    klantcontact__referentienummer = django_filters.CharFilter(
        field_name="klantcontact__referentienummer"
    )
    nummer = django_filters.CharFilter(field_name="nummer")
    referentienummer = django_filters.CharFilter(field_name="referentienummer")
    status = django_filters.ChoiceFilter(
        field_name="status",
        choices=Status.choices,
        help_text="Aanduiding van de vordering bij afhandeling van de interne taak.",
    )
    toegewezenOp = IsoDateTimeFilter(
        field_name="toegewezen_op",
        help_text="Datum en tijdstip waarop de interne taak aan een actor werd toegewezen.",
    )

    class Meta:
        model = InterneTaak
        fields = []
