"""Gegevensgroepen shared by the registers: addresses, contact names, object identificators.

Each contract component (PartijBezoekadres, Bezoekadres, Contactnaam, ...) is its own small
subclass so the generated schema names match the reference.
"""

from rest_framework import serializers

from klantinteracties.api.serializers import GroupSerializer

from .validators import nummeraanduiding_validator, postcode_validator, validate_land


class AdresSerializer(GroupSerializer):
    omit_when_empty = ("nummeraanduidingId", "postcode", "land")

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
