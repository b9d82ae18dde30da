"""Every filter value that does not parse as the filter's type is a 400 naming the filter.

The reference refuses such values; an empty 200 would tell a client that nothing matches
when it asked the wrong question. The filters and their types are read from our generated
OpenAPI documents, so a filter added later is covered too.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

PREFIXES = {
    "klantinteracties": "/klantinteracties/api/v1",
    "contactgegevens": "/contactgegevens/api/v1",
}
PAGING = {"page", "pageSize"}
# A value that is not of the type, per (type, format) of a query parameter.
NOT_OF_TYPE = {
    ("string", "uuid"): "geen-uuid",
    ("string", "uri"): "geen url",
    ("string", "date-time"): "gisteren",
    ("string", "date"): "31-02-2024",
    ("boolean", None): "nee",
    ("integer", None): "twaalf",
    ("number", None): "twaalf",
}


def typed_filters():
    for api, prefix in PREFIXES.items():
        document = yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml").read_text())
        for path, item in document["paths"].items():
            if "{" in path or "get" not in item:
                continue
            parameters = item["get"].get("parameters", [])
            required = frozenset(p["name"] for p in parameters if p.get("required"))
            for parameter in parameters:
                schema = parameter.get("schema", {})
                if schema.get("type") == "array":
                    schema = schema.get("items", {})
                kind = (schema.get("type"), schema.get("format"))
                name = parameter["name"]
                # page and pageSize are not filters: an unusable one reads as the default, as
                # in the reference.
                if parameter["in"] == "query" and kind in NOT_OF_TYPE and name not in PAGING:
                    yield f"{prefix}{path}", name, NOT_OF_TYPE[kind], required - {name}


CASES = sorted(typed_filters())


def test_the_documents_have_typed_filters_of_each_kind():
    values = {value for _, _, value, _ in CASES}
    assert {"geen-uuid", "geen url", "gisteren", "nee"} <= values
    assert len(CASES) > 50


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name", "value", "others"), CASES)
def test_a_value_not_of_the_filters_type_is_a_400(api_client, url, name, value, others):
    response = api_client.get(url, {name: value})

    assert response.status_code == 400, (url, name, response.status_code)
    names = [p["name"] for p in response.json()["invalidParams"]]
    # Named, beside the operation's other required parameters (absent here), if any.
    assert name in names and set(names) - {name} <= others, names
