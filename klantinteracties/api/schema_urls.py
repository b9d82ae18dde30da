"""URLs serving each API's OpenAPI document and its browsable documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .schema import APIS


def schema_urlpatterns(api: str) -> list:
    """`schema` (YAML, or JSON with ?format=json), `schema/docs` (Swagger UI), `schema/redoc`."""
    config = APIS[api]
    return [
        path(
            "schema",
            SpectacularAPIView.as_view(
                urlconf=config["urlconf"], custom_settings=config["settings"]
            ),
            name=f"{api}-schema",
        ),
        path(
            "schema/docs",
            SpectacularSwaggerView.as_view(url_name=f"{api}-schema"),
            name=f"{api}-schema-docs",
        ),
        path(
            "schema/redoc",
            SpectacularRedocView.as_view(url_name=f"{api}-schema"),
            name=f"{api}-schema-redoc",
        ),
    ]
