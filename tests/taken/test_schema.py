"""The generated contract documents actoren and interne taken as the reference does."""

import re

import pytest

from klantinteracties.api.schema import discriminator_pin, generate
from tests.contract.parity import unblank

from .factories import _components

SOORTEN = ("medewerker", "geautomatiseerde_actor", "organisatorische_eenheid")
IDENTIFICATIES = ("Medewerker", "GeautomatiseerdeActor", "OrganisatorischeEenheid")


@pytest.fixture(scope="module")
def schemas():
    return generate("klantinteracties")["components"]["schemas"]


def without_descriptions(value):
    if isinstance(value, dict):
        return {
            k: without_descriptions(v)
            for k, v in value.items()
            if k not in ("description", "title")
        }
    if isinstance(value, list):
        return [without_descriptions(v) for v in value]
    return value


@pytest.mark.parametrize(
    "name",
    [
        "Actor",
        "PatchedActor",
        *(f"{soort}_ActorSerializer" for soort in SOORTEN),
        *(f"actor_identificatie_{name}" for name in IDENTIFICATIES),
        *IDENTIFICATIES,
        "Actoridentificator",
        "SoortActorEnum",
        "StatusEnum",
    ],
)
def test_component_equals_reference(schemas, name):
    ours = schemas[name]
    reference = _components()["schemas"][name]
    if name.endswith("_ActorSerializer"):
        # Our variants also state their own soortActor (see docs/deviations.md).
        pin = discriminator_pin("soortActor", name.removesuffix("_ActorSerializer"))
        assert ours["allOf"][-1] == pin
        ours = {**ours, "allOf": ours["allOf"][:-1]}
    if name.startswith("actor_identificatie_"):
        ours = without_nullable_identificatie(ours, reference)
    ours = without_blank_alternatives(ours, reference)
    assert without_descriptions(ours) == without_descriptions(reference)


BLANK = {"type": "string", "maxLength": 0}


def forbids_empty(schema: dict) -> bool:
    """Whether "" breaks a rule of this string schema (which a format validator asserts)."""
    pattern = schema.get("pattern")
    return (
        schema.get("type") == "string"
        and "enum" not in schema
        and (
            schema.get("minLength", 0) > 0
            or schema.get("format") in ("email", "uri", "uuid", "date", "date-time")
            or (pattern is not None and re.search(pattern, "") is None)
        )
    )


def without_blank_alternatives(ours: dict, reference: dict) -> dict:
    """Our component as the reference writes it, after checking its first deliberate
    difference: each optional string the reference constrains so that "" breaks it is
    `anyOf: [<the reference's constrained string>, {type: string, maxLength: 0}]` ("" is
    sent for an empty value, as the reference's implementation does); nothing else is."""
    if "properties" not in reference:
        return ours
    required = set(reference.get("required", []))
    properties = {}
    for field, spec in ours["properties"].items():
        theirs = reference["properties"].get(field, {})
        if field not in required and forbids_empty(theirs):
            assert set(spec) <= {"anyOf", "description", "title"}, (field, spec)
            constrained, blank = spec["anyOf"]
            assert blank == BLANK, (field, spec)
            spec = {**{k: v for k, v in spec.items() if k != "anyOf"}, **constrained}
        else:
            assert "anyOf" not in spec, (field, spec)
        properties[field] = spec
    return {**ours, "properties": properties}


def without_nullable_identificatie(ours: dict, reference: dict) -> dict:
    """The second deliberate difference: actorIdentificatie is null for an actor without
    identificatie values, documented as a nullable allOf of the reference's $ref."""
    spec = ours["properties"]["actorIdentificatie"]
    assert spec == {"allOf": [reference["properties"]["actorIdentificatie"]], "nullable": True}
    return {**ours, "properties": {**ours["properties"], "actorIdentificatie": spec["allOf"][0]}}


def test_base_actor_has_the_reference_fields(schemas):
    ours = schemas["Base_ActorSerializer"]
    reference = _components()["schemas"]["Base_ActorSerializer"]

    assert list(ours["properties"]) == list(reference["properties"])
    assert sorted(ours["required"]) == sorted(reference["required"])


@pytest.mark.parametrize("name", ["InterneTaak", "PatchedInterneTaak", "ActorKlantcontact"])
def test_fields_equal_reference(schemas, name):
    ours = schemas[name]
    reference = _components()["schemas"][name]

    # The work list expansions are an addition (docs/lijsten.md): optional and read-only.
    expand = ours["properties"].get("_expand")
    assert expand is None or (expand["readOnly"] and "_expand" not in ours.get("required", []))
    assert [p for p in ours["properties"] if p != "_expand"] == list(reference["properties"])
    assert sorted(ours.get("required", [])) == sorted(reference.get("required", []))
    for field, spec in reference["properties"].items():
        # A string that may also be "" is documented as anyOf: its constrained form counts.
        mine = unblank(ours["properties"][field])
        for key in ("readOnly", "nullable", "deprecated", "maxLength"):
            assert mine.get(key) == spec.get(key), (field, key)
