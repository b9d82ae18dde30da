"""Real responses validate against what our generated documents say about them.

The fuzz run (`make fuzz`) checks this broadly; these pin down what it found: undocumented
error responses, and `oneOf` schemas that a response matched more than once.
"""

import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from tests.partijen.factories import make_partij
from tests.taken.factories import make_medewerker

API = "/klantinteracties/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")


def spec(api: str) -> dict:
    return yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml").read_text())


def json_schema(node):
    """OpenAPI 3.0 `nullable` as JSON Schema, as schemathesis reads it (also beside `allOf`)."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator(document: dict, component: str) -> Draft4Validator:
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": json_schema(document["components"]),
    }
    return Draft4Validator(schema)


def operations(document: dict):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def problem_schema(operation: dict, status: str) -> str:
    # The same body under both media types: application/json unless Accept names the other.
    content = operation["responses"][status]["content"]
    assert list(content) == ["application/json", "application/problem+json"]
    schemas = {media: body["schema"]["$ref"].rsplit("/", 1)[-1] for media, body in content.items()}
    assert len(set(schemas.values())) == 1, schemas
    return schemas["application/json"]


@pytest.mark.parametrize("api", ["klantinteracties", "contactgegevens"])
def test_every_operation_documents_its_problem_responses(api):
    for path, method, operation in operations(spec(api)):
        assert problem_schema(operation, "400") == "ValidatieFout", (path, method)
        for status in ("401", "403", "406", "500"):
            assert problem_schema(operation, status) == "Fout", (path, method, status)
        if "{" in path or method == "get":
            assert problem_schema(operation, "404") == "Fout", (path, method)
        if method in ("post", "put", "patch"):
            assert problem_schema(operation, "413") == "Fout", (path, method)
            assert problem_schema(operation, "415") == "Fout", (path, method)


@pytest.mark.django_db
def test_problem_bodies_match_their_documented_schemas(api_client, anon_client):
    document = spec("klantinteracties")
    cases = [
        (api_client.get(f"{API}/partijen", {"onbekend": "1"}), "ValidatieFout"),
        (api_client.post(f"{API}/partijen", "{", content_type="application/json"), "ValidatieFout"),
        (anon_client.get(f"{API}/partijen"), "Fout"),
        (api_client.get(f"{API}/partijen/00000000-0000-0000-0000-000000000000"), "Fout"),
        (api_client.post(f"{API}/partijen", "x", content_type="text/plain"), "Fout"),
    ]
    for response, component in cases:
        assert response["Content-Type"] == "application/json"
        validator(document, component).validate(response.json())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("application/problem+json", "application/problem+json"),
        ("application/problem+json, application/json;q=0.9", "application/problem+json"),
        ("Application/Problem+JSON", "application/problem+json"),
    ],
)
def test_errors_are_json_unless_the_client_asks_for_problem_json(
    api_client, anon_client, accept, content_type
):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    responses = [
        api_client.get(f"{API}/partijen", {"onbekend": "1"}, **headers),
        api_client.get(f"{API}/partijen/00000000-0000-0000-0000-000000000000", **headers),
        api_client.get(f"{API}/bestaat-niet", **headers),
        anon_client.get(f"{API}/partijen", **headers),
        api_client.post(f"{API}/partijen", "x", content_type="text/plain", **headers),
    ]
    bodies = []
    for response in responses:
        assert response.status_code >= 400
        assert response["Content-Type"] == content_type, (response.status_code, accept)
        bodies.append(json.loads(response.content))
    assert [body["status"] for body in bodies] == [400, 404, 404, 401, 415]
    assert all({"type", "code", "title", "status", "detail", "instance"} <= set(b) for b in bodies)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, make, component",
    [
        ("partijen", lambda: make_partij(soort_partij="persoon"), "Partij"),
        (
            "partijen",
            lambda: make_partij(soort_partij="organisatie", organisatie_naam="ACME"),
            "Partij",
        ),
        ("actoren", make_medewerker, "Actor"),
    ],
)
def test_polymorphic_response_matches_exactly_one_variant(api_client, path, make, component):
    document = spec("klantinteracties")
    body = api_client.get(f"{API}/{path}/{make().uuid}").json()

    validator(document, component).validate(body)  # oneOf: exactly one variant matches
    soort = body["soortPartij" if component == "Partij" else "soortActor"]
    variants = document["components"]["schemas"][component]["discriminator"]["mapping"]
    for value, ref in variants.items():
        variant = validator(document, ref.rsplit("/", 1)[-1])
        if value == soort:
            variant.validate(body)
        else:
            with pytest.raises(ValidationError):
                variant.validate(body)
