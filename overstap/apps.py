from django.apps import AppConfig


class OverstapConfig(AppConfig):
    name = "overstap"
    verbose_name = "Overstap van Open Klant"
