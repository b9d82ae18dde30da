"""List pages rendered by PostgreSQL (klantinteracties/api/sqljson.py) equal the serializers'.

Every list endpoint of both APIs, with every `expand` path it allows, is requested on a data
set that exercises each field's edge cases (nulls, empty strings the contract leaves out,
quotes and non-ASCII text, datetimes in winter and summer time with and without
microseconds, every soortPartij and soortActor, reference lists of several items), once on
each path. The parsed responses must be equal, including key order.
"""

import datetime
import json
import re
from collections import OrderedDict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantinteracties.api import sqljson
from klantinteracties.api.expand import parse_expand
from tests.datasets import rich_dataset
from tests.endpoints import expand_values, list_views

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?(Z|[+-]\d\d:\d\d)")


# Views whose serializer the compiler leaves to the serializer path, and why.
# CategorieRelatieSerializer adds `categorie.naam` in its own to_representation: the
# categorie-relaties list and any partijen expand of categorieRelaties stay on the serializers.
def expect_compiled(name: str, expand: str) -> bool:
    if name == "CategorieRelatieViewSet":
        return False
    return not (name == "PartijViewSet" and "categorieRelaties" in expand)


@pytest.fixture
def data():
    return rich_dataset()


def both(client, settings, url, params):
    settings.SQL_JSON_LISTS = True
    with CaptureQueriesContext(connection) as context:
        fast = client.get(url, params)
    # Read now: the next request empties the query log.
    queries = list(context.captured_queries)
    settings.SQL_JSON_LISTS = False
    slow = client.get(url, params)
    return fast, slow, queries


def ordered(response):
    return json.loads(response.content, object_pairs_hook=OrderedDict)


CASES = [
    (name, expand)
    for name, (_, view) in sorted(list_views().items())
    for expand in expand_values(view)
]


@pytest.mark.parametrize(("name", "expand"), CASES)
def test_sql_json_equals_serializers(api_client, settings, data, name, expand):
    url, view = list_views()[name]
    params = {"expand": expand} if expand else {}
    fast, slow, queries = both(api_client, settings, url, params)
    assert fast.status_code == slow.status_code == 200, fast.content[:500]
    assert fast["Content-Type"] == slow["Content-Type"]
    assert ordered(fast) == ordered(slow)
    assert ordered(fast)["count"] > 0 or name in {"CategorieViewSet"}
    compiled = sqljson.page_sql(
        view.serializer_class, view.queryset.model, parse_expand(expand, view.expand_paths)
    )
    assert (compiled is not None) == expect_compiled(name, expand)
    if compiled is not None and ordered(fast)["results"]:
        assert any(q["sql"] and "json_agg" in q["sql"] for q in queries)


@pytest.mark.parametrize(("name", "expand"), CASES)
def test_sql_json_detail_equals_serializers(api_client, settings, data, name, expand):
    url, view = list_views()[name]
    params = {"expand": expand} if expand else {}
    for row in api_client.get(url, {"pageSize": 500}).json()["results"]:
        fast, slow, _ = both(api_client, settings, f"{url}/{row['uuid']}", params)
        assert fast.status_code == slow.status_code == 200, fast.content[:500]
        assert fast["Content-Type"] == slow["Content-Type"]
        assert ordered(fast) == ordered(slow)


def test_unknown_detail_is_404_on_both_paths(api_client, settings, data):
    fast, slow, _ = both(
        api_client,
        settings,
        "/klantinteracties/api/v1/partijen/00000000-0000-0000-0000-000000000000",
        {},
    )
    assert fast.status_code == slow.status_code == 404
    assert fast["Content-Type"] == slow["Content-Type"] == "application/json"


