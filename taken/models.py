"""Actoren (medewerkers, teams, systems) and the interne taken contacts lead to."""

from django.db import models

from klantinteracties.common.models import UUIDModel, identificator_fields


class SoortActor(models.TextChoices):
    MEDEWERKER = "medewerker", "Medewerker"
    GEAUTOMATISEERDE_ACTOR = "geautomatiseerde_actor", "Geautomatiseerde actor"
    ORGANISATORISCHE_EENHEID = "organisatorische_eenheid", "Organisatorische eenheid"


class Status(models.TextChoices):
    TE_VERWERKEN = "te_verwerken", "Te verwerken"
    VERWERKT = "verwerkt", "Verwerkt"


class Actor(UUIDModel):
    naam = models.CharField(max_length=200)
    soort_actor = models.CharField(max_length=24, choices=SoortActor.choices)
    indicatie_actief = models.BooleanField(default=True)
    locals().update(identificator_fields("actoridentificator"))
    # actorIdentificatie, per soortActor: medewerker (functie, emailadres, telefoonnummer),
    # geautomatiseerde actor (functie, omschrijving), organisatorische eenheid
    # (omschrijving, emailadres, faxnummer, telefoonnummer).
    functie = models.CharField(max_length=40, blank=True)
    omschrijving = models.CharField(max_length=200, blank=True)
    emailadres = models.EmailField(max_length=254, blank=True)
    telefoonnummer = models.CharField(max_length=20, blank=True)
    faxnummer = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = "actor"
        verbose_name_plural = "actoren"

    def __str__(self) -> str:
        return self.naam


class ActorKlantcontact(UUIDModel):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="actorklantcontacten")
    klantcontact = models.ForeignKey(
        "klantcontacten.Klantcontact", on_delete=models.CASCADE, related_name="actorklantcontacten"
    )

    class Meta:
        verbose_name = "actor bij klantcontact"
        verbose_name_plural = "actoren bij klantcontact"
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "klantcontact"],
                name="unieke_actor_klantcontact",
                violation_error_message="Deze actor is al aan dit klantcontact gekoppeld.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.klantcontact}"


class InterneTaak(UUIDModel):
    nummer = models.CharField(max_length=10, unique=True)
    referentienummer = models.CharField(max_length=10, blank=True)
    gevraagde_handeling = models.CharField(max_length=200)
    klantcontact = models.ForeignKey(
        "klantcontacten.Klantcontact", on_delete=models.CASCADE, related_name="internetaken"
    )
    actoren = models.ManyToManyField(
        Actor, through="InterneTaakToewijzing", related_name="internetaken"
    )
    toelichting = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    toegewezen_op = models.DateTimeField(auto_now_add=True)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "interne taak"
        verbose_name_plural = "interne taken"
        indexes = [models.Index(fields=["status", "-toegewezen_op"], name="internetaak_status_idx")]

    def __str__(self) -> str:
        return f"{self.nummer} {self.gevraagde_handeling}"


class InterneTaakToewijzing(models.Model):
    """Assignment of an interne taak to an actor; the first one is the deprecated single actor."""

    internetaak = models.ForeignKey(
        InterneTaak, on_delete=models.CASCADE, related_name="toewijzingen"
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="toewijzingen")

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["internetaak", "actor"], name="unieke_toewijzing")
        ]

    def __str__(self) -> str:
        return f"{self.internetaak} → {self.actor}"
