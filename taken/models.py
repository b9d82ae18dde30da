"""Actoren (medewerkers, teams, systems) and the interne taken contacts lead to."""

from django.core.exceptions import ValidationError
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
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
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
        indexes = [
            models.Index(fields=["status", "-toegewezen_op"], name="internetaak_status_idx"),
            # Lists (a medewerker's work list too) are newest first.
            models.Index(fields=["-toegewezen_op", "-id"], name="internetaak_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.gevraagde_handeling}"

    # Read from the prefetched toewijzingen, so a list costs no query per taak.
    @property
    def toegewezen_aan_actoren(self) -> list[Actor]:
        return [toewijzing.actor for toewijzing in self.toewijzingen.all()]

    @property
    def toegewezen_aan_actor(self) -> Actor | None:
        actoren = self.toegewezen_aan_actoren
        return actoren[0] if actoren else None


class InterneTaakToewijzing(models.Model):
    """Assignment of an interne taak to an actor; the first one is the deprecated single actor."""

    # Indexed by toewijzing_taak_idx (with the order of its toewijzingen) and
    # unieke_toewijzing, both led by this column: no index of its own.
    internetaak = models.ForeignKey(
        InterneTaak, on_delete=models.CASCADE, related_name="toewijzingen", db_index=False
    )
    # An actor with work assigned is made inactive, not deleted: a taak always keeps an actor.
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="toewijzingen")
    # The taak's toegewezen_op, kept equal by database triggers (migration 0004), so an
    # actor's work list (newest first) is read from one index without visiting the taken.
    toegewezen_op = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["internetaak", "actor"], name="unieke_toewijzing")
        ]
        indexes = [
            models.Index(
                fields=["actor", "-toegewezen_op", "-internetaak"], name="toewijzing_werklijst_idx"
            ),
            # A taak's actoren in order (toegewezenAanActoren, and the first of them as
            # toegewezenAanActor) without sorting them per rendered taak.
            models.Index(fields=["internetaak", "id"], name="toewijzing_taak_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.internetaak} → {self.actor}"

    def clean(self):
        # Checked here for the admin; the API checks it in taken.services.
        if self.actor_id is None or self.actor.indicatie_actief:
            return
        unchanged = (
            self.pk is not None
            and InterneTaakToewijzing.objects.filter(pk=self.pk, actor_id=self.actor_id).exists()
        )
        if not unchanged:
            raise ValidationError(
                {"actor": "Een niet-actieve actor kan geen nieuwe taken toegewezen krijgen."}
            )
