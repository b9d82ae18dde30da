"""Gegevensgroepen shared by the registers: addresses, contact names, object identificators.

Each contract component (PartijBezoekadres, Bezoekadres, Contactnaam, ...) is its own small
subclass so the generated schema names match the reference.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from rest_framework import serializers

from klantinteracties.api.fields import BlankAsNullCharField
from klantinteracties.api.serializers import GroupSerializer

from .validators import (
    nummeraanduiding_validator,
    postcode_validator,
    referentienummer_validator,
    validate_land,
)


class AdresSerializer(GroupSerializer):
    nummeraanduidingId = serializers.CharField(
        source="nummeraanduiding_id",
        max_length=16,
        required=False,
        allow_blank=True,
        validators=[nummeraanduiding_validator],
        help_text="Identificatie van het adres bij de Basisregistratie Adressen en Gebouwen.",
    )
    straatnaam = serializers.CharField(max_length=255, required=False, allow_blank=True)
    # Every address of the contract has huisnummer 1..99999.
    huisnummer = serializers.IntegerField(
        min_value=1, max_value=99999, required=False, allow_null=True
    )
    huisnummertoevoeging = serializers.CharField(max_length=20, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=7, required=False, allow_blank=True, validators=[postcode_validator]
    )
    stad = serializers.CharField(max_length=255, required=False, allow_blank=True)
    adresregel1 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    adresregel2 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    adresregel3 = serializers.CharField(max_length=80, required=False, allow_blank=True)
    land = serializers.CharField(
        min_length=2, max_length=2, required=False, allow_blank=True, validators=[validate_land]
    )


class ContactnaamSerializer(GroupSerializer):
    voorletters = serializers.CharField(max_length=10, required=False, allow_blank=True)
    voornaam = serializers.CharField(max_length=200, required=False, allow_blank=True)
    voorvoegselAchternaam = serializers.CharField(
        source="voorvoegsel_achternaam", max_length=10, required=False, allow_blank=True
    )
    achternaam = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IdentificatorSerializer(GroupSerializer):
    # objectId / codeObjecttype / codeRegister / codeSoortObjectId of an external object.

    objectId = serializers.CharField(
        source="object_id", max_length=200, required=False, allow_blank=True
    )
    codeObjecttype = serializers.CharField(
        source="code_objecttype", max_length=200, required=False, allow_blank=True
    )
    codeRegister = serializers.CharField(
        source="code_register", max_length=200, required=False, allow_blank=True
    )
    codeSoortObjectId = serializers.CharField(
        source="code_soort_object_id", max_length=200, required=False, allow_blank=True
    )


class ReferentienummerField(BlankAsNullCharField):
    """`referentienummer` of a klantcontact or an interne taak: an integer of at most 10
    characters, unique among its resource's objects (as the reference enforces both); ""
    and `null` mean none.

    A value is judged only when it changes: one stored twice by an earlier version may be
    sent back as it is. The check holds a transaction-level advisory lock on the value, so
    two requests giving the same one cannot both pass it; the request's transaction (every
    write has one) releases it.
    """

    def __init__(self, *, model, message: str, **kwargs):
        self.model, self.message = model, message
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        instance = getattr(self.parent, "instance", None)
        if value and value != getattr(instance, "referentienummer", None):
            # Checked here, not as a field validator: the contract documents no pattern, and
            # values stored before the rule are returned as they are.
            try:
                referentienummer_validator(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages[0], code="invalid") from exc
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    [f"{self.model._meta.db_table}.referentienummer:{value}"],
                )
            clash = self.model._default_manager.filter(referentienummer=value)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                raise serializers.ValidationError(self.message, code="unique")
        return value
