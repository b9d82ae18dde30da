"""OpenAPI generation: reference-style operationIds, the `expand` parameter, one file per API."""

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .serializers import camelize

APIS = {
    "klantinteracties": {
        "urlconf": "klantinteracties.urls_api",
        "settings": {
            "TITLE": "klantinteracties",
            "VERSION": settings.API_VERSION,
            "SERVERS": [{"url": "/klantinteracties/api/v1"}],
            "SCHEMA_PATH_PREFIX": "/klantinteracties/api/v1",
        },
    },
    "contactgegevens": {
        "urlconf": "contactgegevens.urls_api",
        "settings": {
            "TITLE": "contactgegevens",
            "VERSION": settings.CONTACTGEGEVENS_API_VERSION,
            "DESCRIPTION": "Contactgegevens API: personen en organisaties.",
            "CONTACT": {
                "email": "standaarden.ondersteuning@vng.nl",
                "name": "VNG",
                "url": "https://zaakgerichtwerken.vng.cloud",
            },
            "LICENSE": {"name": "EUPL 1.2", "url": "https://opensource.org/licenses/EUPL-1.2"},
            "TAGS": [{"name": "organisaties"}, {"name": "personen"}],
            "SERVERS": [{"url": "/contactgegevens/api/v1"}],
            "SCHEMA_PATH_PREFIX": "/contactgegevens/api/v1",
        },
    },
}

ACTION_SUFFIX = {
    "list": "List",
    "retrieve": "Retrieve",
    "create": "Create",
    "update": "Update",
    "partial_update": "PartialUpdate",
    "destroy": "Destroy",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation_id(self):
        # /partij-identificatoren + list -> partijIdentificatorenList, as the reference names it.
        tokenized = self._tokenize_path()
        tokenized = [t for t in tokenized if not t.startswith("{")]
        base = camelize("_".join(tokenized).replace("-", "_"))
        if self.method == "GET" and self._is_list_view():
            action = "list"
        else:
            action = {
                "GET": "retrieve",
                "POST": "create",
                "PUT": "update",
                "PATCH": "partial_update",
                "DELETE": "destroy",
            }[self.method]
        return base + ACTION_SUFFIX[action]

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        paths = getattr(self.view, "expand_paths", ())
        if paths and self.method == "GET":
            params.append(
                OpenApiParameter(
                    name="expand",
                    type={"type": "array", "items": {"type": "string", "enum": sorted(paths)}},
                    location=OpenApiParameter.QUERY,
                    description="Sluit de gespecifieerde gerelateerde resources in in het antwoord.\n\n",
                    explode=False,
                    style="form",
                )
            )
        return params

    def get_tags(self):
        tokenized = [t for t in self._tokenize_path() if not t.startswith("{")]
        return [tokenized[0]] if tokenized else super().get_tags()


def generate(api: str, request=None) -> dict:
    config = APIS[api]
    with patched_settings(config["settings"]):
        generator = SchemaGenerator(urlconf=config["urlconf"])
        return generator.get_schema(request=request, public=True)


def render_yaml(schema: dict) -> str:
    with patched_settings({}):
        return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


__all__ = ["AutoSchema", "OpenApiTypes", "generate", "render_yaml"]


def polymorphic_schema(auto_schema, direction, *, name, discriminator, base, variants, wrapper):
    """Document a serializer whose identificatie depends on a discriminator, as the reference
    does: `oneOf` of `<soort>_<Name>Serializer` = allOf[Base_<Name>Serializer,
    <wrapper>_<Identificatie>], with a discriminator mapping.

    base: a serializer instance without the identificatie field; variants: {soort:
    identificatie serializer class}; wrapper: name of the identificatie property.
    """
    registry = auto_schema.registry
    base_component = ResolvedComponent(
        name=f"Base_{name}Serializer",
        type=ResolvedComponent.SCHEMA,
        object=f"Base_{name}Serializer",
        schema=auto_schema._map_basic_serializer(base, direction),
    )
    registry.register_on_missing(base_component)
    base_ref = base_component.ref
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in wrapper).lstrip("_")
    one_of, mapping = [], {}
    for soort, identificatie in variants.items():
        identificatie_ref = auto_schema.resolve_serializer(identificatie, direction).ref
        ident_name = identificatie_ref["$ref"].rsplit("/", 1)[-1]
        holder = ResolvedComponent(
            name=f"{snake}_{ident_name}",
            type=ResolvedComponent.SCHEMA,
            object=f"{snake}_{ident_name}",
            schema={"type": "object", "properties": {wrapper: identificatie_ref}},
        )
        registry.register_on_missing(holder)
        variant = ResolvedComponent(
            name=f"{soort}_{name}Serializer",
            type=ResolvedComponent.SCHEMA,
            object=f"{soort}_{name}Serializer",
            schema={"allOf": [base_ref, holder.ref]},
        )
        registry.register_on_missing(variant)
        one_of.append(variant.ref)
        mapping[soort] = variant.ref["$ref"]
    return {"oneOf": one_of, "discriminator": {"propertyName": discriminator, "mapping": mapping}}
