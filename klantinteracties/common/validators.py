"""Address, phone and language rules shared by the registers and the Contactgegevens API."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from .landcodes import ISO_3166_1_ALPHA_2

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} [A-Z]{2}$",
    "Postcode moet aan het formaat `1234 AB` (met spatie, hoofdletters) voldoen.",
)
TELEFOONNUMMER_PATTERN = r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$"
telefoonnummer_validator = RegexValidator(
    TELEFOONNUMMER_PATTERN,
    "Voer een geldig telefoonnummer in, zoals 0612345678 of +31612345678.",
)
# ISO 639-2/B: three ASCII lower-case letters (`nld`, `eng`).
taal_validator = RegexValidator(
    r"\A[a-z]{3}\Z",
    "De taal is een ISO 639-2/B-code van drie kleine letters, bijvoorbeeld `nld`.",
)
nummeraanduiding_validator = RegexValidator(
    r"^[0-9]{16}$", "Een nummeraanduiding-id (BAG) bestaat uit precies 16 cijfers."
)


def validate_land(value: str) -> None:
    if value not in ISO_3166_1_ALPHA_2:
        raise ValidationError(
            "Ongeldige landcode: gebruik een ISO 3166-1 alpha-2 code in hoofdletters, zoals NL.",
            code="invalid",
        )


# As the reference: an integer, an optional minus sign and digits (at most 10 characters).
referentienummer_validator = RegexValidator(
    r"\A-?[0-9]+\Z", "Een referentienummer bestaat uit cijfers.", code="invalid"
)


SERVICENUMMERS = ("0800", "0900", "+31800", "+31900", "0031800", "0031900")


def geen_servicenummer(value: str) -> None:
    # The contract: "Niet toegestaan: 0800, 0900, 1400, 140xx" (the telefoonnummer pattern
    # already refuses 1400 and 140xx). Written internationally they are the same numbers.
    if value.startswith(SERVICENUMMERS):
        raise ValidationError(
            "Ongeldig telefoonnummer: 0800- en 0900-nummers zijn niet toegestaan.",
            code="invalid",
        )
