"""Filters of the Partijen register, named exactly as the contract names them."""

import django_filters
from django.db.models import Exists, OuterRef

from klantinteracties.api.filters import (
    BooleanFilter,
    UUIDFromURLFilter,
    VisibleThroughMixin,
    passes_value,
    uuid_from_url,
)

from .models import (
    CategorieRelatie,
    CodeObjecttype,
    CodeRegister,
    CodeSoortObjectId,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SoortDigitaalAdres,
    SoortPartij,
    Vertegenwoordigden,
)
from .normalisatie import zelfde_adres

IDENTIFICATOR_FIELDS = {
    "codeObjecttype": "code_objecttype",
    "codeRegister": "code_register",
    "codeSoortObjectId": "code_soort_object_id",
    "objectId": "object_id",
}


class CombinedIdentificatorFilterSet(django_filters.FilterSet):
    """Applies all `<prefix>partijIdentificator__*` filters to ONE identificator row
    (objectId and codeSoortObjectId of the same identificator), as one indexed EXISTS."""

    identificator_prefix = "partijIdentificator__"
    partij_ref = "partij"

    def filter_queryset(self, queryset):
        conditions = {}
        for wire, column in IDENTIFICATOR_FIELDS.items():
            value = self.form.cleaned_data.get(f"{self.identificator_prefix}{wire}")
            if value not in (None, ""):
                conditions[column] = value
        if conditions:
            queryset = queryset.filter(
                Exists(
                    PartijIdentificator.objects.filter(
                        partij=OuterRef(self.partij_ref), **conditions
                    )
                )
            )
        return super().filter_queryset(queryset)


def identificator_filters(prefix: str, label: str) -> dict:
    return {
        f"{prefix}{wire}": django_filters.CharFilter(
            method="_combined", help_text=f"Zoek op basis van het {label} {wire}."
        )
        for wire in IDENTIFICATOR_FIELDS
    }


