"""Boolean query parameters take `true` or `false`; any other value is a 400, never ignored."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.klantcontacten.factories import make_klantcontact

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def boolean_parameters() -> list[tuple[str, str]]:
    document = yaml.safe_load(
        (Path(settings.BASE_DIR) / "openapi" / "klantinteracties.yaml").read_text()
    )
    found = []
    for path, item in document["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["schema"].get("type") == "boolean":
                found.append((path, parameter["name"]))
    return sorted(found)


def test_the_contract_has_boolean_filters_on_several_lists():
    paths = {path for path, _ in boolean_parameters()}
    assert {"/klantcontacten", "/partijen", "/digitaleadressen", "/actoren"} <= paths


@pytest.mark.parametrize("path, name", boolean_parameters())
def test_a_value_that_is_no_boolean_is_a_400_naming_the_parameter(api_client, path, name):
    for value in ("nee", "maybe", "2", "yes"):
        response = api_client.get(f"{API}{path}", {name: value})

        assert response.status_code == 400, (path, name, value)
        assert [p["name"] for p in response.json()["invalidParams"]] == [name]
    for value in ("true", "false", "True", "FALSE", "1", "0", ""):
        assert api_client.get(f"{API}{path}", {name: value}).status_code == 200, (name, value)


def test_vertrouwelijk_filters_in_every_spelling(api_client):
    geheim = make_klantcontact(vertrouwelijk=True)
    open_ = make_klantcontact(vertrouwelijk=False)

    def uuids(value):
        response = api_client.get(f"{API}/klantcontacten", {"vertrouwelijk": value})
        assert response.status_code == 200
        return {item["uuid"] for item in response.json()["results"]}

    for value in ("false", "False", "0"):
        assert uuids(value) == {str(open_.uuid)}
    for value in ("true", "TRUE", "1"):
        assert uuids(value) == {str(geheim.uuid)}
    assert uuids("") == {str(geheim.uuid), str(open_.uuid)}
    assert api_client.get(f"{API}/klantcontacten", {"vertrouwelijk": "nee"}).status_code == 400
