"""Human-readable `nummer`s: generated from a PostgreSQL sequence, so concurrent creates
never get the same one. A client may still choose its own; generated numbers skip those.
"""

from django.db import connection, migrations


def sequence_name(model) -> str:
    return f"{model._meta.db_table}_nummer_seq"


def next_nummer(model) -> str:
    sequence = sequence_name(model)
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval(%s)", [sequence])
            nummer = str(cursor.fetchone()[0]).zfill(10)
            if not model._default_manager.filter(nummer=nummer).exists():
                return nummer


def create_sequence(db_table: str) -> migrations.RunSQL:
    name = f"{db_table}_nummer_seq"
    return migrations.RunSQL(
        f"CREATE SEQUENCE IF NOT EXISTS {name} MINVALUE 1 MAXVALUE 9999999999",
        f"DROP SEQUENCE IF EXISTS {name}",
    )
