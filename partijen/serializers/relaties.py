"""Vertegenwoordigingen, categorieën and categorie-relaties."""

import datetime

from rest_framework import serializers

from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer

from ..models import (
    Categorie,
    CategorieRelatie,
    Vertegenwoordigden,
)
from .common import partij_reference


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
