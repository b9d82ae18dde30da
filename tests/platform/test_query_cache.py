"""A long statement's conversion (placeholders to `$n`) is done once per text, not at every
execution (klantinteracties/db_backend/base.py, `_Query`)."""

import pytest
from django.db import connection

from klantinteracties.db_backend import base

pytestmark = pytest.mark.django_db


def long_statement(columns: int = 3) -> str:
    # Longer than psycopg's own limit for caching (4096 bytes), as a compiled page statement.
    padding = " AND ".join(f"'{'x' * 40}{i}' <> ''" for i in range(120))
    selected = ", ".join(f"%(v{i})s::int AS c{i}" for i in range(columns))
    return f"SELECT {selected}, %(tekst)s::text AS t WHERE {padding}"


@pytest.mark.parametrize("open_cursor", [base.prepared_cursor, lambda c: c.cursor()])
def test_a_long_statement_is_converted_once_and_runs_with_each_execution_s_values(open_cursor):
    statement = long_statement()
    assert len(statement) > 4096
    base._convert_long.cache_clear()
    results = []
    for value in (1, 2, 3):
        with open_cursor(connection) as cursor:
            cursor.execute(statement, {"v0": value, "v1": value * 10, "v2": -value, "tekst": "é"})
            results.append(cursor.fetchone())
    assert results == [(1, 10, -1, "é"), (2, 20, -2, "é"), (3, 30, -3, "é")]
    info = base._convert_long.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_short_statements_and_many_values_take_psycopg_s_own_path():
    base._convert_long.cache_clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT %(a)s::int", {"a": 1})
        assert cursor.fetchone() == (1,)
        many = base.CACHED_QUERY_MAX_PARAMS + 1
        statement = long_statement(many)
        values = {f"v{i}": i for i in range(many)} | {"tekst": "t"}
        cursor.execute(statement, values)
        assert cursor.fetchone() == (*range(many), "t")
    assert base._convert_long.cache_info().currsize == 0
