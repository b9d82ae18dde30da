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
