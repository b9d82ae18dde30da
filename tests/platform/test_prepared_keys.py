"""The key query of a list page through the ORM returns what the ORM does, unprepared."""

import datetime

import pytest
from django.db import connection

from klantcontacten.models import Klantcontact
from klantinteracties.api.sqljson import keys_of
from tests.klantcontacten.factories import make_klantcontact

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacten():
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    return [
        make_klantcontact(plaatsgevonden_op=start + datetime.timedelta(hours=i), kanaal=kanaal)
        for i, kanaal in enumerate(["telefoon", "email", "telefoon", "balie"])
    ]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kanaal": "telefoon"},
        {"kanaal__icontains": "MAIL"},
        {"pk__in": []},
        {"nummer__in": ["x", "y"]},
        {"plaatsgevonden_op__gte": datetime.datetime(2025, 1, 1, 2, tzinfo=datetime.UTC)},
        {"vertrouwelijk": False},
    ],
)
def test_keys_equal_the_orm(contacten, filters):
    queryset = Klantcontact.objects.filter(**filters).order_by("-plaatsgevonden_op", "-id")
    expected = list(queryset.values_list("pk", flat=True)[:3])
    assert list(keys_of(queryset)[:3]) == expected
    assert list(keys_of(queryset)[1:3]) == expected[1:3]  # with an offset: the ORM path
    assert keys_of(queryset).count() == queryset.count()


def test_first_page_keys_are_planned_for_their_values(contacten):
    # Not prepared: a generic plan for `kanaal` would be the same for a rare and a common one.
    queryset = Klantcontact.objects.filter(kanaal="telefoon").order_by("-id")
    assert len(list(keys_of(queryset)[:2])) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert not any('"kanaal" = $1' in statement for statement in statements)
