from django.apps import AppConfig


class PartijenConfig(AppConfig):
    name = "partijen"
    verbose_name = "Partijen"
