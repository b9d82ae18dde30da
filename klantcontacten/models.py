"""Klantcontacten: every contact between the municipality and a customer."""

from django.db import models
from django.utils import timezone

from klantinteracties.common.models import (
    UUIDModel,
    adres_fields,
    contactnaam_fields,
    identificator_fields,
    volledige_naam,
)


class Rol(models.TextChoices):
    VERTEGENWOORDIGER = "vertegenwoordiger", "Vertegenwoordiger"
    KLANT = "klant", "Klant"


class Klantcontact(UUIDModel):
    nummer = models.CharField(max_length=10, unique=True)
    referentienummer = models.CharField(max_length=10, blank=True)
    kanaal = models.CharField(max_length=50)
    onderwerp = models.CharField(max_length=200)
    inhoud = models.CharField(max_length=1000, blank=True)
    reactie = models.CharField(max_length=4000, blank=True)
    indicatie_contact_gelukt = models.BooleanField(null=True, blank=True)
    hoofd_onderwerp_type = models.CharField(max_length=200, blank=True)
    verdere_actie_ondernomen = models.BooleanField(default=False)
    taal = models.CharField(max_length=3)
    vertrouwelijk = models.BooleanField()
    plaatsgevonden_op = models.DateTimeField(default=timezone.now)
    metadata = models.JSONField(default=dict, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "klantcontact"
        verbose_name_plural = "klantcontacten"
        indexes = [
            # Contact history is always listed newest first.
            models.Index(fields=["-plaatsgevonden_op", "-id"], name="klantcontact_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.onderwerp}"


class Betrokkene(UUIDModel):
    klantcontact = models.ForeignKey(
        Klantcontact, on_delete=models.CASCADE, related_name="betrokkenen"
    )
    # A partij's deletion keeps the contact history: the betrokkene stays, without partij.
    partij = models.ForeignKey(
        "partijen.Partij",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="betrokkenen",
    )
    locals().update(adres_fields("bezoekadres", "bezoekadres"))
    locals().update(adres_fields("correspondentieadres", "correspondentieadres"))
    locals().update(contactnaam_fields())
    rol = models.CharField(max_length=17, choices=Rol.choices)
    organisatienaam = models.CharField(max_length=200, blank=True)
    initiator = models.BooleanField()

    class Meta:
        verbose_name = "betrokkene bij klantcontact"
        verbose_name_plural = "betrokkenen bij klantcontact"
        # Stable order of a klantcontact's betrokkenen in references and expansions.
        ordering = ["id"]
        indexes = [
            # Contact history of a partij: partij -> klantcontacten without visiting the table.
            models.Index(fields=["partij", "klantcontact"], name="betrokkene_partij_kc_idx"),
        ]

    def __str__(self) -> str:
        return self.volledige_naam or str(self.uuid)

    @property
    def volledige_naam(self) -> str:
        return volledige_naam(
            self.contactnaam_voorletters,
            self.contactnaam_voornaam,
            self.contactnaam_voorvoegsel_achternaam,
            self.contactnaam_achternaam,
        )


class Onderwerpobject(UUIDModel):
    klantcontact = models.ForeignKey(
        Klantcontact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="onderwerpobjecten",
    )
    was_klantcontact = models.ForeignKey(
        Klantcontact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="was_onderwerpobjecten",
    )
    locals().update(identificator_fields("onderwerpobjectidentificator"))

    class Meta:
        verbose_name = "onderwerpobject"
        verbose_name_plural = "onderwerpobjecten"
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["onderwerpobjectidentificator_object_id"], name="onderwerpobject_object_idx"
            )
        ]

    def __str__(self) -> str:
        return self.onderwerpobjectidentificator_object_id or str(self.uuid)


class Bijlage(UUIDModel):
    klantcontact = models.ForeignKey(
        Klantcontact, null=True, blank=True, on_delete=models.CASCADE, related_name="bijlagen"
    )
    locals().update(identificator_fields("bijlageidentificator"))

    class Meta:
        verbose_name = "bijlage"
        verbose_name_plural = "bijlagen"
        ordering = ["id"]
        indexes = [
            # Which klantcontacten have this document (a DMS looks them up by its uuid).
            models.Index(fields=["bijlageidentificator_object_id"], name="bijlage_object_idx")
        ]

    def __str__(self) -> str:
        return self.bijlageidentificator_object_id or str(self.uuid)
