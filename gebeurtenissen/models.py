"""The outbox: announcements written in the transaction of the change they announce, and
their deliveries, one per destination, sent by the worker (`manage.py afleveren`)."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models


class Bestemming(models.Model):
    """Where announcements go: a Notificaties API (ZGW notifications, and the reference's
    CloudEvents at its `/cloudevents`) or a CloudEvents webhook (its subscribed types)."""

    class Soort(models.TextChoices):
        NOTIFICATIES = "notificaties", "Notificaties API"
        WEBHOOK = "webhook", "CloudEvents-webhook"

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    naam = models.CharField(max_length=100, unique=True)
    soort = models.CharField(max_length=12, choices=Soort.choices)
    url = models.URLField(
        max_length=1000,
        help_text="Notificaties API: de API-root (…/api/v1/); webhook: de url die elke "
        "CloudEvent ontvangt (POST).",
    )
    actief = models.BooleanField(default=True)
    # Notificaties API: a ZGW JWT (client id and secret) or a token.
    client_id = models.CharField(max_length=255, blank=True)
    secret = models.CharField(
        max_length=255,
        blank=True,
        help_text="Notificaties API: het secret van de JWT (met client id) of het token "
        "(zonder client id). Webhook: de sleutel waarmee elke aflevering wordt ondertekend.",
    )
    # Notificaties API: also the reference's zaak CloudEvents, at <url>cloudevents.
    cloudevents = models.BooleanField(
        default=False,
        help_text="Notificaties API: ook de CloudEvents zaak-gekoppeld en zaak-ontkoppeld "
        "(POST <url>cloudevents), zoals Open Klant met ENABLE_CLOUD_EVENTS.",
    )
    typen = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Webhook: de CloudEvent-types die het ontvangt.",
    )
    # Made from the settings (NOTIFICATIES_API_URL): kept equal to them, not edited here.
    uit_instellingen = models.BooleanField(default=False, editable=False)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bestemming"
        verbose_name_plural = "bestemmingen"

    def __str__(self) -> str:
        return self.naam


class Gebeurtenis(models.Model):
    """One announcement, as it is sent: a ZGW notification or a CloudEvent."""

    class Soort(models.TextChoices):
        NOTIFICATIE = "notificatie", "Notificatie"
        CLOUDEVENT = "cloudevent", "CloudEvent"

    # A CloudEvent's id (retries of it keep it: a receiver can skip what it had).
    uuid = models.UUIDField()
    soort = models.CharField(max_length=12, choices=Soort.choices)
    # The CloudEvent type (of a notificatie: the type a webhook subscribes to).
    type = models.CharField(max_length=200)
    kanaal = models.CharField(max_length=50, blank=True)
    # The object it is about (its url): deliveries of one object keep their order.
    sleutel = models.CharField(max_length=1000)
    # What is sent: the notification's body or the CloudEvent, as JSON text (in the order
    # of its keys as built).
    bericht = models.TextField()
    aangemaakt_op = models.DateTimeField()

    class Meta:
        verbose_name = "gebeurtenis"
        verbose_name_plural = "gebeurtenissen"

    def __str__(self) -> str:
        return f"{self.type} {self.sleutel}"


class Aflevering(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Te versturen"
        AFGELEVERD = "afgeleverd", "Afgeleverd"
        GEPARKEERD = "geparkeerd", "Geparkeerd"

    gebeurtenis = models.ForeignKey(
        Gebeurtenis, on_delete=models.CASCADE, related_name="afleveringen", db_index=False
    )
    bestemming = models.ForeignKey(
        Bestemming, on_delete=models.CASCADE, related_name="afleveringen", db_index=False
    )
    sleutel = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    pogingen = models.IntegerField(default=0)
    volgende_poging = models.DateTimeField()
    laatste_fout = models.TextField(blank=True)
    afgeleverd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "aflevering"
        verbose_name_plural = "afleveringen"
        indexes = [
            # The worker's queue: what is open, in order.
            models.Index(
                fields=["id"],
                name="aflevering_open_idx",
                condition=models.Q(status="open"),
            ),
            # An earlier open delivery of the same object to the same destination.
            models.Index(
                fields=["bestemming", "sleutel", "id"],
                name="aflevering_volgorde_idx",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["gebeurtenis"], name="aflevering_gebeurtenis_idx"),
            # Clean-up of what was delivered long enough ago.
            models.Index(
                fields=["afgeleverd_op"],
                name="aflevering_afgeleverd_idx",
                condition=models.Q(status="afgeleverd"),
            ),
            # The parked ones (/health/ready counts them at every probe; the admin's filter).
            models.Index(
                fields=["id"],
                name="aflevering_geparkeerd_idx",
                condition=models.Q(status="geparkeerd"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gebeurtenis} → {self.bestemming} ({self.status})"