@pytest.mark.parametrize("page", ["1", "2"])
def test_pages_and_links_are_equal(api_client, settings, data, page):
    fast, slow, _ = both(
        api_client, settings, "/klantinteracties/api/v1/partijen", {"pageSize": 2, "page": page}
    )
    assert fast.status_code == slow.status_code == 200
    assert ordered(fast) == ordered(slow)
    body = ordered(fast)
    assert body["count"] == 4
    assert (body["next"] is None) == (page == "2")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "3", "pageSize": "2"},
        {"page": "x"},
        {"soortPartij": "onbekend"},
        {"expand": "nope"},
    ],
)
def test_errors_are_equal(api_client, settings, data, params):
    fast, slow, _ = both(api_client, settings, "/klantinteracties/api/v1/partijen", params)
    assert fast.status_code == slow.status_code
    assert fast.status_code in (400, 404)
    instance = "instance"  # a fresh urn per response
    assert {k: v for k, v in fast.json().items() if k != instance} == {
        k: v for k, v in slow.json().items() if k != instance
    }


def test_filters_apply(api_client, settings, data):
    params = {
        "partijIdentificator__codeSoortObjectId": "bsn",
        "partijIdentificator__objectId": "111222333",
        "expand": "digitaleAdressen",
    }
    fast, slow, _ = both(api_client, settings, "/klantinteracties/api/v1/partijen", params)
    body = ordered(fast)
    assert body == ordered(slow)
    assert [row["uuid"] for row in body["results"]] == [str(data["persoon"].uuid)]
    assert len(body["results"][0]["_expand"]["digitaleAdressen"]) == 2


def test_browsable_api_uses_the_serializers(api_client, settings, data):
    settings.SQL_JSON_LISTS = True
    response = api_client.get("/klantinteracties/api/v1/partijen", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Amsterdam",
        "UTC",  # Z
        "America/Kralendijk",  # Bonaire: -04:00
        "America/St_Johns",  # -03:30 and -02:30
        "Asia/Kolkata",  # +05:30
    ],
)
def test_datetime_rendering_matches_python(settings, zone):
    """The SQL isoformat of awkward instants equals the serializers' rendering of them, and
    is RFC 3339 (no seconds in an offset: local mean time is written in UTC)."""
    from klantinteracties.api.fields import DateTimeField

    settings.TIME_ZONE = zone
    field = DateTimeField()
    instants = [
        datetime.datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),  # just before summer time
        datetime.datetime(2025, 3, 30, 1, 0, 0, tzinfo=UTC),  # summer time starts
        datetime.datetime(2025, 10, 26, 0, 59, 59, 999999, tzinfo=UTC),
        datetime.datetime(2025, 10, 26, 1, 0, 0, 1, tzinfo=UTC),
        datetime.datetime(1999, 12, 31, 23, 0, 0, 500000, tzinfo=UTC),
        datetime.datetime(1930, 6, 1, 8, 0, 0, tzinfo=UTC),  # local mean time in most zones
        datetime.datetime(119, 11, 26, 11, 27, 27, 250000, tzinfo=UTC),
        datetime.datetime(1, 1, 1, 0, 0, 0, tzinfo=UTC),
    ]
    with connection.cursor() as cursor:
        for instant in instants:
            cursor.execute(
                f"SELECT {sqljson.isoformat('v.t')} FROM (SELECT %s::timestamptz AS t) v",
                [instant],
            )
            rendered = cursor.fetchone()[0]
            assert rendered == field.to_representation(instant), instant
            assert RFC3339.fullmatch(rendered), rendered
            assert datetime.datetime.fromisoformat(rendered) == instant


@pytest.mark.parametrize("sql_json", [True, False])
def test_expand_order_follows_the_contract_not_the_request(api_client, settings, data, sql_json):
    settings.SQL_JSON_LISTS = sql_json
    url = "/klantinteracties/api/v1/klantcontacten"
    orders = set()
    for expand in (
        "hadBetrokkenen,gingOverOnderwerpobjecten",
        "gingOverOnderwerpobjecten,hadBetrokkenen",
    ):
        for row in ordered(api_client.get(url, {"expand": expand}))["results"]:
            orders.add(tuple(row["_expand"]))
        row = ordered(api_client.get(f"{url}/{row['uuid']}", {"expand": expand}))
        orders.add(tuple(row["_expand"]))
    assert orders == {("gingOverOnderwerpobjecten", "hadBetrokkenen")}
