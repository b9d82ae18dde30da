"""Validation of identifiers and contact details used by the Partijen register."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from klantinteracties.common.validators import TELEFOONNUMMER_PATTERN, geen_servicenummer

PHONE_RE = re.compile(TELEFOONNUMMER_PATTERN)
IBAN_RE = re.compile(r"^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$")
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")


def elfproef(value: str) -> bool:
    """The 11-test of BSN and RSIN: weights 9..2 and -1 for the last digit."""
    if not re.fullmatch(r"[0-9]{9}", value):
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(value[:8], range(9, 1, -1), strict=True)
    )
    total -= int(value[8])
    return total % 11 == 0 and value != "000000000"


def validate_object_id(code_soort_object_id: str, object_id: str) -> None:
    if code_soort_object_id in ("bsn", "rsin"):
        if not re.fullmatch(r"[0-9]{9}", object_id):
            raise ValidationError("Moet 9 cijfers bevatten.", code="invalid_length")
        if not elfproef(object_id):
            raise ValidationError("Onjuist nummer: voldoet niet aan de 11-proef.", code="invalid")
    elif code_soort_object_id == "kvk_nummer":
        if not re.fullmatch(r"[0-9]{8}", object_id):
            raise ValidationError("Een KvK-nummer bestaat uit 8 cijfers.", code="invalid")
    elif code_soort_object_id == "vestigingsnummer":
        if not re.fullmatch(r"[0-9]{12}", object_id):
            raise ValidationError("Een vestigingsnummer bestaat uit 12 cijfers.", code="invalid")


# Which object types a register holds, and which kinds of id each object type has.
OBJECTTYPES_PER_REGISTER = {
    "brp": {"natuurlijk_persoon"},
    "hr": {"vestiging", "niet_natuurlijk_persoon"},
}
SOORT_OBJECT_ID_PER_OBJECTTYPE = {
    "natuurlijk_persoon": {"bsn"},
    "vestiging": {"vestigingsnummer"},
    "niet_natuurlijk_persoon": {"rsin", "kvk_nummer"},
}


def validate_iban(value: str) -> None:
    compact = value.replace(" ", "").upper()
    if not IBAN_RE.fullmatch(compact):
        raise ValidationError("Ongeldig IBAN.", code="invalid")
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    if int(digits) % 97 != 1:
        raise ValidationError("Ongeldig IBAN: het controlegetal klopt niet.", code="invalid")


def validate_digitaal_adres(soort: str, adres: str) -> None:
    if soort == "email":
        EmailValidator(message="Voer een geldig e-mailadres in.")(adres)
    elif soort == "telefoonnummer" and not PHONE_RE.fullmatch(adres):
        raise ValidationError(
            "Ongeldig telefoonnummer: gebruik 0612345678, +31612345678 of 0031612345678.",
            code="invalid",
        )
    elif soort == "telefoonnummer":
        geen_servicenummer(adres)
