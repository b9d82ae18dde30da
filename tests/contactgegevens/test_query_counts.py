"""List endpoints: the number of queries does not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import ORGANISATIE_URL, PERSOON_URL, make_organisatie, make_persoon

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"pageSize": 100})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("url", "make"), [(PERSOON_URL, make_persoon), (ORGANISATIE_URL, make_organisatie)]
)
def test_list_query_count_is_flat(both_renderings, api_client, url, make):
    make()
    api_client.get(url)  # warm the token cache, so both counts measure the list alone
    one = count_queries(api_client, url)
    # 99 rows: still one (partial) page, as with one row.
    for _ in range(98):
        make()

    assert count_queries(api_client, url) == one
