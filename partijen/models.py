"""Partijen: persons and organisations the municipality has contact with, and their details."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from klantinteracties.common.models import (
    UUIDModel,
    adres_fields,
    contactnaam_fields,
    volledige_naam,
)

from .validators import (
    OBJECTTYPES_PER_REGISTER,
    SOORT_OBJECT_ID_PER_OBJECTTYPE,
    validate_object_id,
)


class SoortPartij(models.TextChoices):
    PERSOON = "persoon", "Persoon"
    ORGANISATIE = "organisatie", "Organisatie"
    CONTACTPERSOON = "contactpersoon", "Contactpersoon"


class SoortDigitaalAdres(models.TextChoices):
    EMAIL = "email", "E-mailadres"
    TELEFOONNUMMER = "telefoonnummer", "Telefoonnummer"
    OVERIG = "overig", "Overig"


class CodeObjecttype(models.TextChoices):
    NATUURLIJK_PERSOON = "natuurlijk_persoon", "Natuurlijk persoon"
    NIET_NATUURLIJK_PERSOON = "niet_natuurlijk_persoon", "Niet-natuurlijk persoon"
    VESTIGING = "vestiging", "Vestiging"


class CodeSoortObjectId(models.TextChoices):
    BSN = "bsn", "Burgerservicenummer"
    VESTIGINGSNUMMER = "vestigingsnummer", "Vestigingsnummer"
    KVK_NUMMER = "kvk_nummer", "KvK-nummer"
    RSIN = "rsin", "RSIN"


class CodeRegister(models.TextChoices):
    BRP = "brp", "BRP"
    HR = "hr", "Handelsregister"


class Partij(UUIDModel):
    nummer = models.CharField(max_length=10, unique=True)
    interne_notitie = models.CharField(max_length=1000, blank=True)
    soort_partij = models.CharField(max_length=14, choices=SoortPartij.choices)
    indicatie_geheimhouding = models.BooleanField(null=True, blank=True)
    voorkeurstaal = models.CharField(max_length=3, blank=True)
    indicatie_actief = models.BooleanField(default=True)
    voorkeurs_digitaal_adres = models.ForeignKey(
        "partijen.DigitaalAdres", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voorkeurs_rekeningnummer = models.ForeignKey(
        "partijen.Rekeningnummer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locals().update(adres_fields("bezoekadres", "bezoekadres"))
    locals().update(adres_fields("correspondentieadres", "correspondentieadres"))
    # partijIdentificatie: persoon and contactpersoon have a contactnaam, organisatie a naam.
    locals().update(contactnaam_fields())
    organisatie_naam = models.CharField("naam organisatie", max_length=200, blank=True)
    werkte_voor_partij = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="contactpersonen"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "partij"
        verbose_name_plural = "partijen"
        indexes = [models.Index(fields=["soort_partij"], name="partij_soort_idx")]

    def __str__(self) -> str:
        return f"{self.nummer} {self.volledige_naam}".strip()

    @property
    def vertegenwoordigde_partijen(self) -> list["Partij"]:
        """The partijen this partij represents (uses the prefetched vertegenwoordigingen)."""
        return [v.vertegenwoordigde_partij for v in self.vertegenwoordigingen.all()]

    @property
    def volledige_naam(self) -> str:
        if self.soort_partij == SoortPartij.ORGANISATIE:
            return self.organisatie_naam
        return volledige_naam(
            self.contactnaam_voorletters,
            self.contactnaam_voornaam,
            self.contactnaam_voorvoegsel_achternaam,
            self.contactnaam_achternaam,
        )


class Vertegenwoordigden(UUIDModel):
    vertegenwoordigende_partij = models.ForeignKey(
        Partij, on_delete=models.CASCADE, related_name="vertegenwoordigingen"
    )
    vertegenwoordigde_partij = models.ForeignKey(
        Partij, on_delete=models.CASCADE, related_name="vertegenwoordigd_door"
    )

    class Meta:
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
        verbose_name = "vertegenwoordiging"
        verbose_name_plural = "vertegenwoordigingen"
        constraints = [
            models.UniqueConstraint(
                fields=["vertegenwoordigende_partij", "vertegenwoordigde_partij"],
                name="unieke_vertegenwoordiging",
                violation_error_message="Deze partij vertegenwoordigt die partij al.",
            ),
            models.CheckConstraint(
                condition=~Q(vertegenwoordigende_partij=models.F("vertegenwoordigde_partij")),
                name="vertegenwoordigt_niet_zichzelf",
                violation_error_message="Een partij kan zichzelf niet vertegenwoordigen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vertegenwoordigende_partij} → {self.vertegenwoordigde_partij}"


class PartijIdentificator(UUIDModel):
    partij = models.ForeignKey(
        Partij,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partijidentificatoren",
    )
    andere_partij_identificator = models.CharField(max_length=200, blank=True)
    code_objecttype = models.CharField(max_length=23, choices=CodeObjecttype.choices)
    code_soort_object_id = models.CharField(max_length=16, choices=CodeSoortObjectId.choices)
    object_id = models.CharField(max_length=200)
    code_register = models.CharField(max_length=3, choices=CodeRegister.choices)
    sub_identificator_van = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_identificatoren"
    )

    class Meta:
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
        verbose_name = "partij-identificator"
        verbose_name_plural = "partij-identificatoren"
        constraints = [
            models.UniqueConstraint(
                fields=["code_soort_object_id", "object_id"],
                condition=Q(sub_identificator_van__isnull=True),
                name="unieke_partij_identificator",
                violation_error_message="Deze identificator bestaat al.",
            ),
            models.UniqueConstraint(
                fields=["code_soort_object_id", "object_id", "sub_identificator_van"],
                condition=Q(sub_identificator_van__isnull=False),
                name="unieke_sub_identificator",
                violation_error_message="Deze identificator bestaat al onder dezelfde identificator.",
            ),
        ]
        indexes = [
            # KCC lookup of a partij by BSN/KVK: objectId first, it is the selective column.
            models.Index(fields=["object_id", "code_soort_object_id"], name="partijid_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code_soort_object_id} {self.object_id}"

    def clean(self):
        # The API's identificator rules, for rows saved through the admin.
        if self.code_register and self.code_objecttype:
            if self.code_objecttype not in OBJECTTYPES_PER_REGISTER.get(self.code_register, ()):
                raise ValidationError(
                    {"code_objecttype": "Dit objecttype komt niet voor in dit register."}
                )
        if self.code_objecttype and self.code_soort_object_id:
            allowed = SOORT_OBJECT_ID_PER_OBJECTTYPE.get(self.code_objecttype, ())
            if self.code_soort_object_id not in allowed:
                raise ValidationError(
                    {"code_soort_object_id": "Deze soort object-id hoort niet bij dit objecttype."}
                )
        if self.code_soort_object_id and self.object_id:
            try:
                validate_object_id(self.code_soort_object_id, self.object_id)
            except ValidationError as exc:
                raise ValidationError({"object_id": exc.messages}) from exc


class DigitaalAdres(UUIDModel):
    partij = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.CASCADE, related_name="digitaleadressen"
    )
    # Cross-app by label: a betrokkene's address is kept, unlinked, when the betrokkene goes.
    betrokkene = models.ForeignKey(
        "klantcontacten.Betrokkene",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digitaleadressen",
    )
    adres = models.CharField(max_length=80)
    soort_digitaal_adres = models.CharField(max_length=14, choices=SoortDigitaalAdres.choices)
    is_standaard_adres = models.BooleanField(default=False)
    omschrijving = models.CharField(max_length=40, blank=True)
    referentie = models.CharField(max_length=50, blank=True)
    verificatie_datum = models.DateField(null=True, blank=True)

    class Meta:
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
        verbose_name = "digitaal adres"
        verbose_name_plural = "digitale adressen"
        constraints = [
            models.UniqueConstraint(
                fields=["partij", "soort_digitaal_adres"],
                condition=Q(is_standaard_adres=True),
                name="een_standaard_adres_per_soort",
                violation_error_message="Een partij heeft per soort maar één standaard adres.",
            )
        ]
        indexes = [
            models.Index(fields=["adres"], name="digitaaladres_adres_idx"),
        ]

    def __str__(self) -> str:
        return self.adres


class Rekeningnummer(UUIDModel):
    partij = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.CASCADE, related_name="rekeningnummers"
    )
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)

    class Meta:
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
        verbose_name = "rekeningnummer"
        verbose_name_plural = "rekeningnummers"
        constraints = [
            models.UniqueConstraint(
                fields=["partij", "iban"],
                name="uniek_iban_per_partij",
                violation_error_message="Deze partij heeft dit IBAN al.",
            )
        ]

    def __str__(self) -> str:
        return self.iban


class Categorie(UUIDModel):
    naam = models.CharField(max_length=80)

    class Meta:
        verbose_name = "categorie"
        verbose_name_plural = "categorieën"

    def __str__(self) -> str:
        return self.naam


class CategorieRelatie(UUIDModel):
    partij = models.ForeignKey(
        Partij, null=True, blank=True, on_delete=models.CASCADE, related_name="categorierelaties"
    )
    categorie = models.ForeignKey(
        Categorie, null=True, blank=True, on_delete=models.CASCADE, related_name="relaties"
    )
    begin_datum = models.DateField(default=datetime.date.today)
    eind_datum = models.DateField(null=True, blank=True)

    class Meta:
        # Lists of these (references, expansions) in key order on every rendering path.
        ordering = ["id"]
        verbose_name = "categorie-relatie"
        verbose_name_plural = "categorie-relaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(eind_datum__isnull=True) | Q(eind_datum__gte=models.F("begin_datum")),
                name="categorierelatie_eind_na_begin",
                violation_error_message="De einddatum mag niet voor de begindatum liggen.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partij} – {self.categorie}"
