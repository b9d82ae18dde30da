"""Applications (applicaties): who calls the API, with which credentials, scopes and purposes."""

import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from .scopes import SCOPE_CHOICES

# The groups of shielded fields (autorisatie.afscherming).
GROUP_CHOICES = [
    ("identificatoren", "Identificerende nummers (objectId: BSN, KvK, vestiging, RSIN)"),
    ("interne_notitie", "Interne notitie van een partij"),
    ("adressen", "Bezoek- en correspondentieadressen"),
    ("digitale_adressen", "Adres van digitale adressen"),
    ("rekeningnummers", "IBAN en BIC"),
    ("contactinhoud", "Inhoud en reactie van klantcontacten, bijlagen"),
]


class Verwerkingsactiviteit(models.Model):
    """A purpose (doel) for which personal data is processed, as in the register of
    verwerkingsactiviteiten (AVG art. 30)."""

    uri = models.URLField(
        unique=True,
        max_length=1000,
        help_text="Identificatie van de verwerkingsactiviteit in het verwerkingsregister.",
    )
    naam = models.CharField(max_length=200)
    grondslag = models.CharField(
        max_length=500, blank=True, help_text="De wettelijke grondslag (AVG art. 6), kort."
    )

    class Meta:
        verbose_name = "verwerkingsactiviteit"
        verbose_name_plural = "verwerkingsactiviteiten"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Applicatie(models.Model):
    """An application that calls the API: what it may read and change, and why."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    naam = models.CharField(max_length=200, unique=True)
    actief = models.BooleanField(default=True)
    alle_rechten = models.BooleanField(
        "alle rechten",
        default=False,
        help_text="Alle scopes, ook die later bijkomen (zoals elk token van vóór de "
        "applicaties had).",
    )
    scopes = ArrayField(
        models.CharField(max_length=64, choices=SCOPE_CHOICES),
        default=list,
        blank=True,
        help_text="Per register lezen en schrijven; klantcontacten.vertrouwelijk voor "
        "vertrouwelijke klantcontacten (zonder bestaan die voor de applicatie niet).",
    )
    afgeschermd = ArrayField(
        models.CharField(max_length=64, choices=GROUP_CHOICES),
        default=list,
        blank=True,
        help_text="Groepen velden die de applicatie niet ziet: hun waarde is leeg in elk "
        "antwoord, en schrijven ervan wordt geweigerd.",
    )
    verwerkingsactiviteiten = models.ManyToManyField(
        Verwerkingsactiviteit, blank=True, related_name="applicaties"
    )
    doelbinding_verplicht = models.BooleanField(
        "doelbinding verplicht",
        default=False,
        help_text="Elk verzoek noemt een van de verwerkingsactiviteiten van de applicatie in de "
        "header X-Verwerkingsactiviteit.",
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "applicatie"
        verbose_name_plural = "applicaties"
        ordering = ["naam"]
        # For staff in the admin, as the scope klantcontacten.vertrouwelijk for applications.
        permissions = [
            ("vertrouwelijk_inzien", "Kan vertrouwelijke klantcontacten inzien in het beheer")
        ]

    def __str__(self) -> str:
        return self.naam

    # DRF's IsAuthenticated checks request.user: the application is the API's user.
    is_authenticated = True
    is_anonymous = False

    def heeft_scope(self, scope: str) -> bool:
        return self.alle_rechten or scope in self.scopes


class ClientCredential(models.Model):
    """ZGW JWT credentials: the application signs its own JWTs (HS256) with this secret.

    The secret must be kept as it is to verify signatures; it is shown once on creation.
    """

    applicatie = models.ForeignKey(
        Applicatie, on_delete=models.CASCADE, related_name="client_credentials"
    )
    client_id = models.CharField(max_length=200, unique=True)
    secret = models.CharField(max_length=200, editable=False)
    aangemaakt_op = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "JWT-client"
        verbose_name_plural = "JWT-clients"
        ordering = ["client_id"]

    def __str__(self) -> str:
        return self.client_id

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
