"""Plain builders for contactgegevens test data: valid by default, overridable per test."""

import datetime

from contactgegevens.models import Organisatie, Persoon

PERSOON_URL = "/contactgegevens/api/v1/persoon"
ORGANISATIE_URL = "/contactgegevens/api/v1/organisatie"

ADRES = {
    "nummeraanduidingId": "0363200000123456",
    "straatnaam": "Kalverstraat",
    "huisnummer": 1,
    "huisnummertoevoeging": "A",
    "postcode": "1012 NX",
    "stad": "Amsterdam",
    "adresregel1": "",
    "adresregel2": "",
    "adresregel3": "",
    "land": "NL",
}


def persoon_body(**overrides) -> dict:
    body = {
        "geboortedatum": "1980-02-21",
        "overlijdensdatum": None,
        "geslachtsnaam": "Jansen",
        "geslacht": "v",
        "voorvoegsel": "de",
        "voornamen": "Anna Maria",
        "adres": dict(ADRES),
    }
    body.update(overrides)
    return body


def organisatie_body(**overrides) -> dict:
    body = {
        "handelsnaam": "Bakkerij De Korenschoof",
        "oprichtingsdatum": "1999-01-01",
        "opheffingsdatum": None,
        "adres": dict(ADRES),
    }
    body.update(overrides)
    return body


def make_persoon(**fields) -> Persoon:
    values = {
        "geboortedatum": datetime.date(1980, 2, 21),
        "geslachtsnaam": "Jansen",
        "voornamen": "Anna",
        "adres_postcode": "1012 NX",
        "adres_huisnummer": 1,
        "adres_land": "NL",
    }
    values.update(fields)
    return Persoon.objects.create(**values)


def make_organisatie(**fields) -> Organisatie:
    values = {
        "handelsnaam": "Bakkerij De Korenschoof",
        "oprichtingsdatum": datetime.date(1999, 1, 1),
        "adres_stad": "Amsterdam",
    }
    values.update(fields)
    return Organisatie.objects.create(**values)


def invalid_params(response) -> dict[str, str]:
    """`{name: code}` of a problem response's invalidParams."""
    return {param["name"]: param["code"] for param in response.json()["invalidParams"]}
