"""OpenAPI documentation of the polymorphic Partij payload (`soortPartij`)."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

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


# The problem a merged partij's url answers with (docs/regie.md, "Samenvoegen").
SAMENGEVOEGD_SCHEMA = {
    "allOf": [
        {"$ref": "#/components/schemas/Fout"},
        {
            "type": "object",
            "properties": {
                "samengevoegdIn": {
                    "type": "object",
                    "description": "De partij waarin deze partij is samengevoegd.",
                    "properties": {
                        "uuid": {"type": "string", "format": "uuid"},
                        "url": {"type": "string", "format": "uri"},
                    },
                    "required": ["uuid", "url"],
                }
            },
            "required": ["samengevoegdIn"],
        },
    ]
}
SAMENGEVOEGD_301 = OpenApiResponse(
    SAMENGEVOEGD_SCHEMA,
    description="Deze partij is samengevoegd in een andere: `Location` (met dezelfde "
    "query) en `samengevoegdIn` noemen die.",
)
SAMENGEVOEGD_410 = OpenApiResponse(
    SAMENGEVOEGD_SCHEMA,
    description="Deze partij is samengevoegd in een andere (`samengevoegdIn`); er is niets "
    "gewijzigd. Stuur de wijziging, als die nog nodig is, naar die partij.",
)
LOCATION_301 = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    description="De url van de partij waarin deze is samengevoegd.",
    response=[301],
)
