"""A single-row INSERT from the kept statement text equals what Django compiles itself."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.db.backends.postgresql.compiler import SQLInsertCompiler as DjangoInsertCompiler
from django.db.models.sql import InsertQuery
from django.utils import timezone

from klantcontacten.models import Klantcontact
from klantinteracties.db_backend import compiler as insert_compiler
from partijen.models import Partij

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
REGISTERS = ("partijen", "klantcontacten", "taken", "contactgegevens")


def both(obj, fields=None):
    """(ours, Django's) (sql, params) of the INSERT a save of `obj` runs."""
    model = type(obj)
    meta = model._meta
    if fields is None:
        fields = [
            f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
        ]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = meta.db_returning_fields
    assert isinstance(compiler, insert_compiler.SQLInsertCompiler)
    ours = compiler.as_sql()
    theirs = DjangoInsertCompiler.as_sql(compiler)
    return ours, theirs


def comparable(statements):
    # psycopg's Jsonb wrapper has no equality of its own.
    return [(sql, [getattr(p, "obj", p) for p in params]) for sql, params in statements]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    # auto_now fields ask for the time in each compile.
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in REGISTERS],
    ids=lambda m: m._meta.label,
)
def test_every_register_model_compiles_as_django_does(model):
    ours, theirs = both(model())

    assert comparable(ours) == comparable(theirs)


def test_a_given_nummer_and_a_generated_one_are_two_statements():
    generated, theirs = both(Klantcontact(kanaal="telefoon", onderwerp="x", taal="nld"))
    given, theirs_given = both(Klantcontact(nummer="KC-9", kanaal="telefoon", taal="nld"))

    assert comparable(generated) == comparable(theirs)
    assert comparable(given) == comparable(theirs_given)
    assert "DEFAULT" in generated[0][0] and "DEFAULT" not in given[0][0]
    assert "KC-9" in given[0][1] and "KC-9" not in generated[0][1]


def test_statement_text_is_built_once_per_shape(monkeypatch):
    insert_compiler._statements.clear()
    built = []
    original = insert_compiler.SQLInsertCompiler._statement

    def counting(self, *args):
        built.append(args)
        return original(self, *args)

    monkeypatch.setattr(insert_compiler.SQLInsertCompiler, "_statement", counting)

    Partij.objects.create(soort_partij="persoon")
    Partij.objects.create(soort_partij="organisatie", interne_notitie="tweede")
    Partij.objects.create(soort_partij="persoon", nummer="P-1")

    assert len(built) == 2  # generated nummer, given nummer
    assert Partij.objects.count() == 3


def test_other_inserts_are_left_to_django():
    # Several rows (UNNEST) and ON CONFLICT take Django's own compiler.
    Partij.objects.bulk_create([Partij(soort_partij="persoon", nummer=f"B-{i}") for i in range(3)])
    Partij.objects.bulk_create(
        [Partij(soort_partij="persoon", nummer="B-1")], ignore_conflicts=True
    )

    assert sorted(Partij.objects.values_list("nummer", flat=True)) == ["B-0", "B-1", "B-2"]
