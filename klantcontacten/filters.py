"""Filters of the klantcontacten register, named exactly as the contract lists them.

Filters on a to-many relation (a klantcontact's betrokkenen, a partij's identificatoren) are
grouped: all filters of one group must hold for the same related row, and the group becomes
one `EXISTS` subquery. So `objectId=X&codeSoortObjectId=bsn` means "one identificator with
both", and no join can return a row twice (no `DISTINCT` needed).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail, ValidationError

from autorisatie import vertrouwelijk
from klantinteracties.api.filters import (
    BooleanFilter,
    FilterURLField,
    IsoDateTimeFilter,
    UUIDFromURLFilter,
    VisibleThroughMixin,
    identificator_filters,
    passes_value,
)
from partijen.models import DigitaalAdres, PartijIdentificator

from .models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject


def uuid_from_url(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None


@dataclass(frozen=True)
class ExistsGroup:
    """Filters that must hold for one row of `model` linked through `link` (an OuterRef)."""

    model: type
    link: dict[str, str]
    # filter name -> lookup on `model`, or (lookup, transformation of the value)
    lookups: dict[str, str | tuple[str, Callable]] = field(default_factory=dict)

    def conditions(self, cleaned: dict) -> dict | None:
        """The lookups to apply; None when a value can never match (a foreign url)."""
        conditions = {}
        for name, target in self.lookups.items():
            value = cleaned.get(name)
            if value in (None, ""):
                continue
            lookup, transform = target if isinstance(target, tuple) else (target, None)
            if name.endswith("__url"):
                value = uuid_from_url(value)
                if value is None:
                    return None
            conditions[lookup] = transform(value) if transform else value
        return conditions

    def subquery(self, conditions: dict):
        outer = {lookup: OuterRef(ref) for lookup, ref in self.link.items()}
        # Only rows the request may see can match (autorisatie.vertrouwelijk).
        return vertrouwelijk.visible(self.model._default_manager.filter(**outer, **conditions))


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanOrUUIDFilter(django_filters.CharFilter):
    """A boolean in the contract; a uuid is accepted too and selects that one object."""


@passes_value
def in_group(queryset, name, value):
    # Applied together with its group in `GroupedFilterSet.filter_queryset`.
    return queryset


def url_in_group(queryset, name, value):
    # As in_group; the group parses the url into its uuid (so not a plain parameter).
    return queryset


class GroupedFilterSet(django_filters.FilterSet):
    exists_groups: tuple[ExistsGroup, ...] = ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for group in self.exists_groups:
            conditions = group.conditions(self.form.cleaned_data)
            if conditions is None:
                return queryset.none()
            if conditions:
                queryset = queryset.filter(Exists(group.subquery(conditions)))
        return queryset


def grouped_char(help_text: str = "") -> django_filters.CharFilter:
    return django_filters.CharFilter(method=in_group, help_text=help_text)


@extend_schema_field(OpenApiTypes.URI)
class UrlFilter(django_filters.CharFilter):
    """The url of a resource of this API; only its uuid is compared. A value that is not a
    url is a 400."""

    field_class = FilterURLField


def grouped_url(help_text: str = "") -> UrlFilter:
    return UrlFilter(method=url_in_group, help_text=help_text)


def grouped_uuid(help_text: str = "") -> django_filters.UUIDFilter:
    return django_filters.UUIDFilter(method=in_group, help_text=help_text)


# The metadata filter of /klantcontacten (docs/cijfers.md).


class RepeatedInput(forms.TextInput):
    """Every value of a repeated query parameter (`metadata=a:1&metadata=b:2`)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


# Two values for one key: nothing can match.
TEGENSTRIJDIG = object()


class MetadataFormField(forms.Field):
    """`sleutel:waarde` pairs (split at the first `:`) as one object: `{sleutel: waarde}`."""

    widget = RepeatedInput
    default_error_messages = {
        "invalid": "Verwacht `sleutel:waarde`.",
        "null_characters_not_allowed": "Null-tekens zijn niet toegestaan.",
    }

    def to_python(self, value):
        paren: dict[str, str] = {}
        for item in value if isinstance(value, list) else [value]:
            if item in (None, ""):
                continue
            if "\x00" in item:  # jsonb takes no NUL
                raise forms.ValidationError(
                    self.error_messages["null_characters_not_allowed"], code="invalid"
                )
            sleutel, scheiding, waarde = item.partition(":")
            if not scheiding:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if paren.setdefault(sleutel, waarde) != waarde:
                return TEGENSTRIJDIG
        return paren or None


