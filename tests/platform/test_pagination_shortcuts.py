"""The paginator's shortcuts give exactly what COUNT and OFFSET give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klantinteracties.api import pagination
from klantinteracties.api.pagination import Paginator
from partijen.models import Partij
from tests.partijen.factories import make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"


def test_partial_first_page_counts_without_count_query(api_client):
    for _ in range(3):
        make_partij()
    api_client.get(URL)  # warm the token cache
    with CaptureQueriesContext(connection) as queries:
        body = api_client.get(URL, {"pageSize": 5}).json()
    assert body["count"] == 3
    assert body["next"] is None
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize("page_size", [1, 2, 3])
def test_full_first_page_still_counts_exactly(api_client, page_size):
    for _ in range(3):
        make_partij()
    body = api_client.get(URL, {"pageSize": page_size}).json()
    assert body["count"] == 3
    assert len(body["results"]) == page_size
    assert (body["next"] is None) == (page_size == 3)


def test_keyset_page_equals_offset_page(monkeypatch):
    partijen = [make_partij() for _ in range(12)]
    Partij.objects.filter(pk=partijen[5].pk).delete()  # a gap in the keys
    queryset = Partij.objects.order_by("-pk")
    offset_pages = [[p.pk for p in Paginator(queryset, 4).page(n).object_list] for n in (1, 2, 3)]
    monkeypatch.setattr(pagination, "KEYSET_FROM_OFFSET", 1)
    keyset_pages = [[p.pk for p in Paginator(queryset, 4).page(n).object_list] for n in (1, 2, 3)]
    assert keyset_pages == offset_pages
    assert sum(len(page) for page in keyset_pages) == 11
    ascending = Partij.objects.order_by("pk")
    assert [p.pk for p in Paginator(ascending, 4).page(2).object_list] == [
        p.pk for p in ascending[4:8]
    ]


def test_keyset_is_not_used_for_other_orderings(monkeypatch):
    monkeypatch.setattr(pagination, "KEYSET_FROM_OFFSET", 1)
    for naam in ["b", "a", "c", "d"]:
        make_partij(contactnaam_achternaam=naam)
    queryset = Partij.objects.order_by("contactnaam_achternaam")
    page = Paginator(queryset, 2).page(2)
    assert [p.contactnaam_achternaam for p in page.object_list] == ["c", "d"]


@pytest.mark.parametrize("ordering", ["-pk", "pk"])
def test_keyset_from_either_end_equals_offset(monkeypatch, ordering):
    partijen = [make_partij(soort_partij="persoon") for _ in range(15)]
    make_partij(soort_partij="organisatie")  # filtered out below
    Partij.objects.filter(pk__in=[partijen[3].pk, partijen[11].pk]).delete()
    queryset = Partij.objects.filter(soort_partij="persoon").order_by(ordering)
    expected = [p.pk for p in queryset]
    monkeypatch.setattr(pagination, "KEYSET_FROM_OFFSET", 1)
    for per_page in (1, 3, 5):
        paginator = Paginator(queryset, per_page)
        pages = [[p.pk for p in paginator.page(n).object_list] for n in paginator.page_range]
        assert pages == [expected[i : i + per_page] for i in range(0, len(expected), per_page)]


def test_a_page_of_rows_is_listed_without_indexing_it_row_by_row(monkeypatch):
    from klantinteracties.api.pagination import Page, Paginator

    page = Paginator(list(range(250)), 100).page(2)

    def indexed(self, index):
        raise AssertionError("indexed row by row")

    monkeypatch.setattr(Page, "__getitem__", indexed)
    assert list(page) == list(range(100, 200))
