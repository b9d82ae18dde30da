"""Serializers of the Partijen register."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from klantinteracties.api.expand import Expandable
from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer, GroupSerializer, reused_serializer
from klantinteracties.common.serializers import AdresSerializer, ContactnaamSerializer

from . import services
from .models import (
    Categorie,
    CategorieRelatie,
    CodeObjecttype,
    CodeRegister,
    CodeSoortObjectId,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SoortPartij,
    Vertegenwoordigden,
)
from .validators import (
    OBJECTTYPES_PER_REGISTER,
    SOORT_OBJECT_ID_PER_OBJECTTYPE,
    validate_bic,
    validate_digitaal_adres,
    validate_iban,
    validate_object_id,
)


def django_to_drf(exc: DjangoValidationError) -> list:
    return [serializers.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]


# Gegevensgroepen, one class per contract component name.
class PartijBezoekadresSerializer(AdresSerializer):
    pass


class PartijCorrespondentieadresSerializer(AdresSerializer):
    pass


class PersoonContactSerializer(ContactnaamSerializer):
    pass


class ContactpersoonPersoonSerializer(ContactnaamSerializer):
    pass


class PartijIdentificatorGroepTypeSerializer(GroupSerializer):
    codeObjecttype = serializers.ChoiceField(
        source="code_objecttype", choices=CodeObjecttype.choices
    )
    codeSoortObjectId = serializers.ChoiceField(
        source="code_soort_object_id", choices=CodeSoortObjectId.choices
    )
    objectId = serializers.CharField(source="object_id", max_length=200)
    codeRegister = serializers.ChoiceField(source="code_register", choices=CodeRegister.choices)


# References, one class per contract component name.
def partij_reference(**kwargs):
    return ReferenceField(resource="partijen", queryset=Partij.objects.all(), **kwargs)


class CategorieRelatieForeignKeySerializer(serializers.ModelSerializer):
    # Only ever used read-only (the partij's categorieRelaties); the fields themselves are
    # documented as the contract has them.
    uuid = serializers.UUIDField()
    url = ResourceUrlField(resource="categorie-relaties")
    categorieNaam = serializers.CharField(
        source="categorie.naam", read_only=True, allow_null=True, default=None
    )
    beginDatum = serializers.DateField(source="begin_datum", required=False, allow_null=True)
    eindDatum = serializers.DateField(source="eind_datum", required=False, allow_null=True)

    class Meta:
        model = CategorieRelatie
        fields = ("uuid", "url", "categorieNaam", "beginDatum", "eindDatum")


# Partij identificatie per soortPartij.
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


class PartijIdentificatorSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(required=False)
    url = ResourceUrlField(resource="partij-identificatoren")
    identificeerdePartij = partij_reference(source="partij", required=False, allow_null=True)
    partijIdentificator = PartijIdentificatorGroepTypeSerializer(required=True)
    subIdentificatorVan = ReferenceField(
        resource="partij-identificatoren",
        queryset=PartijIdentificator.objects.all(),
        source="sub_identificator_van",
        required=False,
        allow_null=True,
    )

    prefetch = ("partij", "sub_identificator_van")

    class Meta:
        model = PartijIdentificator
        fields = (
            "uuid",
            "url",
            "identificeerdePartij",
            "andere_partij_identificator",
            "partijIdentificator",
            "subIdentificatorVan",
        )
        # Uniqueness (also under a subIdentificatorVan) is checked in validate().
        validators = []

    def to_internal_value(self, data):
        validated = super().to_internal_value(data)
        # The uuid is the resource's own; it only selects an existing identificator in a
        # partij's nested list.
        if not self.parent:
            validated.pop("uuid", None)
        return validated

    def validate(self, attrs):
        instance = getattr(self, "instance", None) if not self.parent else None

        def current(field):
            if field in attrs:
                return attrs[field]
            return getattr(instance, field, None) if instance else None

        register = current("code_register")
        objecttype = current("code_objecttype")
        soort = current("code_soort_object_id")
        object_id = current("object_id")
        group_errors = {}
        if register and objecttype and objecttype not in OBJECTTYPES_PER_REGISTER[register]:
            group_errors["codeObjecttype"] = [
                serializers.ErrorDetail(
                    f"Objecttype {objecttype} komt niet voor in register {register}.",
                    code="invalid",
                )
            ]
        elif objecttype and soort and soort not in SOORT_OBJECT_ID_PER_OBJECTTYPE[objecttype]:
            group_errors["codeSoortObjectId"] = [
                serializers.ErrorDetail(
                    f"Soort object-id {soort} hoort niet bij objecttype {objecttype}.",
                    code="invalid",
                )
            ]
        if soort and object_id is not None:
            try:
                validate_object_id(soort, object_id)
            except DjangoValidationError as exc:
                group_errors["objectId"] = django_to_drf(exc)
        if group_errors:
            raise serializers.ValidationError({"partijIdentificator": group_errors})

        parent = current("sub_identificator_van")
        if parent is not None:
            if soort != CodeSoortObjectId.VESTIGINGSNUMMER or (
                parent.code_soort_object_id != CodeSoortObjectId.KVK_NUMMER
            ):
                raise serializers.ValidationError(
                    {
                        "subIdentificatorVan": [
                            serializers.ErrorDetail(
                                "Alleen een vestigingsnummer kan een sub-identificator zijn, "
                                "van een KvK-nummer.",
                                code="invalid",
                            )
                        ]
                    }
                )
        if not self.parent and soort and object_id:
            services.check_identificator_unique(
                code_soort_object_id=soort,
                object_id=object_id,
                sub_identificator_van=parent,
                exclude=instance,
            )
        return attrs

    def create(self, validated_data):
        return services.partij_identificator_save(data=validated_data)

    def update(self, instance, validated_data):
        return services.partij_identificator_save(instance=instance, data=validated_data)


class DigitaalAdresSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="digitaleadressen")
    verstrektDoorBetrokkene = ReferenceField(
        resource="betrokkenen",
        queryset=DigitaalAdres._meta.get_field("betrokkene").related_model._default_manager.all(),
        source="betrokkene",
        required=False,
        allow_null=True,
    )
    verstrektDoorPartij = partij_reference(source="partij", required=False, allow_null=True)
    referentie = serializers.RegexField(
        r"^[-a-zA-Z0-9_]+$", max_length=50, required=False, allow_blank=True
    )

    expandable = {
        "verstrektDoorBetrokkene": Expandable(
            "klantcontacten.serializers.BetrokkeneSerializer", lookup="betrokkene", many=False
        ),
    }
    prefetch = ("partij", "betrokkene")

    class Meta:
        model = DigitaalAdres
        fields = (
            "uuid",
            "url",
            "verstrektDoorBetrokkene",
            "verstrektDoorPartij",
            "adres",
            "soort_digitaal_adres",
            "is_standaard_adres",
            "omschrijving",
            "referentie",
            "verificatie_datum",
        )
        # One standaard adres per partij and soort is enforced by the service, not by
        # DRF's unique-together validator (which would make verstrektDoorPartij required).
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data.get("referentie"):
            data.pop("referentie", None)
        return data

    def validate(self, attrs):
        instance = self.instance
        soort = attrs.get("soort_digitaal_adres", getattr(instance, "soort_digitaal_adres", None))
        adres = attrs.get("adres", getattr(instance, "adres", None))
        if ("adres" in attrs or "soort_digitaal_adres" in attrs) and soort and adres:
            try:
                validate_digitaal_adres(soort, adres)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"adres": django_to_drf(exc)}) from exc
        return attrs

    def create(self, validated_data):
        return services.digitaal_adres_save(data=validated_data)

    def update(self, instance, validated_data):
        return services.digitaal_adres_save(instance=instance, data=validated_data)


class RekeningnummerSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="rekeningnummers")
    partij = partij_reference(required=False, allow_null=True)
    iban = serializers.RegexField(r"^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$", max_length=34)
    bic = serializers.RegexField(
        r"^[\S]+$", min_length=8, max_length=11, required=False, allow_blank=True
    )

    prefetch = ("partij",)

    class Meta:
        model = Rekeningnummer
        fields = ("uuid", "url", "partij", "iban", "bic")
        validators = []

    def validate_iban(self, value):
        try:
            validate_iban(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_to_drf(exc)) from exc
        return value.replace(" ", "").upper()

    def validate_bic(self, value):
        if value:
            try:
                validate_bic(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(django_to_drf(exc)) from exc
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data.get("bic"):
            data.pop("bic", None)
        return data

    def validate(self, attrs):
        partij = attrs.get("partij", getattr(self.instance, "partij", None))
        iban = attrs.get("iban", getattr(self.instance, "iban", None))
        if partij is not None and iban:
            clash = Rekeningnummer.objects.filter(partij=partij, iban=iban)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    {
                        "iban": [
                            serializers.ErrorDetail("Deze partij heeft dit IBAN al.", code="unique")
                        ]
                    }
                )
        return attrs


class VertegenwoordigdenSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="vertegenwoordigingen")
    vertegenwoordigendePartij = partij_reference(source="vertegenwoordigende_partij")
    vertegenwoordigdePartij = partij_reference(source="vertegenwoordigde_partij")

    prefetch = ("vertegenwoordigende_partij", "vertegenwoordigde_partij")

    class Meta:
        model = Vertegenwoordigden
        fields = ("uuid", "url", "vertegenwoordigendePartij", "vertegenwoordigdePartij")
        validators = []

    def validate(self, attrs):
        vertegenwoordigende = attrs.get(
            "vertegenwoordigende_partij", getattr(self.instance, "vertegenwoordigende_partij", None)
        )
        vertegenwoordigde = attrs.get(
            "vertegenwoordigde_partij", getattr(self.instance, "vertegenwoordigde_partij", None)
        )
        if vertegenwoordigende is not None and vertegenwoordigende == vertegenwoordigde:
            raise serializers.ValidationError(
                {
                    "vertegenwoordigdePartij": [
                        serializers.ErrorDetail(
                            "Een partij kan zichzelf niet vertegenwoordigen.", code="invalid"
                        )
                    ]
                }
            )
        clash = Vertegenwoordigden.objects.filter(
            vertegenwoordigende_partij=vertegenwoordigende,
            vertegenwoordigde_partij=vertegenwoordigde,
        )
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {
                    "vertegenwoordigdePartij": [
                        serializers.ErrorDetail(
                            "Deze partij vertegenwoordigt die partij al.", code="unique"
                        )
                    ]
                }
            )
        return attrs


class CategorieSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="categorieen")

    class Meta:
        model = Categorie
        fields = ("uuid", "url", "naam")
        extra_kwargs = {"naam": {"required": False}}


class CategorieRelatieSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="categorie-relaties")
    partij = partij_reference(component="PartijForeignkeyBase", required=False, allow_null=True)
    categorie = ReferenceField(
        resource="categorieen", queryset=Categorie.objects.all(), required=False, allow_null=True
    )
    beginDatum = serializers.DateField(source="begin_datum", required=False, allow_null=True)
    eindDatum = serializers.DateField(source="eind_datum", required=False, allow_null=True)

    prefetch = ("partij", "categorie")

    class Meta:
        model = CategorieRelatie
        fields = ("uuid", "url", "partij", "categorie", "beginDatum", "eindDatum")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.categorie is not None:
            data["categorie"]["naam"] = instance.categorie.naam
        return data

    def validate(self, attrs):
        if "begin_datum" in attrs and attrs["begin_datum"] is None:
            # A relation without beginDatum starts today.
            attrs["begin_datum"] = datetime.date.today()
        begin = attrs.get("begin_datum", getattr(self.instance, "begin_datum", None))
        eind = attrs.get("eind_datum", getattr(self.instance, "eind_datum", None))
        if begin and eind and eind < begin:
            raise serializers.ValidationError(
                {
                    "eindDatum": [
                        serializers.ErrorDetail(
                            "De einddatum mag niet voor de begindatum liggen.", code="invalid"
                        )
                    ]
                }
            )
        return attrs


class WholeItemsListSerializer(serializers.ListSerializer):
    """A nested list that replaces the related rows: each item is a whole object, so it is
    validated in full also in a PATCH of the parent (DRF would make its fields optional)."""

    def run_child_validation(self, data):
        root = self.root
        partial = root.partial
        root.partial = False
        try:
            return super().run_child_validation(data)
        finally:
            root.partial = partial


class PartijSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="partijen")
    nummer = serializers.CharField(max_length=10, required=False, allow_null=True, allow_blank=True)
    betrokkenen = ReferenceField(resource="betrokkenen", many=True, read_only=True)
    categorieRelaties = CategorieRelatieForeignKeySerializer(
        source="categorierelaties", many=True, read_only=True
    )
    digitaleAdressen = ReferenceField(
        resource="digitaleadressen",
        queryset=DigitaalAdres.objects.all(),
        source="digitaleadressen",
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
        resource="partijen", source="vertegenwoordigde_partijen", many=True, read_only=True
    )
    rekeningnummers = ReferenceField(
        resource="rekeningnummers",
        queryset=Rekeningnummer.objects.all(),
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

    def validate_voorkeurstaal(self, value):
        if value and not (len(value) == 3 and value.isalpha() and value.islower()):
            raise serializers.ValidationError(
                "Gebruik een ISO 639-2/B taalcode van drie kleine letters, zoals nld.",
                code="invalid",
            )
        return value

    def validate_nummer(self, value):
        if not value:
            return None
        if not value.isdigit():
            raise serializers.ValidationError("Een nummer bestaat uit cijfers.", code="invalid")
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
