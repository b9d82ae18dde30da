from django.apps import AppConfig


class GebeurtenissenConfig(AppConfig):
    name = "gebeurtenissen"
    verbose_name = "Gebeurtenissen: notificaties en CloudEvents"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .bestemmingen import uit_instellingen

        # The Notificaties API of the settings, as a destination (see bestemmingen.py).
        post_migrate.connect(uit_instellingen, sender=self)
