"""Digitale adressen and rekeningnummers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from klantinteracties.api.expand import Expandable
from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer

from .. import services
from ..models import (
    DigitaalAdres,
    Rekeningnummer,
)
from ..validators import (
    validate_digitaal_adres,
    validate_iban,
)
from .common import django_to_drf, partij_reference


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
    afgeschermd = {"adres": "digitale_adressen"}

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

    def validate(self, attrs):
        instance = self.instance
        partij = attrs.get("partij", getattr(instance, "partij", None))
        if partij is None and attrs.get("is_standaard_adres"):
            raise serializers.ValidationError(
                {
                    "isStandaardAdres": [
                        serializers.ErrorDetail(
                            "Alleen een digitaal adres van een partij (verstrektDoorPartij) "
                            "kan haar standaardadres zijn.",
                            code="invalid",
                        )
                    ]
                }
            )
        if partij is None and "partij" in attrs:
            # An adres that leaves its partij stops being its standaard, as when the partij
            # drops it from its list.
            attrs["is_standaard_adres"] = False
        soort = attrs.get("soort_digitaal_adres", getattr(instance, "soort_digitaal_adres", None))
        adres = attrs.get("adres", getattr(instance, "adres", None))
        # A stored adres sent back unchanged is not judged again: rules added later (such
        # as the one on 0800 numbers) must not make an unrelated write fail.
        unchanged = instance is not None and (soort, adres) == (
            instance.soort_digitaal_adres,
            instance.adres,
        )
        if (
            ("adres" in attrs or "soort_digitaal_adres" in attrs)
            and soort
            and adres
            and not unchanged
        ):
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
    # The contract's rule: 8 to 11 characters without whitespace. ISO 9362 also allows
    # digits where a stricter pattern would want the bank code's letters.
    bic = serializers.RegexField(
        r"^[\S]+$", min_length=8, max_length=11, required=False, allow_blank=True
    )

    prefetch = ("partij",)
    afgeschermd = {"iban": "rekeningnummers", "bic": "rekeningnummers"}

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

    def create(self, validated_data):
        return services.rekeningnummer_save(data=validated_data)

    def update(self, instance, validated_data):
        return services.rekeningnummer_save(instance=instance, data=validated_data)
