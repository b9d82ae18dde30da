"""`GET /klantcontacten?metadata=<sleutel>:<waarde>`: contacts by their metadata, on both
render paths, from the GIN index; documented in the generated schema. And the schema of
`GET /klantcontactcijfers`."""

import datetime

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from klantinteracties.api.schema import generate, render_yaml
from tests.contract.test_documented_responses import validator

from .factories import make_klantcontact

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/klantcontacten"


@pytest.fixture
def contacten():
    return {
        "afval_a": make_klantcontact(metadata={"afdeling": "afval", "team": "a"}),
        "afval_b": make_klantcontact(metadata={"afdeling": "afval", "team": "b"}, kanaal="balie"),
        "burgerzaken": make_klantcontact(metadata={"afdeling": "burgerzaken"}),
        "leeg": make_klantcontact(metadata={"afdeling": "", "url": "https://x.nl:8443/a"}),
        "geen": make_klantcontact(),
    }


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"metadata": "afdeling:afval"}, {"afval_a", "afval_b"}),
        ({"metadata": ["afdeling:afval", "team:b"]}, {"afval_b"}),
        ({"metadata": ["afdeling:afval", "afdeling:afval"]}, {"afval_a", "afval_b"}),
        ({"metadata": ["afdeling:afval", "afdeling:burgerzaken"]}, set()),
        ({"metadata": "afdeling:"}, {"leeg"}),
        ({"metadata": "url:https://x.nl:8443/a"}, {"leeg"}),
        ({"metadata": "afdeling:AFVAL"}, set()),
        ({"metadata": "team:a", "kanaal": "balie"}, set()),
        ({"metadata": "afdeling:afval", "kanaal": "balie"}, {"afval_b"}),
        ({"metadata": "afdeling:afval", "pageSize": 1}, {"afval_b"}),
        ({"metadata": ""}, {"afval_a", "afval_b", "burgerzaken", "leeg", "geen"}),
    ],
)
def test_filter(api_client, both_renderings, contacten, params, names):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {item["uuid"] for item in body["results"]} == {str(contacten[n].uuid) for n in names}
    if "pageSize" not in params:
        assert body["count"] == len(names)


@pytest.mark.parametrize("value", ["afdeling", "afdeling\x00:x", ["team:a", "fout"]])
def test_a_value_without_key_is_a_400(api_client, both_renderings, value):
    response = api_client.get(URL, {"metadata": value})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["metadata"]


def test_confidential_contacts_are_not_found(client_with):
    make_klantcontact(metadata={"afdeling": "zorg"}, vertrouwelijk=True)
    client = client_with("klantcontacten.lezen")
    assert client.get(URL, {"metadata": "afdeling:zorg"}).json()["count"] == 0


def test_the_filter_reads_the_gin_index(api_client):
    make_klantcontact(metadata={"afdeling": "afval"})
    for _ in range(3):
        make_klantcontact(metadata={"afdeling": "ander"})
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(URL, {"metadata": "afdeling:afval"})
    assert response.json()["count"] == 1
    [keys, *_] = [q["sql"] for q in queries.captured_queries if "@>" in q["sql"]]
    with connection.cursor() as cursor:
        # So few rows would be read sequentially anyway; the question is whether the index
        # can serve the statement at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + keys)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "klantcontact_metadata_idx" in plan, plan


@pytest.fixture(scope="module")
def schema():
    return generate("klantinteracties")


def test_the_filter_is_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/klantcontacten"]["get"]["parameters"]}
    metadata = parameters["metadata"]
    assert metadata["in"] == "query"
    assert metadata["schema"] == {"type": "array", "items": {"type": "string"}}
    assert metadata.get("explode", True) is True
    assert "`metadata=<sleutel>:<waarde>`" in metadata["description"]


def test_the_figures_are_documented(schema):
    operation = schema["paths"]["/klantcontactcijfers"]["get"]
    assert operation["operationId"] == "klantcontactcijfersRetrieve"
    assert "`klantcontacten.lezen`" in operation["description"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {name: p.get("required", False) for name, p in parameters.items()} == {
        "periode": True,
        "groep": True,
        "van": True,
        "tot": True,
        "kanaal": False,
    }
    assert parameters["periode"]["schema"]["enum"] == ["dag", "week", "maand"]
    assert parameters["van"]["schema"] == {"type": "string", "format": "date"}
    assert "metadata.<sleutel>" in parameters["groep"]["description"]
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    cijfers = components[body["$ref"].rsplit("/", 1)[-1]]
    assert set(cijfers["required"]) == {"periode", "groep", "van", "tot", "kanaal", "resultaten"}
    assert cijfers["properties"]["kanaal"]["nullable"] is True
    item = components[cijfers["properties"]["resultaten"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(item["required"]) == {"periode", "waarde", "aantal"}
    assert item["properties"]["periode"]["format"] == "date"
    assert item["properties"]["waarde"]["anyOf"] == [{"type": "string"}, {"type": "boolean"}]
    assert item["properties"]["waarde"]["nullable"] is True
    assert item["properties"]["aantal"]["type"] == "integer"


def test_answers_validate_against_the_schema(api_client, schema, tellingen_direct):
    document = yaml.safe_load(render_yaml(schema))
    validate(document)
    make_klantcontact(indicatie_contact_gelukt=True, metadata={"afdeling": "afval"})
    make_klantcontact(indicatie_contact_gelukt=None, kanaal="balie")
    vandaag = datetime.date.today()
    for groep in ("kanaal", "indicatieContactGelukt", "metadata.afdeling"):
        response = api_client.get(
            "/klantinteracties/api/v1/klantcontactcijfers",
            {
                "periode": "dag",
                "groep": groep,
                "van": (vandaag - datetime.timedelta(days=1)).isoformat(),
                "tot": (vandaag + datetime.timedelta(days=1)).isoformat(),
            },
        )
        assert len(response.json()["resultaten"]) == 2
        validator(document, "Klantcontactcijfers").validate(response.json())
    response = api_client.get("/klantinteracties/api/v1/klantcontactcijfers", {"periode": "x"})
    validator(document, "ValidatieFout").validate(response.json())
