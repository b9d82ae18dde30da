"""OpenAPI documentation of the polymorphic Partij payload (`soortPartij`)."""

from drf_spectacular.extensions import OpenApiSerializerExtension

from klantinteracties.api.schema import polymorphic_schema

from .serializers import IDENTIFICATIE_SERIALIZERS, PartijSerializer


class PartijSerializerExtension(OpenApiSerializerExtension):
    target_class = PartijSerializer

    def map_serializer(self, auto_schema, direction):
        base = PartijSerializer(context=getattr(self.target, "context", {}))
        del base.fields["partijIdentificatie"]
        return polymorphic_schema(
            auto_schema,
            direction,
            name="Partij",
            discriminator="soortPartij",
            base=base,
            variants={soort.value: cls for soort, cls in IDENTIFICATIE_SERIALIZERS.items()},
            wrapper="partijIdentificatie",
        )
