"""Request bodies of regie's actions."""

from rest_framework import serializers

from .samenvoegen import MAX_DUPLICATEN


class PartijUuidSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="De uuid van een partij die wordt samengevoegd.")


class SamenvoegenSerializer(serializers.Serializer):
    partijen = PartijUuidSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_DUPLICATEN,
        help_text="De dubbele partijen die in de partij van het pad opgaan, ten minste één en "
        f"ten hoogste {MAX_DUPLICATEN}; elk één keer, niet de overblijvende partij zelf, van "
        "dezelfde `soortPartij`.",
    )


class VergetenSerializer(serializers.Serializer):
    toelichting = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Waarom (bijvoorbeeld het nummer van het verzoek); komt in de audit trail. "
        "Noem hier geen gegevens van de partij.",
    )


class VergetenGeanonimiseerdSerializer(serializers.Serializer):
    partijen = serializers.IntegerField()
    betrokkenen = serializers.IntegerField()
    klantcontacten = serializers.IntegerField()
    interneTaken = serializers.IntegerField()  # noqa: N815  (the wire name)


class VergetenVerwijderdSerializer(serializers.Serializer):
    partijIdentificatoren = serializers.IntegerField()  # noqa: N815
    digitaleAdressen = serializers.IntegerField()  # noqa: N815
    rekeningnummers = serializers.IntegerField()
    vertegenwoordigingen = serializers.IntegerField()


class VergetenBehoudenSerializer(serializers.Serializer):
    klantcontacten = serializers.IntegerField(
        help_text="Klantcontacten waarvan vastligt dat ze plaatsvonden."
    )
    velden = serializers.ListField(
        child=serializers.CharField(), help_text="De velden van die klantcontacten die blijven."
    )


class VergetenResultaatSerializer(serializers.Serializer):
    partij = serializers.DictField(help_text="De partij: `uuid` en `url`.")
    dryRun = serializers.BooleanField(  # noqa: N815
        help_text="`true`: er is niets gewijzigd, de aantallen zeggen wat zou gaan."
    )
    alVergeten = serializers.BooleanField(  # noqa: N815
        help_text="`true`: er was niets (meer) te wissen; er is niets gewijzigd."
    )
    geanonimiseerd = VergetenGeanonimiseerdSerializer(
        help_text="Objecten die blijven, zonder persoonsgegevens."
    )
    verwijderd = VergetenVerwijderdSerializer(help_text="Objecten die zijn verwijderd.")
    auditrecords = serializers.IntegerField(
        help_text="Auditrecords waaruit de gewiste waarden zijn verwijderd."
    )
    gebeurtenissen = serializers.IntegerField(
        help_text="Aankondigingen in de uitgaande wachtrij waaruit gewiste waarden zijn verwijderd."
    )
    behouden = VergetenBehoudenSerializer()
