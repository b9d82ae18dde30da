"""The polymorphic Partij (soortPartij) and its partijIdentificatie."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from klantinteracties.api.expand import Expandable, related_uuids
from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer, reused_serializer
from klantinteracties.common.validators import taal_validator
from klantinteracties.nummers import client_nummer

from .. import services
from ..models import (
    DigitaalAdres,
    Partij,
    Rekeningnummer,
    SoortPartij,
)
from .common import (
    ContactpersoonPersoonSerializer,
    PartijBezoekadresSerializer,
    PartijCorrespondentieadresSerializer,
    PersoonContactSerializer,
)
from .identificatoren import PartijIdentificatorSerializer, WholeItemsListSerializer
from .relaties import CategorieRelatieForeignKeySerializer


class PersoonSerializer(serializers.Serializer):
    contactnaam = PersoonContactSerializer(prefix="contactnaam_", required=False)
    volledigeNaam = serializers.CharField(source="volledige_naam", read_only=True)


class OrganisatieSerializer(serializers.Serializer):
    naam = serializers.CharField(
        source="organisatie_naam", max_length=200, required=False, allow_blank=True
    )


class ContactpersoonSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(
        required=False, help_text="Uuid van de contactpersoon (de partij)."
    )
    werkteVoorPartij = ReferenceField(
        resource="partijen",
        component="PartijPolymorphic",
        queryset=Partij.objects.all(),
        source="werkte_voor_partij",
        required=False,
        allow_null=True,
    )
    contactnaam = ContactpersoonPersoonSerializer(prefix="contactnaam_", required=False)
    volledigeNaam = serializers.CharField(source="volledige_naam", read_only=True)

    def validate_werkteVoorPartij(self, value):
        if value is not None and value.soort_partij != SoortPartij.ORGANISATIE:
            raise serializers.ValidationError(
                "Een contactpersoon werkt voor een partij van soort organisatie.", code="invalid"
            )
        return value

    def to_internal_value(self, data):
        validated = super().to_internal_value(data)
        validated.pop("uuid", None)
        return validated


IDENTIFICATIE_SERIALIZERS = {
    SoortPartij.PERSOON: PersoonSerializer,
    SoortPartij.ORGANISATIE: OrganisatieSerializer,
    SoortPartij.CONTACTPERSOON: ContactpersoonSerializer,
}


class PartijIdentificatieField(serializers.Field):
    """`partijIdentificatie`, whose shape depends on `soortPartij` (validated in the parent)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        soort = instance.soort_partij
        serializer = reused_serializer(
            self, soort, lambda: IDENTIFICATIE_SERIALIZERS[soort](context=self.context)
        )
        return serializer.to_representation(instance)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Verwacht een object.", code="invalid")
        return {"_partij_identificatie": data}

    def validate_empty_values(self, data):
        if data is None:
            return True, {}
        return super().validate_empty_values(data)


