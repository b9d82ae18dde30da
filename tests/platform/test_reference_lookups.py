"""References in a body resolve to exactly what `queryset.get(uuid=...)` returns."""

import uuid

import pytest

from klantcontacten.models import Klantcontact
from klantinteracties.api.lookups import get_by_uuid
from partijen.models import Partij
from tests.klantcontacten.factories import make_klantcontact, make_partij

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.parametrize("twice", [False, True], ids=["compiling", "compiled"])
def test_same_instance_as_get(twice):
    # Klantcontact has a JSON column: its value goes through the field's converter.
    contact = make_klantcontact(metadata={"bron": "kcc", "n": "1"})
    partij = make_partij(interne_notitie="let op")
    if twice:
        get_by_uuid(Klantcontact.objects.all(), contact.uuid)

    for model, instance in ((Klantcontact, contact), (Partij, partij)):
        found = get_by_uuid(model.objects.all(), instance.uuid)
        expected = model.objects.get(uuid=instance.uuid)
        assert type(found) is model
        assert values(found) == values(expected)
        assert found._state.db == expected._state.db
        assert not found._state.adding
        assert found.get_deferred_fields() == set()


def test_unknown_uuid_raises_does_not_exist():
    make_klantcontact()
    with pytest.raises(Klantcontact.DoesNotExist):
        get_by_uuid(Klantcontact.objects.all(), uuid.uuid4())


def test_filtered_queryset_keeps_its_filter():
    contact = make_klantcontact(kanaal="balie")
    with pytest.raises(Klantcontact.DoesNotExist):
        get_by_uuid(Klantcontact.objects.filter(kanaal="telefoon"), contact.uuid)
    assert get_by_uuid(Klantcontact.objects.filter(kanaal="balie"), contact.uuid) == contact


def test_narrowed_queryset_is_not_widened():
    contact = make_klantcontact()
    found = get_by_uuid(Klantcontact.objects.only("id", "uuid"), contact.uuid)
    assert found == contact
    assert "onderwerp" in found.get_deferred_fields()


def test_the_lookup_is_prepared_once_per_connection():
    from django.db import connection

    contacts = [make_klantcontact(), make_klantcontact()]
    for contact in contacts:
        assert get_by_uuid(Klantcontact.objects.all(), contact.uuid) == contact
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ['SELECT %FROM "klantcontacten_klantcontact"%', '%"uuid" = $1%'],
        )
        assert cursor.fetchone()[0] == 1
