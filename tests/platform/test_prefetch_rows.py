"""`prefetch_rows` gives what `prefetch_related_objects` gives, without a queryset per row."""

import copy

import pytest
from django.db.models import prefetch_related_objects

from klantinteracties.api.prefetch import PrefetchedRows, prefetch_rows
from partijen.models import Categorie, CategorieRelatie, Partij
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db

LOOKUPS = ["partijidentificatoren", "categorierelaties__categorie", "digitaleadressen"]


def _partijen():
    categorie = Categorie.objects.create(naam="Klant")
    partijen = [make_partij() for _ in range(4)]
    make_identificator(partijen[0], object_id="111222333")
    make_identificator(partijen[0], object_id="123456782")
    make_identificator(partijen[2], object_id="999999990")
    CategorieRelatie.objects.create(partij=partijen[1], categorie=categorie)
    make_digitaal_adres(partijen[3], adres="a@example.nl")
    make_digitaal_adres(partijen[3], adres="b@example.nl")
    return partijen


def _rendered(rows):
    return [
        (
            [(i.pk, i.object_id) for i in row.partijidentificatoren.all()],
            [(r.pk, r.categorie.naam) for r in row.categorierelaties.all()],
            [(d.pk, d.adres) for d in row.digitaleadressen.all()],
        )
        for row in rows
    ]


def test_same_rows_and_order_as_django(django_assert_num_queries):
    _partijen()
    expected_rows = list(Partij.objects.order_by("pk"))
    prefetch_related_objects(expected_rows, *LOOKUPS)
    rows = list(Partij.objects.order_by("pk"))
    # One query per relation and one for the categorieën: as Django.
    with django_assert_num_queries(4):
        prefetch_rows(rows, LOOKUPS)
    with django_assert_num_queries(0):
        rendered = _rendered(rows)
        # the back reference is set, as Django's prefetch sets it
        assert all(i.partij is rows[0] for i in rows[0].partijidentificatoren.all())
    assert rendered == _rendered(expected_rows)
    assert isinstance(rows[0]._prefetched_objects_cache["partijidentificatoren"], PrefetchedRows)


def test_chained_queryset_keeps_the_relation_filter():
    partijen = _partijen()
    rows = list(Partij.objects.order_by("pk"))
    prefetch_rows(rows, LOOKUPS)
    identificatoren = rows[0].partijidentificatoren.all()
    assert identificatoren.count() == 2  # from the prefetched rows
    assert [i.object_id for i in identificatoren.filter(object_id="123456782")] == ["123456782"]
    assert list(identificatoren.order_by("-object_id").values_list("object_id", flat=True)) == [
        "123456782",
        "111222333",
    ]
    assert not rows[1].partijidentificatoren.all().filter(object_id="999999990").exists()
    assert rows[2].partijidentificatoren.all().exclude(pk=0).get().object_id == "999999990"
    assert identificatoren.filter(partij=partijen[2]).count() == 0


def test_rows_already_prefetched_are_left_alone(django_assert_num_queries):
    _partijen()
    rows = list(Partij.objects.order_by("pk"))
    prefetch_related_objects(rows, "partijidentificatoren")
    with django_assert_num_queries(0):
        prefetch_rows(rows, ["partijidentificatoren"])
    assert [len(r.partijidentificatoren.all()) for r in rows] == [2, 0, 1, 0]


def test_copy_and_empty_input():
    _partijen()
    rows = list(Partij.objects.order_by("pk"))
    prefetch_rows(rows, LOOKUPS)
    copied = copy.deepcopy(rows[0].partijidentificatoren.all())
    assert sorted(i.object_id for i in copied) == ["111222333", "123456782"]
    prefetch_rows([], LOOKUPS)  # nothing to do, no error
