"""Every key the reference returns, we return: in list items, details and every `_expand`.

Clients generated from the reference (the `open-klant-client` library among them) treat each
property of its response schemas as present. Every list endpoint of both APIs, with every
`expand` value it allows, is requested on both render paths over a data set full of empty
values; each item and the detail of each item must carry every property the reference's
schema lists for it, and validate against our own generated schema.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from jsonschema.exceptions import best_match

from tests.contract.test_documented_responses import validator
from tests.datasets import rich_dataset
from tests.endpoints import expand_values, list_views

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
PREFIXES = {
    "klantinteracties": "/klantinteracties/api/v1",
    "contactgegevens": "/contactgegevens/api/v1",
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


REFERENCE = {api: _load(HERE / "reference" / f"{api}-openapi.yaml") for api in PREFIXES}
OURS = {api: _load(Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml") for api in PREFIXES}


def split(url: str) -> tuple[str, str]:
    """(api, path in its document) of a url of ours."""
    for api, prefix in PREFIXES.items():
        if prefix in url:
            return api, url.split(prefix, 1)[1].split("?", 1)[0]
    raise AssertionError(f"not an API url: {url}")


def response_schema(document: dict, path: str) -> dict:
    content = document["paths"][path]["get"]["responses"]["200"]["content"]
    return content["application/json"]["schema"]


def expansions(node) -> set[str]:
    """The names of every `_expand` property in a document (or part of one)."""
    found = set()
    if isinstance(node, dict):
        expand = node.get("properties", {}).get("_expand")
        if isinstance(expand, dict):
            found |= set(expand.get("properties", {}))
        for value in node.values():
            found |= expansions(value)
    elif isinstance(node, list):
        for value in node:
            found |= expansions(value)
    return found


# Expansions our documents add (docs/lijsten.md): the reference has no keys to look for in
# them; `conforms` checks them against our own schema.
ADDITIONS = {api: expansions(OURS[api]) - expansions(REFERENCE[api]) for api in PREFIXES}


class MissingKeys:
    """The properties a reference schema lists that a response value lacks, as dotted paths."""

    def __init__(self, document: dict, additions: frozenset = frozenset()):
        self.schemas = document["components"]["schemas"]
        self.additions = additions

    def named(self, schema: dict) -> tuple[str | None, dict]:
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas[name]
        return name, schema

    def __call__(self, value, schema: dict, where: str = "", expanded=False, owner=None):
        if value is None:
            return []
        name, schema = self.named(schema)
        # An object that was expanded is described by the Expand<Name> schema, if any (whose
        # allOf holds <Name> itself: that part is read as it is).
        if name and not expanded and isinstance(value, dict) and "_expand" in value:
            if f"Expand{name}" in self.schemas:
                schema, expanded = self.schemas[f"Expand{name}"], True
        # The whole schema of this value, whose allOf parts are walked one by one below.
        owner = owner or schema
        missing = []
        for part in schema.get("allOf", []):
            missing += self(value, part, where, expanded, owner)
        if "oneOf" in schema:
            missing += self(value, self.variant(value, schema), where)
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                missing += self(item, schema["items"], f"{where}.{index}")
        if isinstance(value, dict):
            for prop, sub in schema.get("properties", {}).items():
                if prop == "_expand":
                    if "_expand" in value:
                        for expanded, item in value["_expand"].items():
                            item_schema = sub.get("properties", {}).get(expanded)
                            if item_schema is None and expanded in self.additions:
                                continue
                            if item_schema is None:
                                item_schema = self.expanded_schema(owner, expanded, where)
                            missing += self(item, item_schema, f"{where}._expand.{expanded}")
                elif prop not in value:
                    missing.append(f"{where}.{prop}".lstrip("."))
                else:
                    missing += self(value[prop], sub, f"{where}.{prop}")
        return missing

    def expanded_schema(self, schema: dict, name: str, where: str) -> dict:
        """The schema of an expansion the reference documents only one level deep: the
        resource its reference property (`hadKlantcontact`: KlantcontactForeignKey) names."""
        prop = self.properties(schema).get(name)
        assert prop is not None, f"{where}._expand.{name}: undocumented"
        many = prop.get("type") == "array"
        target = prop["items"] if many else prop
        if "allOf" in target:
            target = target["allOf"][0]
        reference = target["$ref"].rsplit("/", 1)[-1]
        component = {"$ref": f"#/components/schemas/{reference[: -len('ForeignKey')]}"}
        return {"type": "array", "items": component} if many else component

    def properties(self, schema: dict) -> dict:
        schema = self.named(schema)[1]
        found = {}
        for part in schema.get("allOf", []):
            found.update(self.properties(part))
        found.update(schema.get("properties", {}))
        return found

    def variant(self, value, schema: dict) -> dict:
        discriminator = schema.get("discriminator")
        if discriminator and isinstance(value, dict):
            target = discriminator["mapping"][value[discriminator["propertyName"]]]
            return {"$ref": target}
        # A nullable reference (`oneOf` of a component and null): the component.
        return next(part for part in schema["oneOf"] if "$ref" in part)


def requested_expansions_present(item: dict, expand: str) -> list[str]:
    missing = []
    for path in filter(None, expand.split(",")):
        first, _, rest = path.partition(".")
        expanded = item.get("_expand", {})
        if first not in expanded:
            missing.append(f"_expand.{first}")
            continue
        children = expanded[first]
        for child in children if isinstance(children, list) else [children]:
            if rest and child is not None:
                missing += [
                    f"_expand.{first}.{m}" for m in requested_expansions_present(child, rest)
                ]
    return missing


def conforms(document: dict, schema: dict, body: dict) -> str | None:
    """None when the body validates against our schema, else the most specific error."""
    ref = schema["$ref"].rsplit("/", 1)[-1]
    error = best_match(validator(document, ref).iter_errors(body))
    if error is None:
        return None
    # A value matching no variant of a oneOf: what each variant found wrong.
    causes = sorted({f"{list(c.absolute_path)}: {c.message[:120]}" for c in error.context or ()})
    return f"{list(error.absolute_path)}: {error.message[:120]} {causes}"


@pytest.fixture
def data():
    # Only values the API itself accepts: what earlier versions stored is returned as stored.
    return rich_dataset(stored_by_earlier_versions=False)


CASES = [
    (name, expand)
    for name, (_, view) in sorted(list_views().items())
    for expand in expand_values(view)
]


@pytest.mark.parametrize(("name", "expand"), CASES)
def test_every_reference_key_is_in_every_response(api_client, both_renderings, data, name, expand):
    url, _ = list_views()[name]
    api, path = split(url)
    reference, ours = REFERENCE[api], OURS[api]
    missing_keys = MissingKeys(reference, ADDITIONS[api])
    params = {"pageSize": 100, **({"expand": expand} if expand else {})}

    response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"], f"{url}: the data set has no {name} rows"
    assert conforms(ours, response_schema(ours, path), body) is None
    missing = missing_keys(body, response_schema(reference, path))
    for item in body["results"]:
        missing += requested_expansions_present(item, expand)
    assert not missing, f"{url}?expand={expand}: {sorted(set(missing))}"

    detail_path = f"{path}/{{uuid}}"
    for item in body["results"][:3]:
        detail = api_client.get(item["url"], {"expand": expand} if expand else {})
        assert detail.status_code == 200, detail.content
        assert conforms(ours, response_schema(ours, detail_path), detail.json()) is None
        missing = missing_keys(detail.json(), response_schema(reference, detail_path))
        missing += requested_expansions_present(detail.json(), expand)
        assert not missing, f"{item['url']}?expand={expand}: {sorted(set(missing))}"


def test_the_checker_finds_a_missing_key():
    document = REFERENCE["klantinteracties"]
    schema = response_schema(document, "/rekeningnummers/{uuid}")
    complete = {
        "uuid": "f0c2d5b8-4b8e-4a8e-9d7e-1b2c3d4e5f60",
        "url": "http://testserver/x",
        "partij": None,
        "iban": "NL91ABNA0417164300",
        "bic": "",
    }
    check = MissingKeys(document)
    assert check(complete, schema) == []
    assert check({k: v for k, v in complete.items() if k != "bic"}, schema) == ["bic"]
    partij = response_schema(document, "/partijen/{uuid}")
    nested = {"soortPartij": "persoon", "bezoekadres": {"straatnaam": ""}}
    missing = check(nested, partij)
    assert "bezoekadres.postcode" in missing
    assert "partijIdentificatie" in missing
