from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "klantinteracties.api"
    label = "api"
    verbose_name = "API-toegang"
