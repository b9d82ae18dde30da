from django.apps import AppConfig


class ContactgegevensConfig(AppConfig):
    name = "contactgegevens"
    verbose_name = "Contactgegevens"
