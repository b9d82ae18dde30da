"""OpenAPI generation: reference-style operationIds, the `expand` parameter, one file per API."""

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
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
