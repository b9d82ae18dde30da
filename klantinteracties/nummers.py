"""Human-readable `nummer`s: generated from a PostgreSQL sequence, so concurrent creates
never get the same one. A client may still choose its own; generated numbers skip those.

The column's database default calls `<table>_next_nummer()`, so a create that leaves the
nummer out gets it from its own INSERT (returned by it) without a round trip of its own.
"""

from django.core.exceptions import ValidationError
from django.db import connection, migrations, models

from klantinteracties.db_backend.base import prepared_cursor

NUMMER_LENGTH = 10


def client_nummer(value: str | None, current: str | None = None) -> str | None:
    """A nummer a client chose: digits only (ASCII); `""` and `null` mean none was given.

    `current`: the object's own nummer, which may be sent back as it is (an earlier version
    took any text).
    """
    if not value:
        return None
    if value != current and not (value.isascii() and value.isdigit()):
        raise ValidationError("Een nummer bestaat uit cijfers.", code="invalid")
    return value


def sequence_name(db_table: str) -> str:
    return f"{db_table}_nummer_seq"


def function_name(db_table: str) -> str:
    return f"{db_table}_next_nummer"


def nummer_default(db_table: str) -> models.Func:
    """The `db_default` of a `nummer` column: the next free one."""
    return models.Func(
        function=function_name(db_table), output_field=models.CharField(max_length=NUMMER_LENGTH)
    )


def generated(model):
    """The value that makes an INSERT take the next free nummer (the column default)."""
    return model._meta.get_field("nummer").get_default()


def next_nummer(model) -> str:
    """The next free nummer of a model, for a caller that needs it before the INSERT."""
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"SELECT {function_name(model._meta.db_table)}()")
        return cursor.fetchone()[0]


def create_sequence(db_table: str) -> migrations.RunSQL:
    name = sequence_name(db_table)
    return migrations.RunSQL(
        f"CREATE SEQUENCE IF NOT EXISTS {name} MINVALUE 1 MAXVALUE 9999999999",
        f"DROP SEQUENCE IF EXISTS {name}",
    )


def create_function(db_table: str) -> migrations.RunSQL:
    """`<table>_next_nummer()`: the sequence's next value, zero-padded, that no row has yet.

    A client-chosen nummer may equal a future sequence value; the loop skips it. The lookup
    uses the column's unique index and its plan is kept per connection (PL/pgSQL).
    """
    function = function_name(db_table)
    return migrations.RunSQL(
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS varchar({NUMMER_LENGTH})
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            candidate varchar({NUMMER_LENGTH});
        BEGIN
            LOOP
                candidate := lpad(nextval('{sequence_name(db_table)}')::text, {NUMMER_LENGTH}, '0');
                IF NOT EXISTS (SELECT 1 FROM {db_table} WHERE nummer = candidate) THEN
                    RETURN candidate;
                END IF;
            END LOOP;
        END
        $$
        """,
        f"DROP FUNCTION IF EXISTS {function}()",
    )
