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
