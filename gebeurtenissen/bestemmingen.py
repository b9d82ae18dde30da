"""The Notificaties API named in the settings, as a destination.

`NOTIFICATIES_API_URL` (the API root), with `NOTIFICATIES_API_CLIENT_ID` and
`NOTIFICATIES_API_SECRET` (a ZGW JWT) or `NOTIFICATIES_API_SECRET` alone (a token);
`ENABLE_CLOUD_EVENTS` for the zaak CloudEvents, `NOTIFICATIONS_DISABLED` to stop sending (the
reference's names). Kept equal to the settings by every `migrate` and every start of the
worker; other destinations are managed in the admin and through the API.
"""

from django.conf import settings

NAAM = "Notificaties API (instellingen)"


def uit_instellingen(using: str = "default", **kwargs) -> None:
    from django.db import connections

    from .models import Bestemming

    if Bestemming._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before this app
    url = getattr(settings, "NOTIFICATIES_API_URL", "")
    if not url:
        Bestemming.objects.filter(uit_instellingen=True).update(actief=False)
        return
    Bestemming.objects.update_or_create(
        uit_instellingen=True,
        defaults={
            "naam": NAAM,
            "soort": Bestemming.Soort.NOTIFICATIES,
            "url": url if url.endswith("/") else f"{url}/",
            "client_id": getattr(settings, "NOTIFICATIES_API_CLIENT_ID", ""),
            "secret": getattr(settings, "NOTIFICATIES_API_SECRET", ""),
            "cloudevents": getattr(settings, "ENABLE_CLOUD_EVENTS", False),
            "actief": not getattr(settings, "NOTIFICATIONS_DISABLED", False),
        },
    )
