"""A vergeten that waits for its partij while a merge takes that partij answers 410 (the
merge's survivor), not a 500."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from autorisatie.models import Applicatie
from logboek.vastleggen import Wie
from partijen.models import Partij
from regie.samenvoegen import partij_samenvoegen
from tests.autorisatie.conftest import client_for
from tests.klantcontacten.factories import make_partij
from tests.partijen.test_concurrency import Held, Waiting

pytestmark = pytest.mark.django_db(transaction=True)

API = "/klantinteracties/api/v1"


def test_vergeten_of_a_partij_merged_while_it_waits_is_not_a_500():
    survivor = make_partij(contactnaam_voornaam="Blijft")
    duplicate = make_partij(contactnaam_voornaam="Gaat")
    client: APIClient = client_for(
        Applicatie.objects.create(naam="fg", scopes=["partijen.vergeten"])
    )
    client.raise_request_exception = False

    merge = Held(
        lambda: partij_samenvoegen(
            overblijver=Partij.objects.get(pk=survivor.pk),
            uuids=[duplicate.uuid],
            wie=Wie(bron="beheer", trace_id="0" * 32, span_id="1" * 16),
            context={"request": RequestFactory().get("/")},
            naam="test.samenvoegen",
        )
    )
    merge.start()
    assert merge.written.wait(10) and merge.error is None, merge.error
    answers = []
    vergeten = Waiting(
        lambda: answers.append(client.post(f"{API}/partijen/{duplicate.uuid}/vergeten"))
    )
    vergeten.start()
    vergeten.join(1)
    assert vergeten.is_alive()  # waiting for the duplicate's row
    merge.release.set()
    merge.join(10)
    vergeten.join(10)

    assert vergeten.error is None, vergeten.error
    # As without the race: 410 naming the survivor (or 404), never a server error.
    assert answers[0].status_code in (404, 410), answers[0].status_code
