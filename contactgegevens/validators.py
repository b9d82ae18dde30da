"""Rules for the `adres` values, shared by the API serializers and the admin (model `clean`)."""

from django.core.exceptions import ValidationError

from klantinteracties.common.validators import (
    nummeraanduiding_validator,
    postcode_validator,
    validate_land,
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
