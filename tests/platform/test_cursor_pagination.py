"""Keyset pagination (`cursor`, an addition): every page of a list, each found through the
index of its order, on both render paths."""

import base64
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.klantcontacten.factories import make_klantcontact
from tests.partijen.factories import make_partij

API = "/klantinteracties/api/v1"


def _walk(api_client, url):
    pages = []
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert body["previous"] is None
        pages.append(body)
        url = body["next"]
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["partijen", "klantcontacten", "actoren"])
def test_the_cursor_walks_the_whole_list_in_its_order(api_client, both_renderings, path):
    for _ in range(7):
        make_klantcontact()
        make_partij()
    if path == "actoren":
        from tests.klantcontacten.factories import make_actor

        for _ in range(7):
            make_actor()
    every = api_client.get(f"{API}/{path}", {"pageSize": 100}).json()

    pages = _walk(api_client, f"{API}/{path}?pageSize=3&cursor=")

    assert [r["uuid"] for page in pages for r in page["results"]] == [
        r["uuid"] for r in every["results"]
    ]
    assert {page["count"] for page in pages} == {every["count"]}
    assert [len(page["results"]) for page in pages][:-1] == [3] * (len(pages) - 1)
    assert "page=" not in (pages[0]["next"] or "")


@pytest.mark.django_db
def test_a_cursor_page_deep_in_the_list_costs_what_the_first_costs(api_client, both_renderings):
    for _ in range(30):
        make_partij()
    first = api_client.get(f"{API}/partijen", {"pageSize": 2, "cursor": ""}).json()
    pages = _walk(api_client, f"{API}/partijen?pageSize=2&cursor=")
    deep = pages[10]["next"]  # page 12 of 15, which has a next page too

    def queries(url, params=None):
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(url, params).status_code == 200
        return [query["sql"] for query in captured]

    deep_sql = queries(deep)
    assert len(queries(f"{API}/partijen", {"pageSize": 2, "cursor": ""})) == len(deep_sql)
    # The page is found from the cursor's row, not by counting rows up to it.
    assert not [sql for sql in deep_sql if " OFFSET " in sql]
    assert [sql for sql in deep_sql if re.search(r'\("partijen_partij"\."id"\) [<>] \(', sql)]
    assert first["next"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "niet-base64-!",
        base64.urlsafe_b64encode(b'["k12a"]').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b"[99999999999999999999999]").decode(),
        base64.urlsafe_b64encode(b"[null]").decode(),
        base64.urlsafe_b64encode(b"{}").decode(),
        "eA",
    ],
)
def test_a_cursor_that_was_not_given_out_is_a_400(api_client, cursor):
    response = api_client.get(f"{API}/partijen", {"cursor": cursor})
    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("cursor", "invalid")


@pytest.mark.django_db
def test_a_klantcontacten_cursor_holds_a_time_and_a_key(api_client):
    for dag in (3, 1, 2, 2, 5):
        make_klantcontact(plaatsgevonden_op=f"2025-01-0{dag}T10:00:00Z")
    pages = _walk(api_client, f"{API}/klantcontacten?pageSize=2&cursor=")
    tijden = [r["plaatsgevondenOp"][:10] for page in pages for r in page["results"]]
    assert tijden == ["2025-01-05", "2025-01-03", "2025-01-02", "2025-01-02", "2025-01-01"]
    bad = base64.urlsafe_b64encode(b'["geen datum", 1]').decode()
    assert api_client.get(f"{API}/klantcontacten", {"cursor": bad}).status_code == 400


@pytest.mark.django_db
def test_a_cursor_follows_an_ordering_in_one_direction(api_client, both_renderings):
    for _ in range(5):
        make_partij()
    every = api_client.get(f"{API}/partijen", {"ordering": "-nummer"}).json()["results"]
    pages = _walk(api_client, f"{API}/partijen?pageSize=2&ordering=-nummer&cursor=")
    assert [r["uuid"] for page in pages for r in page["results"]] == [r["uuid"] for r in every]
    # Two directions cannot be one row comparison.
    response = api_client.get(f"{API}/partijen", {"cursor": "", "ordering": "soortPartij,-nummer"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "cursor"


@pytest.mark.django_db
def test_a_citizens_history_pages_by_cursor(api_client, both_renderings):
    from tests.klantcontacten.factories import make_betrokkene, make_partij_identificator

    partij = make_partij()
    make_partij_identificator(partij, "999993653")
    for dag in (4, 1, 3, 2):
        make_betrokkene(
            klantcontact=make_klantcontact(plaatsgevonden_op=f"2025-02-0{dag}T10:00:00Z"),
            partij=partij,
        )
    make_klantcontact()
    filter_ = "hadBetrokkene__wasPartij__partijIdentificator__objectId=999993653"
    pages = _walk(api_client, f"{API}/klantcontacten?{filter_}&pageSize=3&cursor=")
    tijden = [r["plaatsgevondenOp"][:10] for page in pages for r in page["results"]]
    assert tijden == ["2025-02-04", "2025-02-03", "2025-02-02", "2025-02-01"]
    assert {page["count"] for page in pages} == {4}