class MetadataFilter(django_filters.Filter):
    """Containment (`metadata @> '{"sleutel": "waarde"}'`), index klantcontact_metadata_idx.
    Its value is transformed, so a request with it is not a cached key statement."""

    field_class = MetadataFormField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A repeatable parameter; drf-spectacular takes an overridden schema's description
        # from the override only, so it carries the help_text.
        schema = {"type": "array", "items": {"type": "string"}}
        extend_schema_field({**schema, "description": self.extra.get("help_text", "")})(self)

    def filter(self, qs, value):
        if value is TEGENSTRIJDIG:
            return qs.none()
        if not value:
            return qs
        return qs.filter(metadata__contains=value)


SUB_IDENTIFICATOR_HELP = (
    "Zoek klantcontact object op basis van het `subIdentificatorVan` {} van een partij "
    "identificator van de partij van een betrokkene. Samen met de "
    "`hadBetrokkene__wasPartij__partijIdentificator__` parameters gelden ze voor dezelfde "
    "identificator: de vestiging (`partijIdentificator__`) van de rechtspersoon "
    "(`subIdentificatorVan__`)."
)


class KlantcontactFilterSet(GroupedFilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("nummer",)

    hadBetrokkene__uuid = grouped_uuid("Zoek klantcontact object op basis van het betrokkene uuid.")
    hadBetrokkene__url = grouped_url("Zoek klantcontact object op basis van het betrokkene url.")
    hadBetrokkene__wasPartij = BooleanFilter(
        method="filter_had_betrokkene_was_partij",
        help_text="Filter op betrokkenen die wel/niet een partij zijn.",
    )
    hadBetrokkene__wasPartij__uuid = grouped_uuid(
        "Zoek klantcontact object op basis van de partij uuid."
    )
    hadBetrokkene__wasPartij__url = grouped_url(
        "Zoek klantcontact object op basis van de partij url."
    )
    hadBetrokkene__wasPartij__partijIdentificator__codeObjecttype = grouped_char(
        "Zoek klantcontact object op basis van het partij identificator objecttype."
    )
    hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId = grouped_char(
        "Zoek klantcontact object op basis van het partij identificator soort object ID."
    )
    hadBetrokkene__wasPartij__partijIdentificator__objectId = grouped_char(
        "Zoek klantcontact object op basis van het partij identificator object ID."
    )
    hadBetrokkene__wasPartij__partijIdentificator__codeRegister = grouped_char(
        "Zoek klantcontact object op basis van het partij identificator register."
    )
    # An organisation's vestiging: a vestigingsnummer is unique only under its KvK-nummer.
    # With the partijIdentificator filters above they hold for the same identificator.
    hadBetrokkene__wasPartij__subIdentificatorVan__codeObjecttype = grouped_char(
        SUB_IDENTIFICATOR_HELP.format("objecttype")
    )
    hadBetrokkene__wasPartij__subIdentificatorVan__codeSoortObjectId = grouped_char(
        SUB_IDENTIFICATOR_HELP.format("soort object ID")
    )
    hadBetrokkene__wasPartij__subIdentificatorVan__objectId = grouped_char(
        SUB_IDENTIFICATOR_HELP.format("object ID")
    )
    hadBetrokkene__wasPartij__subIdentificatorVan__codeRegister = grouped_char(
        SUB_IDENTIFICATOR_HELP.format("register")
    )
    hadBetrokkene__digitaaladres__adres__icontains = grouped_char(
        "Zoek klantcontact object op basis van (een deel van) het digitale adres van de "
        "betrokkene (niet hoofdlettergevoelig)."
    )
    onderwerpobject__uuid = grouped_uuid(
        "Unieke (technische) identificatiecode van het onderwerpdeel."
    )
    onderwerpobject__url = grouped_url(
        "Zoek klantcontact object op basis van het onderwerpobject url."
    )
    onderwerpobject__onderwerpobjectidentificatorObjectId = grouped_char()
    onderwerpobject__onderwerpobjectidentificatorCodeObjecttype = grouped_char()
    onderwerpobject__onderwerpobjectidentificatorCodeRegister = grouped_char()
    onderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId = grouped_char()
    # A conversation: the klantcontacten that went over klantcontact X (one of their
    # onderwerpobjecten has X as wasKlantcontact).
    onderwerpobject__wasKlantcontact__uuid = django_filters.UUIDFilter(
        method="filter_vervolg_op",
        help_text="Zoek klantcontacten die gingen over het klantcontact met deze uuid (een "
        "onderwerpobject van het klantcontact heeft dat klantcontact als `wasKlantcontact`): "
        "de vervolgcontacten in een gesprek.",
    )
    onderwerpobject__wasKlantcontact__url = UrlFilter(
        method="filter_vervolg_op_url",
        help_text="Zoek klantcontacten die gingen over het klantcontact met deze url (zie "
        "`onderwerpobject__wasKlantcontact__uuid`).",
    )
    wasOnderwerpobject__uuid = grouped_uuid(
        "Unieke (technische) identificatiecode van het onderwerpdeel."
    )
    wasOnderwerpobject__url = grouped_url(
        "Zoek was klantcontact object op basis van het onderwerpobject url."
    )
    wasOnderwerpobject__onderwerpobjectidentificatorObjectId = grouped_char()
    wasOnderwerpobject__onderwerpobjectidentificatorCodeObjecttype = grouped_char()
    wasOnderwerpobject__onderwerpobjectidentificatorCodeRegister = grouped_char()
    wasOnderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId = grouped_char()
    nummer = django_filters.CharFilter(field_name="nummer")
    referentienummer = django_filters.CharFilter(field_name="referentienummer")
    kanaal = django_filters.CharFilter(field_name="kanaal")
    onderwerp = django_filters.CharFilter(field_name="onderwerp", lookup_expr="icontains")
    inhoud = django_filters.CharFilter(field_name="inhoud", lookup_expr="icontains")
    reactie = django_filters.CharFilter(field_name="reactie", lookup_expr="icontains")
    # Searches by part of a value an application can have shielded (autorisatie.afscherming).
    afgeschermd = {
        "inhoud": "contactinhoud",
        "reactie": "contactinhoud",
        # Digitale adressen are of the partijen register.
        "hadBetrokkene__digitaaladres__adres__icontains": (
            "digitale_adressen",
            "register:partijen",
        ),
    }
    indicatieContactGelukt = BooleanFilter(field_name="indicatie_contact_gelukt")
    vertrouwelijk = BooleanFilter(field_name="vertrouwelijk")
    plaatsgevondenOp = IsoDateTimeFilter(field_name="plaatsgevonden_op")
    # The metadata filter (see MetadataFilter).
    metadata = MetadataFilter(
        help_text="Zoek klantcontacten op een sleutel en waarde in hun metadata: "
        "`metadata=<sleutel>:<waarde>` (exact; de eerste `:` scheidt sleutel en waarde). "
        "Herhaal de parameter voor meer paren (`metadata=a:1&metadata=b:2`): alle gelden."
    )
    leiddeTotInterneTaken = BooleanOrUUIDFilter(
        method="filter_leidde_tot_interne_taken",
        help_text="Filter op klantcontacten die wel/niet hebben geleid tot interne taken "
        "(`true`/`false`), of op de uuid van één interne taak.",
    )

    exists_groups = (
        ExistsGroup(
            Betrokkene,
            {"klantcontact": "pk"},
            {
                "hadBetrokkene__uuid": "uuid",
                "hadBetrokkene__url": "uuid",
                "hadBetrokkene__wasPartij__uuid": "partij__uuid",
                "hadBetrokkene__wasPartij__url": "partij__uuid",
                # Straight to the identificator table (index on object_id), skipping partij.
                "hadBetrokkene__wasPartij__partijIdentificator__codeObjecttype": (
                    "partij__partijidentificatoren__code_objecttype"
                ),
                "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId": (
                    "partij__partijidentificatoren__code_soort_object_id"
                ),
                "hadBetrokkene__wasPartij__partijIdentificator__objectId": (
                    "partij__partijidentificatoren__object_id"
                ),
                "hadBetrokkene__wasPartij__partijIdentificator__codeRegister": (
                    "partij__partijidentificatoren__code_register"
                ),
                "hadBetrokkene__wasPartij__subIdentificatorVan__codeObjecttype": (
                    "partij__partijidentificatoren__sub_identificator_van__code_objecttype"
                ),
                "hadBetrokkene__wasPartij__subIdentificatorVan__codeSoortObjectId": (
                    "partij__partijidentificatoren__sub_identificator_van__code_soort_object_id"
                ),
                "hadBetrokkene__wasPartij__subIdentificatorVan__objectId": (
                    "partij__partijidentificatoren__sub_identificator_van__object_id"
                ),
                "hadBetrokkene__wasPartij__subIdentificatorVan__codeRegister": (
                    "partij__partijidentificatoren__sub_identificator_van__code_register"
                ),
                # Betrokkenen's adressen, which the adres statistics (mostly partijen's) do
                # not describe: read without the trigram index (common/lookups.py).
                "hadBetrokkene__digitaaladres__adres__icontains": (
                    "digitaleadressen__adres__icontains_table"
                ),
            },
        ),
        ExistsGroup(
            Onderwerpobject,
            {"klantcontact": "pk"},
            {
                "onderwerpobject__uuid": "uuid",
                "onderwerpobject__url": "uuid",
                "onderwerpobject__onderwerpobjectidentificatorObjectId": (
                    "onderwerpobjectidentificator_object_id"
                ),
                "onderwerpobject__onderwerpobjectidentificatorCodeObjecttype": (
                    "onderwerpobjectidentificator_code_objecttype"
                ),
                "onderwerpobject__onderwerpobjectidentificatorCodeRegister": (
                    "onderwerpobjectidentificator_code_register"
                ),
                "onderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId": (
                    "onderwerpobjectidentificator_code_soort_object_id"
                ),
            },
        ),
        ExistsGroup(
            Onderwerpobject,
            {"was_klantcontact": "pk"},
            {
                "wasOnderwerpobject__uuid": "uuid",
                "wasOnderwerpobject__url": "uuid",
                "wasOnderwerpobject__onderwerpobjectidentificatorObjectId": (
                    "onderwerpobjectidentificator_object_id"
                ),
                "wasOnderwerpobject__onderwerpobjectidentificatorCodeObjecttype": (
                    "onderwerpobjectidentificator_code_objecttype"
                ),
                "wasOnderwerpobject__onderwerpobjectidentificatorCodeRegister": (
                    "onderwerpobjectidentificator_code_register"
                ),
                "wasOnderwerpobject__onderwerpobjectidentificatorCodeSoortObjectId": (
                    "onderwerpobjectidentificator_code_soort_object_id"
                ),
            },
        ),
    )

    class Meta:
        model = Klantcontact
        fields: list[str] = []

    def filter_had_betrokkene_was_partij(self, queryset, name, value):
        # As the reference: true, a betrokkene of it was a partij; false, none was (also a
        # klantcontact without betrokkenen). Not one of the betrokkene group's conditions.
        met_partij = Exists(
            Betrokkene.objects.filter(klantcontact=OuterRef("pk"), partij__isnull=False)
        )
        return queryset.filter(met_partij if value else ~met_partij)

    @passes_value
    def filter_vervolg_op(self, queryset, name, value):
        onderwerpobjecten = Onderwerpobject.objects.filter(
            klantcontact=OuterRef("pk"), was_klantcontact__uuid=value
        )
        # Only through a klantcontact the request may see (autorisatie.vertrouwelijk).
        onderwerpobjecten = vertrouwelijk.visible_through(onderwerpobjecten, "was_klantcontact")
        return queryset.filter(Exists(onderwerpobjecten))

    def filter_vervolg_op_url(self, queryset, name, value):
        candidate = uuid_from_url(value)
        if candidate is None:
            return queryset.none()
        return self.filter_vervolg_op(queryset, name, candidate)

    def filter_leidde_tot_interne_taken(self, queryset, name, value):
        # The taken register sits on top of this one: resolved through the app registry.
        interne_taak = apps.get_model("taken", "InterneTaak")
        lowered = value.strip().lower()
        if lowered in ("true", "1", "false", "0"):
            bestaat = Exists(interne_taak.objects.filter(klantcontact=OuterRef("pk")))
            return queryset.filter(bestaat if lowered in ("true", "1") else ~bestaat)
        try:
            taak_uuid = uuid.UUID(lowered)
        except ValueError:
            raise ValidationError(
                {name: [ErrorDetail("Verwacht `true`, `false` of een uuid.", code="invalid")]}
            ) from None
        return queryset.filter(
            Exists(interne_taak.objects.filter(klantcontact=OuterRef("pk"), uuid=taak_uuid))
        )


class BetrokkeneFilterSet(GroupedFilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("hadKlantcontact__nummer", "wasPartij__nummer")

    contactnaamVoorletters = django_filters.CharFilter(field_name="contactnaam_voorletters")
    contactnaamVoornaam = django_filters.CharFilter(field_name="contactnaam_voornaam")
    contactnaamVoorvoegselAchternaam = django_filters.CharFilter(
        field_name="contactnaam_voorvoegsel_achternaam"
    )
    contactnaamAchternaam = django_filters.CharFilter(field_name="contactnaam_achternaam")
    organisatienaam = django_filters.CharFilter(field_name="organisatienaam")
    hadKlantcontact__nummer = django_filters.CharFilter(field_name="klantcontact__nummer")
    hadKlantcontact__referentienummer = django_filters.CharFilter(
        field_name="klantcontact__referentienummer"
    )
    hadKlantcontact__uuid = django_filters.UUIDFilter(field_name="klantcontact__uuid")
    hadKlantcontact__url = UUIDFromURLFilter(field_name="klantcontact__uuid")
    wasPartij__nummer = django_filters.CharFilter(field_name="partij__nummer")
    wasPartij__uuid = django_filters.UUIDFilter(field_name="partij__uuid")
    wasPartij__url = UUIDFromURLFilter(field_name="partij__uuid")
    wasPartij__partijIdentificator__codeObjecttype = grouped_char(
        "Zoek betrokkene object op basis van het partij identificator objecttype."
    )
    wasPartij__partijIdentificator__codeSoortObjectId = grouped_char(
        "Zoek betrokkene object op basis van het partij identificator soort object ID."
    )
    wasPartij__partijIdentificator__objectId = grouped_char(
        "Zoek betrokkene object op basis van het partij identificator object ID."
    )
    wasPartij__partijIdentificator__codeRegister = grouped_char(
        "Zoek betrokkene object op basis van het partij identificator register."
    )
    verstrektedigitaalAdres__adres = grouped_char(
        "Zoek betrokkene object op basis van het digitaaladres adres"
    )
    verstrektedigitaalAdres__uuid = grouped_uuid(
        "Zoek betrokkene object op basis van het digitaaladres uuid"
    )
    verstrektedigitaalAdres__url = grouped_url(
        "Zoek betrokkene object op basis van het digitaaladres url"
    )

    exists_groups = (
        ExistsGroup(
            PartijIdentificator,
            {"partij": "partij"},
            {
                "wasPartij__partijIdentificator__codeObjecttype": "code_objecttype",
                "wasPartij__partijIdentificator__codeSoortObjectId": "code_soort_object_id",
                "wasPartij__partijIdentificator__objectId": "object_id",
                "wasPartij__partijIdentificator__codeRegister": "code_register",
            },
        ),
        ExistsGroup(
            DigitaalAdres,
            {"betrokkene": "pk"},
            {
                "verstrektedigitaalAdres__adres": "adres",
                "verstrektedigitaalAdres__uuid": "uuid",
                "verstrektedigitaalAdres__url": "uuid",
            },
        ),
    )

    class Meta:
        model = Betrokkene
        fields: list[str] = []


class OnderwerpobjectFilterSet(VisibleThroughMixin, django_filters.FilterSet):
    klantcontact__uuid = django_filters.UUIDFilter(field_name="klantcontact__uuid")
    klantcontact__url = UUIDFromURLFilter(field_name="klantcontact__uuid")
    wasKlantcontact__uuid = django_filters.UUIDFilter(field_name="was_klantcontact__uuid")
    wasKlantcontact__url = UUIDFromURLFilter(field_name="was_klantcontact__uuid")
    locals().update(
        identificator_filters("onderwerpobjectidentificator", "onderwerpobjectidentificator")
    )

    class Meta:
        model = Onderwerpobject
        fields: list[str] = []


class BijlageFilterSet(django_filters.FilterSet):
    klantcontact__uuid = django_filters.UUIDFilter(field_name="klantcontact__uuid")
    locals().update(identificator_filters("bijlageidentificator", "bijlageidentificator"))

    class Meta:
        model = Bijlage
        fields: list[str] = []
