from pathlib import Path

import pytest
from django.conf import settings

from klantinteracties.api.schema import APIS, generate, render_yaml


@pytest.mark.parametrize("api", sorted(APIS))
def test_committed_schema_equals_generated(api):
    committed = Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml"
    assert committed.exists(), f"run `make schema` to create {committed}"
    assert committed.read_text() == render_yaml(generate(api)), (
        f"{committed} is stale: run `make schema` and commit the result"
    )
