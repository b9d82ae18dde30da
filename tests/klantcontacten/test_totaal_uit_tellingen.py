"""The unfiltered klantcontacten list takes its count from the kept counts per day
(KlantcontactTelling), not from a count of every key: the same number, on both render paths,
also for an application that may not see confidential contacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.scopes import VERTROUWELIJK

from .factories import make_klantcontact

URL = "/klantinteracties/api/v1/klantcontacten"
COUNT_OF_KEYS = 'COUNT(*) FROM (SELECT "klantcontacten_klantcontact"."id"'


@pytest.mark.django_db
def test_the_whole_list_is_counted_from_the_kept_counts(client_with, both_renderings):
    for dag in range(1, 6):
        make_klantcontact(plaatsgevonden_op=f"2025-03-0{dag}T10:00:00Z", kanaal="telefoon")
    make_klantcontact(plaatsgevonden_op="2025-03-07T10:00:00Z", kanaal="balie")
    make_klantcontact(vertrouwelijk=True)
    alles = client_with("klantcontacten.lezen", "klantcontacten.schrijven", VERTROUWELIJK)
    beperkt = client_with("klantcontacten.lezen")

    with CaptureQueriesContext(connection) as captured:
        body = alles.get(URL, {"pageSize": 2}).json()
    assert body["count"] == 7 and len(body["results"]) == 2
    assert beperkt.get(URL, {"pageSize": 2}).json()["count"] == 6
    if both_renderings:
        assert not [q for q in captured if COUNT_OF_KEYS in q["sql"]]
    # Page 2, a cursor and an ordering count the same.
    assert alles.get(URL, {"pageSize": 2, "page": 2}).json()["count"] == 7
    assert alles.get(URL, {"pageSize": 2, "cursor": ""}).json()["count"] == 7
    assert alles.get(URL, {"pageSize": 2, "ordering": "nummer"}).json()["count"] == 7
    # A filtered list counts its own keys.
    assert alles.get(URL, {"pageSize": 2, "kanaal": "balie"}).json()["count"] == 1

    # A contact removed is counted out at once.
    first = body["results"][0]["uuid"]
    assert alles.delete(f"{URL}/{first}").status_code == 204
    assert alles.get(URL, {"pageSize": 2}).json()["count"] == 6
