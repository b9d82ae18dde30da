from pathlib import Path

import pytest
import yaml
from django.conf import settings
from openapi_schema_validator import OAS30Validator


@pytest.fixture(scope="session")
def contract():
    """Validates a body against a component of our committed contactgegevens spec."""
    spec = yaml.safe_load(
        (Path(settings.BASE_DIR) / "openapi" / "contactgegevens.yaml").read_text()
    )

    def check(body, component: str) -> None:
        schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
        OAS30Validator(schema).validate(body)

    return check
