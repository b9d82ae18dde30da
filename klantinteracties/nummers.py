"""Human-readable `nummer`s: generated from a PostgreSQL sequence, so concurrent creates
never get the same one. A client may still choose its own; generated numbers skip those.
"""

from django.db import connection, migrations

from klantinteracties.db_backend.base import prepared_cursor


def sequence_name(model) -> str:
    return f"{model._meta.db_table}_nummer_seq"


def next_nummer(model) -> str:
    # One round trip per attempt: the next value, with whether a client already took it
    # (a prepared statement: its plan is the same for every sequence value).
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field("nummer").column)
    sql = (
        f"SELECT s.nummer, EXISTS (SELECT 1 FROM {table} WHERE {column} = s.nummer) "
        "FROM (SELECT lpad(nextval(%s)::text, 10, '0') AS nummer) s"
    )
    sequence = sequence_name(model)
    with prepared_cursor(connection) as cursor:
        while True:
            cursor.execute(sql, [sequence])
            nummer, taken = cursor.fetchone()
            if not taken:
                return nummer


def create_sequence(db_table: str) -> migrations.RunSQL:
    name = f"{db_table}_nummer_seq"
    return migrations.RunSQL(
        f"CREATE SEQUENCE IF NOT EXISTS {name} MINVALUE 1 MAXVALUE 9999999999",
        f"DROP SEQUENCE IF EXISTS {name}",
    )
