"""Contactgegevens: persons and organisations that are not (yet) partijen, e.g. employees."""

from django.db import models
from django.db.models import F, Q

from klantinteracties.common.models import UUIDModel, adres_fields

from .validators import validate_adres_columns

DATUM_HELP = (
    "Aanduiding van datum volgens de NEN-ISO 8601:2019-standaard. Een datum wordt genoteerd "
    "van het meest naar het minst significante onderdeel. Een voorbeeld: 2022-02-21"
)


class Geslacht(models.TextChoices):
    MAN = "m", "Man"
    VROUW = "v", "Vrouw"
    OVERIG = "o", "Overig"


class Organisatie(UUIDModel):
    # A data subject itself, for the processing log (logboek.subjecten).
    SUBJECTEN = ("",)
    SUBJECT_SOORT = "organisatie"
    handelsnaam = models.CharField(
        max_length=255, help_text="De naam waaronder een bedrijf of vestiging handelt."
    )
    oprichtingsdatum = models.DateField(null=True, blank=True, help_text=DATUM_HELP)
    opheffingsdatum = models.DateField(null=True, blank=True, help_text=DATUM_HELP)
    locals().update(adres_fields("adres", "adres"))

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(opheffingsdatum__isnull=True)
                | Q(oprichtingsdatum__isnull=True)
                | Q(opheffingsdatum__gte=F("oprichtingsdatum")),
                name="organisatie_opheffing_na_oprichting",
                violation_error_message="De opheffingsdatum ligt vóór de oprichtingsdatum.",
            )
        ]

    def __str__(self) -> str:
        return self.handelsnaam

    def clean(self):
        validate_adres_columns(self)


class Persoon(UUIDModel):
    # A data subject itself, for the processing log (logboek.subjecten).
    SUBJECTEN = ("",)
    SUBJECT_SOORT = "persoon"
    geboortedatum = models.DateField(help_text=DATUM_HELP)
    overlijdensdatum = models.DateField(null=True, blank=True, help_text=DATUM_HELP)
    geslachtsnaam = models.CharField(
        max_length=200,
        help_text="De (geslachts)naam waarvan de eventueel aanwezige voorvoegsels zijn "
        "afgesplitst.",
    )
    geslacht = models.CharField(
        max_length=1,
        choices=Geslacht.choices,
        blank=True,
        help_text="Geeft aan dat de persoon een man of een vrouw is, of dat het geslacht "
        "(nog) onbekend is.",
    )
    voorvoegsel = models.CharField(
        max_length=10,
        blank=True,
        help_text="Deel van de geslachtsnaam dat vooraf gaat aan de rest van de geslachtsnaam.",
    )
    voornamen = models.CharField(
        max_length=200,
        blank=True,
        help_text="De verzameling namen die, gescheiden door spaties, aan de geslachtsnaam "
        "voorafgaat.",
    )
    locals().update(adres_fields("adres", "adres"))

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        constraints = [
            models.CheckConstraint(
                condition=Q(overlijdensdatum__isnull=True)
                | Q(overlijdensdatum__gte=F("geboortedatum")),
                name="persoon_overlijden_na_geboorte",
                violation_error_message="De overlijdensdatum ligt vóór de geboortedatum.",
            )
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.voornamen, self.voorvoegsel, self.geslachtsnaam) if p)

    def clean(self):
        validate_adres_columns(self)
