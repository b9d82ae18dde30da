import pytest

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


def test_create_and_read_persoon(api_client):
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        "partijIdentificatoren": [
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": "111222333",
                    "codeRegister": "brp",
                }
            }
        ],
        "bezoekadres": {"postcode": "1234 AB", "huisnummer": 12},
    }
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    print(data)
    assert data["nummer"] == "0000000001"
    got = api_client.get(data["url"])
    assert got.json() == data
