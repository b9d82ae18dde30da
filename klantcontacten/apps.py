from django.apps import AppConfig


class KlantcontactenConfig(AppConfig):
    name = "klantcontacten"
    verbose_name = "Klantcontacten"
