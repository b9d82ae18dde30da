"""Abstract model building blocks shared by the registers (gegevensgroepen as prefixed columns)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class UUIDModel(models.Model):
    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


def adres_fields(prefix: str, label: str) -> dict[str, models.Field]:
    """Columns of an address gegevensgroep (bezoekadres, correspondentieadres)."""
    return {
        f"{prefix}_nummeraanduiding_id": models.CharField(
            f"{label}: nummeraanduiding id", max_length=16, blank=True
        ),
        f"{prefix}_straatnaam": models.CharField(
            f"{label}: straatnaam", max_length=255, blank=True
        ),
        f"{prefix}_huisnummer": models.PositiveIntegerField(
            f"{label}: huisnummer",
            null=True,
            blank=True,
            validators=[MinValueValidator(1), MaxValueValidator(99999)],
        ),
        f"{prefix}_huisnummertoevoeging": models.CharField(
            f"{label}: huisnummertoevoeging", max_length=20, blank=True
        ),
        f"{prefix}_postcode": models.CharField(f"{label}: postcode", max_length=7, blank=True),
        f"{prefix}_stad": models.CharField(f"{label}: stad", max_length=255, blank=True),
        f"{prefix}_adresregel1": models.CharField(
            f"{label}: adresregel 1", max_length=80, blank=True
        ),
        f"{prefix}_adresregel2": models.CharField(
            f"{label}: adresregel 2", max_length=80, blank=True
        ),
        f"{prefix}_adresregel3": models.CharField(
            f"{label}: adresregel 3", max_length=80, blank=True
        ),
        f"{prefix}_land": models.CharField(f"{label}: land", max_length=2, blank=True),
    }


def contactnaam_fields(prefix: str = "contactnaam") -> dict[str, models.Field]:
    return {
        f"{prefix}_voorletters": models.CharField("voorletters", max_length=10, blank=True),
        f"{prefix}_voornaam": models.CharField("voornaam", max_length=200, blank=True),
        f"{prefix}_voorvoegsel_achternaam": models.CharField(
            "voorvoegsel achternaam", max_length=10, blank=True
        ),
        f"{prefix}_achternaam": models.CharField("achternaam", max_length=200, blank=True),
    }


def identificator_fields(prefix: str) -> dict[str, models.Field]:
    """objectId/codeObjecttype/codeRegister/codeSoortObjectId of an external object."""
    return {
        f"{prefix}_object_id": models.CharField("object id", max_length=200, blank=True),
        f"{prefix}_code_objecttype": models.CharField(
            "code objecttype", max_length=200, blank=True
        ),
        f"{prefix}_code_register": models.CharField("code register", max_length=200, blank=True),
        f"{prefix}_code_soort_object_id": models.CharField(
            "code soort object id", max_length=200, blank=True
        ),
    }


def volledige_naam(voorletters: str, voornaam: str, voorvoegsel: str, achternaam: str) -> str:
    first = voornaam or voorletters
    return " ".join(part for part in (first, voorvoegsel, achternaam) if part)
