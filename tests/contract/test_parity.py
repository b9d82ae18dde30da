"""Our generated OpenAPI documents against the reference's, and against the OpenAPI 3 spec."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from openapi_spec_validator import validate

from tests.contract.parity import compare

HERE = Path(__file__).parent
PAIRS = {
    "klantinteracties": HERE / "reference" / "klantinteracties-openapi.yaml",
    "contactgegevens": HERE / "reference" / "contactgegevens-openapi.yaml",
}
DEVIATIONS = Path(settings.BASE_DIR) / "docs" / "deviations.md"
# A listed schema difference: "- `<difference line>`: <reason>"
LISTED = re.compile(r"^- `(?P<line>[^`]+)`: (?P<reason>\S.*)$")


def listed_deviations() -> set[str]:
    listed = set()
    for line in DEVIATIONS.read_text().splitlines():
        match = LISTED.match(line)
        if match:
            listed.add(match["line"])
    return listed


def ours(api: str) -> dict:
    return yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml").read_text())


@pytest.mark.parametrize("api", sorted(PAIRS))
def test_generated_spec_matches_the_reference(api):
    reference = yaml.safe_load(PAIRS[api].read_text())
    differences = compare(ours(api), reference)
    unexplained = [line for line in differences if line not in listed_deviations()]
    assert not unexplained, (
        "Differences from the reference not listed in docs/deviations.md:\n"
        + "\n".join(unexplained)
    )


@pytest.mark.parametrize("api", sorted(PAIRS))
def test_generated_spec_is_valid_openapi(api):
    validate(ours(api))


def test_checker_reports_a_changed_property():
    reference = yaml.safe_load(PAIRS["klantinteracties"].read_text())
    changed = yaml.safe_load(PAIRS["klantinteracties"].read_text())
    changed["components"]["schemas"]["Klantcontact"]["properties"]["kanaal"]["maxLength"] = 51
    del changed["paths"]["/partijen"]["get"]["parameters"][0]
    differences = compare(changed, reference)
    assert "schema Klantcontact.kanaal: maxLength ours=51 reference=50" in differences
    assert any(
        line.startswith("GET /partijen query ") and line.endswith(": missing")
        for line in differences
    )
    assert compare(reference, reference) == []


def test_checker_reports_bounds_defaults_deprecations_and_headers():
    reference = yaml.safe_load(PAIRS["klantinteracties"].read_text())
    changed = yaml.safe_load(PAIRS["klantinteracties"].read_text())
    schemas = changed["components"]["schemas"]
    schemas["PartijBezoekadres"]["properties"]["huisnummer"]["minimum"] = 0
    del schemas["Klantcontact"]["properties"]["nummer"]["deprecated"]
    del schemas["Klantcontact"]["properties"]["verdereActieOndernomen"]["default"]
    nummer = next(
        p for p in changed["paths"]["/partijen"]["get"]["parameters"] if p["name"] == "nummer"
    )
    del nummer["deprecated"]
    del changed["paths"]["/partijen"]["get"]["responses"]["200"]["headers"]

    differences = compare(changed, reference)

    assert "schema PartijBezoekadres.huisnummer: minimum ours=0 reference=1" in differences
    assert "schema Klantcontact.nummer: deprecated ours=None reference=True" in differences
    assert (
        "schema Klantcontact.verdereActieOndernomen: default ours=None reference=False"
        in differences
    )
    assert "GET /partijen query nummer: deprecated ours=False reference=True" in differences
    assert "GET /partijen response 200: headers ours=[] reference=['API-version']" in differences
