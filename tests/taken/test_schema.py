"""The generated contract documents actoren and interne taken as the reference does."""

import pytest

from klantinteracties.api.schema import discriminator_pin, generate

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
    if name.endswith("_ActorSerializer"):
        # Our variants also state their own soortActor (see docs/deviations.md).
        pin = discriminator_pin("soortActor", name.removesuffix("_ActorSerializer"))
        assert ours["allOf"][-1] == pin
        ours = {**ours, "allOf": ours["allOf"][:-1]}
    assert without_descriptions(ours) == without_descriptions(_components()["schemas"][name])


def test_base_actor_has_the_reference_fields(schemas):
    ours = schemas["Base_ActorSerializer"]
    reference = _components()["schemas"]["Base_ActorSerializer"]

    assert list(ours["properties"]) == list(reference["properties"])
    assert sorted(ours["required"]) == sorted(reference["required"])


@pytest.mark.parametrize("name", ["InterneTaak", "PatchedInterneTaak", "ActorKlantcontact"])
def test_fields_equal_reference(schemas, name):
    ours = schemas[name]
    reference = _components()["schemas"][name]

    assert list(ours["properties"]) == list(reference["properties"])
    assert sorted(ours.get("required", [])) == sorted(reference.get("required", []))
    for field, spec in reference["properties"].items():
        for key in ("readOnly", "nullable", "deprecated", "maxLength"):
            assert ours["properties"][field].get(key) == spec.get(key), (field, key)