class PartijFilterSet(CombinedIdentificatorFilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("nummer",)

    partij_ref = "pk"

    locals().update(identificator_filters("partijIdentificator__", "partij identificator"))
    nummer = django_filters.CharFilter()
    soortPartij = django_filters.ChoiceFilter(
        field_name="soort_partij", choices=SoortPartij.choices
    )
    indicatieActief = BooleanFilter(field_name="indicatie_actief")
    indicatieGeheimhouding = BooleanFilter(field_name="indicatie_geheimhouding")
    vertegenwoordigdePartij__uuid = django_filters.UUIDFilter(method="filter_vertegenwoordigde")
    vertegenwoordigdePartij__url = UUIDFromURLFilter(method="filter_vertegenwoordigde_url")
    categorierelatie__categorie__naam = django_filters.CharFilter(
        method="filter_categorie_naam",
        help_text="Zoek partij object op basis van categorie namen (komma-gescheiden: een "
        "partij met een van de categorieën).",
    )
    subIdentificatorVan__codeObjecttype = django_filters.CharFilter(method="filter_sub")
    subIdentificatorVan__codeRegister = django_filters.CharFilter(method="filter_sub")
    subIdentificatorVan__codeSoortObjectId = django_filters.CharFilter(method="filter_sub")
    subIdentificatorVan__objectId = django_filters.CharFilter(method="filter_sub")
    locals().update(
        {
            f"{prefix}{wire}": django_filters.CharFilter(field_name=f"{prefix}_{column}")
            for prefix in ("bezoekadres", "correspondentieadres")
            for wire, column in (
                ("Adresregel1", "adresregel1"),
                ("Adresregel2", "adresregel2"),
                ("Adresregel3", "adresregel3"),
                ("Land", "land"),
                ("NummeraanduidingId", "nummeraanduiding_id"),
            )
        }
    )

    class Meta:
        model = Partij
        fields = []

    @passes_value
    def _combined(self, queryset, name, value):
        return queryset

    @passes_value
    def filter_vertegenwoordigde(self, queryset, name, value):
        # The partijen that the given partij represents.
        return queryset.filter(
            Exists(
                Vertegenwoordigden.objects.filter(
                    vertegenwoordigende_partij__uuid=value, vertegenwoordigde_partij=OuterRef("pk")
                )
            )
        )

    def filter_vertegenwoordigde_url(self, queryset, name, value):
        candidate = uuid_from_url(value)
        if candidate is None:
            return queryset.none()
        return self.filter_vertegenwoordigde(queryset, name, candidate)

    def filter_categorie_naam(self, queryset, name, value):
        # A comma-separated list, as in the reference: a partij with any of the categorieën.
        # The whole value is one of the names too, so a naam with a comma is still found.
        # It splits its value, so it is not `passes_value` (keystatements.py).
        namen = {value, *value.split(",")}
        return queryset.filter(
            Exists(
                CategorieRelatie.objects.filter(partij=OuterRef("pk"), categorie__naam__in=namen)
            )
        )

    @passes_value
    def filter_sub(self, queryset, name, value):
        column = IDENTIFICATOR_FIELDS[name.split("__", 1)[1]]
        # Only sub-identificatoren (vestigingsnummers) have a parent: saying so lets
        # PostgreSQL start from their few rows (the unieke_sub_identificator index) instead
        # of testing every partij.
        return queryset.filter(
            Exists(
                PartijIdentificator.objects.filter(
                    partij=OuterRef("pk"),
                    sub_identificator_van__isnull=False,
                    **{f"sub_identificator_van__{column}": value},
                )
            )
        )


class PartijIdentificatorFilterSet(django_filters.FilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("anderePartijIdentificator",)

    anderePartijIdentificator = django_filters.CharFilter(field_name="andere_partij_identificator")
    partijIdentificatorCodeObjecttype = django_filters.ChoiceFilter(
        field_name="code_objecttype", choices=CodeObjecttype.choices
    )
    partijIdentificatorCodeRegister = django_filters.ChoiceFilter(
        field_name="code_register", choices=CodeRegister.choices
    )
    partijIdentificatorCodeSoortObjectId = django_filters.ChoiceFilter(
        field_name="code_soort_object_id", choices=CodeSoortObjectId.choices
    )
    partijIdentificatorObjectId = django_filters.CharFilter(field_name="object_id")

    class Meta:
        model = PartijIdentificator
        fields = []


VERSTREKT_DOOR_IDENTIFICATOR = "verstrektDoorPartij__partijIdentificator__"
VERSTREKT_DOOR_SUB = "verstrektDoorPartij__subIdentificatorVan__"
SUB_LABELS = {
    "codeObjecttype": "objecttype",
    "codeRegister": "register",
    "codeSoortObjectId": "soort object ID",
    "objectId": "object ID",
}


def sub_identificator_filters(prefix: str) -> dict:
    """`<prefix>codeObjecttype` ...: the identificator that the partij's identificator is a
    sub-identificator of (the KvK-nummer of a vestigingsnummer)."""
    return {
        f"{prefix}{wire}": django_filters.CharFilter(
            method="_combined",
            help_text=f"Zoek digitaal adres(sen) object(en) op basis van het "
            f"``subIdentificatorVan`` {label} van de partij die het adres verstrekte. Deze "
            f"parameter kan gecombineerd worden met de ``{VERSTREKT_DOOR_IDENTIFICATOR}`` "
            "parameters om de adressen van een specifieke vestiging te vinden, door bij "
            f"``{VERSTREKT_DOOR_IDENTIFICATOR}`` de vestigingspecifieke informatie mee te "
            f"geven en bij ``{prefix}`` de informatie van de rechtspersoon waaraan deze "
            "vestiging gekoppeld is.",
        )
        for wire, label in SUB_LABELS.items()
    }


def identificator_conditions(cleaned_data: dict, prefix: str, column_prefix: str = "") -> dict:
    """The identificator lookups of the `<prefix>*` filters given a value."""
    conditions = {}
    for wire, column in IDENTIFICATOR_FIELDS.items():
        value = cleaned_data.get(f"{prefix}{wire}")
        if value not in (None, ""):
            conditions[f"{column_prefix}{column}"] = value
    return conditions


class DigitaalAdresFilterSet(VisibleThroughMixin, django_filters.FilterSet):
    adres = django_filters.CharFilter()
    adres__icontains = django_filters.CharFilter(field_name="adres", lookup_expr="icontains")
    adres__genormaliseerd = django_filters.CharFilter(
        method="filter_genormaliseerd",
        help_text="Zoek digitaal adres(sen) object(en) op basis van het adres, ongeacht "
        "hoofdletters en notatie: spaties eromheen tellen niet, een e-mailadres wordt "
        "vergeleken in kleine letters, en een telefoonnummer als `+` en zijn cijfers (spaties, "
        "`-`, `.`, `/` en haakjes tellen niet; `00` staat voor `+`, een enkele `0` vooraan "
        "voor `+31`, `(0)` na een landcode vervalt). Zo vinden `06-12345678`, "
        "`(06) 12345678`, `+31 6 12345678` en `0031612345678` elkaar.",
    )
    # Searches by a value an application can have shielded (autorisatie.afscherming): by a
    # part of it, or by one that matches other spellings than the one given.
    afgeschermd = {
        "adres__icontains": "digitale_adressen",
        "adres__genormaliseerd": "digitale_adressen",
    }
    isGeverifieerd = BooleanFilter(
        field_name="verificatie_datum", lookup_expr="isnull", exclude=True
    )
    isStandaardAdres = BooleanFilter(field_name="is_standaard_adres")
    omschrijving = django_filters.CharFilter(lookup_expr="icontains")
    referentie = django_filters.CharFilter()
    soortDigitaalAdres = django_filters.ChoiceFilter(
        field_name="soort_digitaal_adres", choices=SoortDigitaalAdres.choices
    )
    verificatieDatum = django_filters.DateFilter(field_name="verificatie_datum")
    verificatieDatum__gt = django_filters.DateFilter(
        field_name="verificatie_datum", lookup_expr="gt"
    )
    verificatieDatum__gte = django_filters.DateFilter(
        field_name="verificatie_datum", lookup_expr="gte"
    )
    verificatieDatum__lt = django_filters.DateFilter(
        field_name="verificatie_datum", lookup_expr="lt"
    )
    verificatieDatum__lte = django_filters.DateFilter(
        field_name="verificatie_datum", lookup_expr="lte"
    )
    verstrektDoorBetrokkene__rol = django_filters.ChoiceFilter(
        field_name="betrokkene__rol",
        choices=(("klant", "klant"), ("vertegenwoordiger", "vertegenwoordiger")),
    )
    verstrektDoorBetrokkene__uuid = django_filters.UUIDFilter(field_name="betrokkene__uuid")
    verstrektDoorBetrokkene__url = UUIDFromURLFilter(field_name="betrokkene__uuid")
    locals().update(identificator_filters(VERSTREKT_DOOR_IDENTIFICATOR, "partij identificator"))
    locals().update(sub_identificator_filters(VERSTREKT_DOOR_SUB))
    verstrektDoorPartij__soortPartij = django_filters.ChoiceFilter(
        field_name="partij__soort_partij", choices=SoortPartij.choices
    )
    verstrektDoorPartij__uuid = django_filters.UUIDFilter(field_name="partij__uuid")
    verstrektDoorPartij__url = UUIDFromURLFilter(field_name="partij__uuid")

    class Meta:
        model = DigitaalAdres
        fields = []

    def filter_queryset(self, queryset):
        # All `verstrektDoorPartij__partijIdentificator__*` and `...subIdentificatorVan__*`
        # filters hold for ONE identificator of the partij, as one indexed EXISTS: a
        # vestigingsnummer is only unique together with the KvK-nummer it hangs under.
        cleaned = self.form.cleaned_data
        conditions = identificator_conditions(cleaned, VERSTREKT_DOOR_IDENTIFICATOR)
        sub = identificator_conditions(cleaned, VERSTREKT_DOOR_SUB, "sub_identificator_van__")
        if sub:
            # Only sub-identificatoren (vestigingsnummers) have a parent: saying so lets
            # PostgreSQL start from their few rows, as PartijFilterSet.filter_sub does.
            conditions.update(sub, sub_identificator_van__isnull=False)
        if conditions:
            queryset = queryset.filter(
                Exists(PartijIdentificator.objects.filter(partij=OuterRef("partij"), **conditions))
            )
        return super().filter_queryset(queryset)

    @passes_value
    def _combined(self, queryset, name, value):
        return queryset

    @passes_value
    def filter_genormaliseerd(self, queryset, name, value):
        # The value is normalised by the same SQL function as the indexed adres.
        return queryset.filter(zelfde_adres(value))


class RekeningnummerFilterSet(django_filters.FilterSet):
    bic = django_filters.CharFilter()
    iban = django_filters.CharFilter()
    uuid = django_filters.UUIDFilter()

    class Meta:
        model = Rekeningnummer
        fields = []


class VertegenwoordigdenFilterSet(django_filters.FilterSet):
    vertegenwoordigdePartij__uuid = django_filters.UUIDFilter(
        field_name="vertegenwoordigde_partij__uuid"
    )
    vertegenwoordigdePartij__url = UUIDFromURLFilter(field_name="vertegenwoordigde_partij__uuid")
    vertegenwoordigendePartij__uuid = django_filters.UUIDFilter(
        field_name="vertegenwoordigende_partij__uuid"
    )
    vertegenwoordigendePartij__url = UUIDFromURLFilter(
        field_name="vertegenwoordigende_partij__uuid"
    )

    class Meta:
        model = Vertegenwoordigden
        fields = []


class CategorieRelatieFilterSet(django_filters.FilterSet):
    # Deprecated in the contract (the OpenAPI document says so); they still filter.
    deprecated_filters = ("partij__nummer",)

    beginDatum = django_filters.DateFilter(field_name="begin_datum")
    eindDatum = django_filters.DateFilter(field_name="eind_datum")
    categorie__naam = django_filters.CharFilter(field_name="categorie__naam")
    categorie__uuid = django_filters.UUIDFilter(field_name="categorie__uuid")
    categorie__url = UUIDFromURLFilter(field_name="categorie__uuid")
    partij__nummer = django_filters.CharFilter(field_name="partij__nummer")
    partij__uuid = django_filters.UUIDFilter(field_name="partij__uuid")
    partij__url = UUIDFromURLFilter(field_name="partij__uuid")

    class Meta:
        model = CategorieRelatie
        fields = []