@extend_schema_serializer(deprecate_fields=["nummer"])
class PartijSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="partijen")
    nummer = serializers.CharField(max_length=10, required=False, allow_null=True, allow_blank=True)
    betrokkenen = ReferenceField(
        resource="betrokkenen", uuid_array="betrokkenen_uuids", many=True, read_only=True
    )
    categorieRelaties = CategorieRelatieForeignKeySerializer(
        source="categorierelaties", many=True, read_only=True
    )
    digitaleAdressen = ReferenceField(
        resource="digitaleadressen",
        queryset=DigitaalAdres.objects.all(),
        source="digitaleadressen",
        uuid_array="digitaleadressen_uuids",
        many=True,
        required=False,
        allow_null=True,
    )
    voorkeursDigitaalAdres = ReferenceField(
        resource="digitaleadressen",
        queryset=DigitaalAdres.objects.all(),
        source="voorkeurs_digitaal_adres",
        required=False,
        allow_null=True,
    )
    vertegenwoordigden = ReferenceField(
        resource="partijen",
        source="vertegenwoordigde_partijen",
        uuid_array="vertegenwoordigden_uuids",
        many=True,
        read_only=True,
    )
    rekeningnummers = ReferenceField(
        resource="rekeningnummers",
        queryset=Rekeningnummer.objects.all(),
        uuid_array="rekeningnummers_uuids",
        many=True,
        required=False,
        allow_null=True,
    )
    voorkeursRekeningnummer = ReferenceField(
        resource="rekeningnummers",
        queryset=Rekeningnummer.objects.all(),
        source="voorkeurs_rekeningnummer",
        required=False,
        allow_null=True,
    )
    # `null` means "none", but an item may not be null: with many=True DRF would pass
    # allow_null on to each item as well.
    partijIdentificatoren = WholeItemsListSerializer(
        child=PartijIdentificatorSerializer(),
        source="partijidentificatoren",
        required=False,
        allow_null=True,
    )
    indicatieActief = serializers.BooleanField(source="indicatie_actief")
    bezoekadres = PartijBezoekadresSerializer(prefix="bezoekadres_", required=False)
    correspondentieadres = PartijCorrespondentieadresSerializer(
        prefix="correspondentieadres_", required=False
    )
    partijIdentificatie = PartijIdentificatieField()

    afgeschermd = {
        "interneNotitie": "interne_notitie",
        "bezoekadres": "adressen",
        "correspondentieadres": "adressen",
    }

    expandable = {
        "digitaleAdressen": Expandable(
            "partijen.serializers.DigitaalAdresSerializer", lookup="digitaleadressen"
        ),
        "betrokkenen": Expandable(
            "klantcontacten.serializers.BetrokkeneSerializer", lookup="betrokkenen"
        ),
        "categorieRelaties": Expandable(
            "partijen.serializers.CategorieRelatieSerializer", lookup="categorierelaties"
        ),
    }
    # Reference lists read as uuid arrays by the partijen views (one query instead of four).
    uuid_arrays = {
        "betrokkenen_uuids": related_uuids(Partij, "betrokkenen"),
        "digitaleadressen_uuids": related_uuids(Partij, "digitaleadressen"),
        "rekeningnummers_uuids": related_uuids(Partij, "rekeningnummers"),
        "vertegenwoordigden_uuids": related_uuids(
            Partij,
            "vertegenwoordigingen",
            value="vertegenwoordigde_partij__uuid",
            replaces="vertegenwoordigingen__vertegenwoordigde_partij",
        ),
    }
    # Reference lists and FK references rendered on every partij.
    prefetch = (
        "betrokkenen",
        "categorierelaties__categorie",
        "digitaleadressen",
        "vertegenwoordigingen__vertegenwoordigde_partij",
        "rekeningnummers",
        "partijidentificatoren__partij",
        "partijidentificatoren__sub_identificator_van",
        "voorkeurs_digitaal_adres",
        "voorkeurs_rekeningnummer",
        "werkte_voor_partij",
    )

    class Meta:
        model = Partij
        fields = (
            "uuid",
            "url",
            "nummer",
            "interne_notitie",
            "betrokkenen",
            "categorieRelaties",
            "digitaleAdressen",
            "voorkeursDigitaalAdres",
            "vertegenwoordigden",
            "rekeningnummers",
            "voorkeursRekeningnummer",
            "partijIdentificatoren",
            "soort_partij",
            "indicatie_geheimhouding",
            "voorkeurstaal",
            "indicatieActief",
            "bezoekadres",
            "correspondentieadres",
            "partijIdentificatie",
        )

    def validate_partijIdentificatoren(self, value):
        # The list's identificatoren identify the partij being created: naming another one
        # is a mistake, not something to ignore (on an update it is set to this partij).
        if self.instance is None:
            errors = {
                index: {
                    "identificeerdePartij": [
                        serializers.ErrorDetail(
                            "Een partij-identificator in deze lijst identificeert de partij "
                            "die wordt aangemaakt; laat identificeerdePartij weg.",
                            code="invalid",
                        )
                    ]
                }
                for index, item in enumerate(value or ())
                if item.get("partij") is not None
            }
            if errors:
                raise serializers.ValidationError(errors)
        return value

    def validate_voorkeurstaal(self, value):
        if value:
            taal_validator(value)
        return value

    def validate_nummer(self, value):
        value = client_nummer(value, getattr(self.instance, "nummer", None))
        if value is None:
            return None
        clash = Partij.objects.filter(nummer=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                "Er bestaat al een partij met dit nummer.", code="unique"
            )
        return value

    def validate(self, attrs):
        soort = attrs.get("soort_partij", getattr(self.instance, "soort_partij", None))
        raw = attrs.pop("_partij_identificatie", None)
        if raw is not None and soort:
            identificatie = IDENTIFICATIE_SERIALIZERS[soort](
                instance=self.instance, data=raw, partial=self.partial, context=self.context
            )
            if not identificatie.is_valid():
                raise serializers.ValidationError({"partijIdentificatie": identificatie.errors})
            attrs.update(identificatie.validated_data)
        return attrs

    def create(self, validated_data):
        return services.partij_save(data=validated_data)

    def update(self, instance, validated_data):
        return services.partij_save(instance=instance, data=validated_data)
