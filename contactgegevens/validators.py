"""Rules for the `adres` values, shared by the API serializers and the admin (model `clean`)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from .landcodes import ISO_3166_1_ALPHA_2

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} [A-Z]{2}$",
    "Postcode moet aan het formaat `1234 AB` (met spatie, hoofdletters) voldoen.",
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


ADRES_COLUMN_VALIDATORS = {
    "adres_postcode": postcode_validator,
    "adres_nummeraanduiding_id": nummeraanduiding_validator,
    "adres_land": validate_land,
}


def validate_adres_columns(instance) -> None:
    """The API's adres rules for a model instance saved outside the API (the admin)."""
    errors = {}
    for column, validator in ADRES_COLUMN_VALIDATORS.items():
        value = getattr(instance, column)
        if not value:
            continue
        try:
            validator(value)
        except ValidationError as exc:
            errors[column] = exc.error_list
    huisnummer = instance.adres_huisnummer
    if huisnummer is not None and not 1 <= huisnummer <= 99999:
        errors["adres_huisnummer"] = ["Een huisnummer ligt tussen 1 en 99999."]
    if errors:
        raise ValidationError(errors)
