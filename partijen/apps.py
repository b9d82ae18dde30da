from django.apps import AppConfig


class PartijenConfig(AppConfig):
    name = "partijen"
    verbose_name = "Partijen"

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI extension)
