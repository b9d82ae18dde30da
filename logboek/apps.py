from django.apps import AppConfig


class LogboekConfig(AppConfig):
    name = "logboek"
    verbose_name = "Logboek: verwerkingen en audit trail"

    def ready(self):
        from . import beheer

        # The admin's changes, in the audit trail.
        beheer.connect()
